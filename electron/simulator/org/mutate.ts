import { z } from 'zod';
import { hash32, Rng } from '../random';
import { appendMessage, drawMembers, IdFactory, newConversation, pickSender } from './generate';
import { mutateDirectory, type DirectoryChange } from './directory';
import { mutateMedia, type MediaMutationResult } from './mediaMutate';
import { makeSticky, reactionKeys, reactionsAt, setReactions } from './extras';
import { MessageKind, type ChannelRole, type Conversation, type Org } from './model';

/**
 * Changes to the org between two syncs, with targets drawn from a seeded generator so a test can
 * replay them. Every count is "up to": when the org has fewer candidates, fewer changes happen, and
 * the result says exactly which.
 *
 * Consistency rules (total_message_count and last_modified_time are derived from the messages, so
 * they cannot drift): new messages are stamped after every existing message and not before the
 * clock; edits, deletions and clears also bump the chat's last_modified_time to the clock's now — a
 * simulator choice, so an incremental sync keyed on last_modified_time sees them.
 */

const count = z.number().int().nonnegative().optional();

export const mutationSpecSchema = z.strictObject({
  seed: z.number().int().optional(),
  editMessages: count,
  deleteMessages: count,
  newMessages: count,
  membersJoin: count,
  membersLeave: count,
  /**
   * Swaps in a channel or group: one member is removed and another added by the conversation's
   * creator, so participant_count is unchanged (issue 12: a swap must still be noticed).
   */
  swapMembers: count,
  /**
   * Joins, leaves and swaps leave no info message behind (and so do not move last_modified_time).
   * Whether Cliq posts one for every change, e.g. when an org admin removes a deactivated user, is
   * undocumented: this is the worst case, where only a members listing can tell.
   */
  quietMembers: z.boolean().optional(),
  clearChats: count,
  removeChats: count,
  newChats: count,
  newThreadReplies: count,
  /** Directory changes (org/directory.ts), from their own stream: users moved to another department. */
  moveDepartments: count,
  /** Members-role holders made Cliq Admin. */
  grantRoles: count,
  /** Cliq Admin or custom admin holders (never the org admin) returned to Members. */
  revokeRoles: count,
  /** Team members who leave their team. */
  leaveTeams: count,
  /** Designations renamed (U1 shows the new name too). */
  renameDesignations: count,
  /**
   * Reactions added to messages this mutation posted or edited, now. Cliq gives no signal of a
   * reaction on an unchanged message, and the archive re-checks only new or changed ones, so
   * reactions go where a sync is meant to see them.
   */
  addReactions: count,
  /** Reactions removed from messages this mutation edited (those that have some). */
  removeReactions: count,
  /**
   * A conversation's pin moves to another of its messages (or an unpinned one gets a pin). Pin
   * changes bump last_modified_time, like edits — a simulator choice, as Cliq documents no signal.
   */
  replaceSticky: count,
  /** Pinned conversations unpinned (same bump). */
  unpinSticky: count,
  /** A member's role in a channel the admin can read over REST moves on (member → moderator → admin → member). */
  changeMemberRoles: count,
  /** Restrict targets to these chat ids (thread chat ids included). */
  chatIds: z.array(z.string()).optional(),
  /** Calls and scheduled messages of the admin (org/mediaMutate.ts); chatIds does not restrict them. */
  newCalls: count,
  sendScheduled: count,
  rescheduleScheduled: count,
  deleteScheduled: count,
  newScheduled: count,
});
export type MutationSpec = z.infer<typeof mutationSpecSchema>;

export interface MessageChange {
  chatId: string;
  messageId: string;
}

export interface MembershipChange {
  chatId: string;
  userId: string;
}

export interface ReactionChange {
  chatId: string;
  messageId: string;
  emoji: string;
  userId: string;
}

export interface MutationResult {
  edited: MessageChange[];
  deleted: MessageChange[];
  /** New messages, including the info messages of joins and leaves and those of new chats. */
  added: MessageChange[];
  joined: MembershipChange[];
  left: MembershipChange[];
  /** One entry per swap: who was removed and who was added, in the same conversation. */
  swapped: { chatId: string; removed: string; added: string }[];
  cleared: string[];
  removed: string[];
  createdChats: string[];
  /** Changes to departments, designations, roles and teams. */
  directory: DirectoryChange[];
  media: MediaMutationResult;
  reactionsAdded: ReactionChange[];
  reactionsRemoved: ReactionChange[];
  stickyReplaced: string[];
  stickyUnpinned: string[];
  rolesChanged: { chatId: string; userId: string; from: ChannelRole; to: ChannelRole }[];
}

export interface MutationContext {
  /** The clock's now. */
  now: number;
  /** Seed used when the spec has none (the caller varies it per call). */
  defaultSeed: number;
}

export function mutateOrg(org: Org, spec: MutationSpec, ctx: MutationContext): MutationResult {
  const rng = new Rng(hash32(spec.seed ?? ctx.defaultSeed, 0x307a7e));
  const result: MutationResult = {
    edited: [],
    deleted: [],
    added: [],
    joined: [],
    left: [],
    swapped: [],
    cleared: [],
    removed: [],
    createdChats: [],
    directory: [],
    media: { newCalls: [], sentScheduled: [], rescheduled: [], deletedScheduled: [], newScheduled: [] },
    reactionsAdded: [],
    reactionsRemoved: [],
    stickyReplaced: [],
    stickyUnpinned: [],
    rolesChanged: [],
  };
  const only = spec.chatIds ? new Set(spec.chatIds) : null;
  const live = () => org.conversations.filter((c) => !c.removed && (!c.thread || org.live(c.thread.parentChatId)) && (!only || only.has(c.chatId)));

  // New messages go after everything that exists and not before the clock.
  let latest = ctx.now;
  for (const c of org.conversations) latest = Math.max(latest, (c.messages.lastTime() ?? 0) + 1);
  const nextTime = () => {
    // Now and then two messages share a millisecond, as in generated history.
    // Close together, so they do not run far ahead of the clock.
    if (!rng.chance(0.1)) latest += rng.int(1, 1_000);
    return latest;
  };
  const bump = (c: Conversation) => {
    c.bumpTime = Math.max(c.bumpTime, ctx.now);
    org.markChanged(c);
  };

  // Removals and clears first, so edits and deletions below only pick surviving messages.
  for (const c of rng.sample(
    live().filter((c) => c.kind !== 'thread'),
    spec.removeChats ?? 0,
  )) {
    c.removed = true;
    org.markChanged(c);
    result.removed.push(c.chatId);
  }
  const clearable = live().filter((c) => c.kind !== 'thread' && c.messages.length > 0 && org.threadsOf(c).length === 0);
  for (const c of rng.sample(clearable, spec.clearChats ?? 0)) {
    c.messages.clear();
    bump(c);
    result.cleared.push(c.chatId);
  }

  const touched = new Set<string>();
  const pickMessage = (predicate: (c: Conversation, i: number) => boolean): { c: Conversation; i: number } | null => {
    const pool = live().filter((c) => c.messages.length > 0);
    const total = pool.reduce((sum, c) => sum + c.messages.length, 0);
    for (let attempt = 0; attempt < 200 && total > 0; attempt++) {
      // Weighted by size, like real activity.
      let r = rng.int(0, total - 1);
      const c = pool.find((p) => (r -= p.messages.length) < 0);
      if (!c) continue;
      const i = rng.int(0, c.messages.length - 1);
      const key = `${c.chatId} ${c.messages.idAt(i)}`;
      if (touched.has(key) || !predicate(c, i)) continue;
      touched.add(key);
      return { c, i };
    }
    return null;
  };

  for (let n = 0; n < (spec.editMessages ?? 0); n++) {
    const hit = pickMessage((c, i) => c.messages.kind[i] === MessageKind.Text);
    if (!hit) break;
    hit.c.messages.revision[hit.i] = (hit.c.messages.revision[hit.i] ?? 0) + 1;
    bump(hit.c);
    result.edited.push({ chatId: hit.c.chatId, messageId: hit.c.messages.idAt(hit.i) });
  }

  const heads = new Set(org.conversations.flatMap((c) => (c.thread ? [`${c.thread.parentChatId} ${c.thread.headId}`] : [])));
  for (let n = 0; n < (spec.deleteMessages ?? 0); n++) {
    // Thread heads stay: deleting one would orphan its thread (TH4 has no documented answer for that).
    const hit = pickMessage((c, i) => !heads.has(`${c.chatId} ${c.messages.idAt(i)}`));
    if (!hit) break;
    const messageId = hit.c.messages.idAt(hit.i);
    hit.c.messages.removeAt(hit.i);
    bump(hit.c);
    result.deleted.push({ chatId: hit.c.chatId, messageId });
  }

  const add = (c: Conversation, sender: number, kind: (typeof MessageKind)[keyof typeof MessageKind], seedOverride?: number) => {
    const i = appendMessage(org, c, rng, nextTime(), sender, kind);
    if (seedOverride !== undefined) c.messages.seed[i] = seedOverride;
    org.markChanged(c);
    result.added.push({ chatId: c.chatId, messageId: c.messages.idAt(i) });
  };

  // Joins and leaves change M3 and participant_count and leave an info message behind (unless quiet).
  const roomy = () => live().filter((c) => c.kind === 'group' || c.kind === 'channel');
  const info = (c: Conversation, sender: number, kind: (typeof MessageKind)[keyof typeof MessageKind], subject: number) => {
    if (spec.quietMembers === true) org.markChanged(c);
    else add(c, sender, kind, subject);
  };
  const enter = (c: Conversation, userIndex: number) => {
    c.members.push(userIndex);
    c.memberSet.add(userIndex);
    c.channel?.roles.set(userIndex, 'member');
  };
  // The admin and the member credentials never leave, so REST visibility stays what tests expect.
  const leavers = (c: Conversation) => c.members.filter((m) => m !== c.creator && m !== org.adminIndex && m !== org.memberIndex);
  const exit = (c: Conversation, userIndex: number) => {
    c.members.splice(c.members.indexOf(userIndex), 1);
    c.memberSet.delete(userIndex);
    c.channel?.roles.delete(userIndex);
  };
  for (let n = 0; n < (spec.membersJoin ?? 0); n++) {
    const candidates = roomy().filter((c) => c.members.length < org.users.length);
    if (candidates.length === 0) break;
    const c = rng.pick(candidates);
    const user = rng.pick(org.users.filter((u) => !c.memberSet.has(u.index)));
    enter(c, user.index);
    info(c, user.index, MessageKind.MemberJoined, user.index);
    result.joined.push({ chatId: c.chatId, userId: user.id });
  }
  for (let n = 0; n < (spec.membersLeave ?? 0); n++) {
    const candidates = roomy().filter((c) => c.members.length > 2 && leavers(c).length > 0);
    if (candidates.length === 0) break;
    const c = rng.pick(candidates);
    const userIndex = rng.pick(leavers(c));
    exit(c, userIndex);
    info(c, userIndex, MessageKind.MemberLeft, userIndex);
    result.left.push({ chatId: c.chatId, userId: org.users[userIndex]?.id ?? '' });
  }
  for (let n = 0; n < (spec.swapMembers ?? 0); n++) {
    const candidates = roomy().filter((c) => leavers(c).length > 0 && c.members.length < org.users.length);
    if (candidates.length === 0) break;
    const c = rng.pick(candidates);
    const removed = rng.pick(leavers(c));
    const added = rng.pick(org.users.filter((u) => !c.memberSet.has(u.index))).index;
    exit(c, removed);
    info(c, c.creator, MessageKind.MemberRemoved, removed);
    enter(c, added);
    info(c, c.creator, MessageKind.MemberAdded, added);
    result.swapped.push({ chatId: c.chatId, removed: org.users[removed]?.id ?? '', added: org.users[added]?.id ?? '' });
  }

  const postable = live().filter((c) => c.kind !== 'thread' && (c.kind !== 'channel' || c.channel?.status !== 'archived'));
  for (let n = 0; n < (spec.newMessages ?? 0) && postable.length > 0; n++) {
    const c = rng.pick(postable);
    const sender = pickSender(org, c, rng);
    add(c, sender, sender < 0 ? MessageKind.Card : rng.chance(0.9) ? MessageKind.Text : MessageKind.FileDocument);
  }

  const threads = live().filter((c) => c.kind === 'thread');
  for (let n = 0; n < (spec.newThreadReplies ?? 0) && threads.length > 0; n++) {
    const c = rng.pick(threads);
    add(c, pickSender(org, c, rng), MessageKind.Text);
  }

  const ids = new IdFactory(rng.fork(0x1d5), org.usedIds);
  for (let n = 0; n < (spec.newChats ?? 0); n++) {
    const roll = rng.float();
    const created = ctx.now;
    let c: Conversation;
    if (roll < 0.5) {
      const members = drawMembers(org, rng, Math.min(org.users.length, rng.int(3, 6)), rng.chance(0.5));
      c = newConversation('group', ids.long(), `New group ${result.createdChats.length + 1}, "fresh"`, members[0] ?? 0, created, members);
    } else if (roll < 0.75) {
      const a = rng.int(0, org.users.length - 1);
      let b = rng.int(0, org.users.length - 1);
      if (a === b) b = (b + 1) % org.users.length;
      c = newConversation('dm', ids.long(), `${org.users[a]?.displayName ?? ''} & ${org.users[b]?.displayName ?? ''}`, a, created, [a, b]);
    } else {
      const members = drawMembers(org, rng, Math.min(org.users.length, rng.int(3, 10)), true);
      const numericId = ids.long();
      c = newConversation('channel', `CT_${ids.long()}_${org.id}`, `new-channel-${numericId.slice(-4)}`, members[0] ?? 0, created, members);
      c.channel = {
        numericId,
        restId: `O${numericId}`,
        name: `#new-channel-${numericId.slice(-4)}`,
        uniqueName: `newchannel${numericId.slice(-6)}`,
        description: 'Created between syncs',
        level: 'organization',
        status: 'created',
        inviteOnly: false,
        teams: {},
        roles: new Map(members.map((m, k) => [m, k === 0 ? 'super_admin' : 'member'] as const)),
        pinnedBy: new Set(),
        threadIds: [],
      };
    }
    org.addConversation(c);
    org.markChanged(c);
    result.createdChats.push(c.chatId);
    for (let k = rng.int(1, 4); k > 0; k--) add(c, pickSender(org, c, rng), MessageKind.Text);
  }

  // Their own stream: specs without these changes mutate exactly as before.
  mutateExtras(org, spec, ctx, new Rng(hash32(spec.seed ?? ctx.defaultSeed, 0x4eac8)), result, live, bump);
  result.directory = mutateDirectory(org, spec, spec.seed ?? ctx.defaultSeed, ctx.now);
  // Last, from its own stream: the draws above stay what they were before calls and scheduled messages existed.
  result.media = mutateMedia(org, spec, ctx);
  for (const sent of result.media.sentScheduled) result.added.push({ chatId: sent.chatId, messageId: sent.messageId });
  return result;
}

const nextRole: Record<ChannelRole, ChannelRole> = { member: 'moderator', moderator: 'admin', admin: 'member', super_admin: 'super_admin' };

/** Reactions, pins and channel roles (org/extras.ts). */
function mutateExtras(org: Org, spec: MutationSpec, ctx: MutationContext, rng: Rng, result: MutationResult, live: () => Conversation[], bump: (c: Conversation) => void): void {
  const located = (list: MessageChange[]) =>
    list.flatMap((m) => {
      const c = org.live(m.chatId);
      const i = c ? c.messages.indexOfId(m.messageId) : -1;
      return c && i >= 0 ? [{ c, i, messageId: m.messageId }] : [];
    });
  const touched = located([...result.added, ...result.edited]);
  // Removals from messages that existed before this mutation: a reaction someone could have seen.
  const edited = located(result.edited);
  // Removals first, so none takes back a reaction this same mutation added.
  for (let n = 0; n < (spec.removeReactions ?? 0); n++) {
    const withReactions = edited.filter(({ c, i }) => reactionsAt(org, c, i).length > 0);
    if (withReactions.length === 0) break;
    const { c, i, messageId } = rng.pick(withReactions);
    const [gone, ...rest] = reactionsAt(org, c, i);
    setReactions(org, c, i, rest);
    if (gone) result.reactionsRemoved.push({ chatId: c.chatId, messageId, emoji: gone.emoji, userId: org.users[gone.user]?.id ?? '' });
  }

  for (let n = 0; n < (spec.addReactions ?? 0) && touched.length > 0 && org.users.length > 0; n++) {
    const { c, i, messageId } = rng.pick(touched);
    const current = reactionsAt(org, c, i);
    const emoji = rng.pick(reactionKeys);
    const user = rng.int(0, org.users.length - 1);
    if (current.some((r) => r.emoji === emoji && r.user === user)) continue;
    setReactions(org, c, i, [...current, { emoji, user, time: ctx.now + n }]);
    result.reactionsAdded.push({ chatId: c.chatId, messageId, emoji, userId: org.users[user]?.id ?? '' });
  }
  const withMessages = () => live().filter((c) => c.messages.length > 1);
  for (const c of rng.sample(withMessages(), spec.replaceSticky ?? 0)) {
    const pin = org.stickies.get(c.chatId);
    let i = rng.int(0, c.messages.length - 1);
    if (pin && c.messages.idAt(i) === pin.messageId) i = (i + 1) % c.messages.length;
    const members = org.membersOf(c);
    org.stickies.set(c.chatId, makeSticky(org, c, i, members.length > 0 ? rng.pick(members) : c.creator, ctx.now, -1));
    bump(c);
    result.stickyReplaced.push(c.chatId);
  }
  for (const c of rng.sample(
    live().filter((c) => org.stickies.has(c.chatId) && !result.stickyReplaced.includes(c.chatId)),
    spec.unpinSticky ?? 0,
  )) {
    org.stickies.delete(c.chatId);
    bump(c);
    result.stickyUnpinned.push(c.chatId);
  }

  // Channels C3 answers the admin for (the archive's spot-checked ones), members other than the creator.
  const roleTargets = live().filter(
    (c) => c.channel && (c.memberSet.has(org.adminIndex) || c.channel.level === 'organization') && c.members.some((m) => m !== c.creator && c.channel?.roles.get(m) !== 'super_admin'),
  );
  for (let n = 0; n < (spec.changeMemberRoles ?? 0) && roleTargets.length > 0; n++) {
    const c = rng.pick(roleTargets);
    const userIndex = rng.pick(c.members.filter((m) => m !== c.creator && c.channel?.roles.get(m) !== 'super_admin'));
    const from = c.channel?.roles.get(userIndex) ?? 'member';
    const to = nextRole[from];
    c.channel?.roles.set(userIndex, to);
    result.rolesChanged.push({ chatId: c.chatId, userId: org.users[userIndex]?.id ?? '', from, to });
  }
}
