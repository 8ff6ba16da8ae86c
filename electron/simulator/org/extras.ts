import { hash32, Rng } from '../random';
import { summaryText } from './content';
import type { Conversation, Org, User } from './model';

/**
 * Reactions and sticky (pinned) messages of the simulated org (docs/cliq-api.md §7.11, §7.12).
 *
 * Drawn from their own random streams (never the generator's), so every org generated before
 * they existed keeps byte-identical content. Reactions are derived from each message's seq on
 * demand (a large org has a million messages) unless a mutation replaced a message's list; pins
 * are drawn once when the org is generated.
 */

/** Both kinds of reaction key: Unicode emoji and `:zomoji_code:`s. */
export const reactionKeys = ['👍', '🎉', ':party:', '❤️', ':zomoji_smile:', '😂'] as const;

export interface SimReaction {
  emoji: string;
  user: number;
  time: number;
}

export interface SimSticky {
  /** Underscore id of the pinned message. */
  messageId: string;
  messageTime: number;
  /** Time of the message before it (`lmsgtime`). */
  previousTime: number;
  sender: number;
  text: string;
  /** Who pinned it. */
  creator: number;
  created: number;
  modified: number;
  /** -1: no expiry, else a span in ms. */
  expiry: number;
}

const reactionStream = 0x4eac7;
const stickyStream = 0x571c4;

function reactionKey(c: Conversation, messageId: string): string {
  return `${c.chatId} ${messageId}`;
}

/** The display name a reaction entry carries: some hold colons, as real names may (§7.11). */
export function reactionName(user: User | undefined): string {
  if (!user) return '';
  return user.index % 4 === 1 ? `${user.fullName}: ${user.department.name}` : user.fullName;
}

/** The reactions of message i of a conversation, in the order Cliq would list them. */
export function reactionsAt(org: Org, c: Conversation, i: number): SimReaction[] {
  const override = org.reactionOverrides.get(reactionKey(c, c.messages.idAt(i)));
  if (override) return override;
  const h = hash32(org.fileSeed, reactionStream, c.messages.seq[i] ?? 0);
  // About one message in five has reactions.
  if (h % 5 !== 0 || org.users.length === 0) return [];
  const rng = new Rng(h);
  const out: SimReaction[] = [];
  const time = c.messages.time[i] ?? 0;
  for (let n = rng.int(1, 3); n > 0; n--) {
    const emoji = rng.pick(reactionKeys);
    const user = rng.int(0, org.users.length - 1);
    if (out.some((r) => r.emoji === emoji && r.user === user)) continue;
    out.push({ emoji, user, time: time + rng.int(1_000, 3_600_000) });
  }
  return out;
}

/** MS3's `data`: each key with its "<ms>:<userId>:<name>" entries. */
export function reactionsData(org: Org, c: Conversation, i: number): Record<string, string[]> {
  const data: Record<string, string[]> = {};
  for (const r of reactionsAt(org, c, i)) {
    const user = org.users[r.user];
    (data[r.emoji] ??= []).push(`${r.time}:${user?.id ?? ''}:${reactionName(user)}`);
  }
  return data;
}

/** Replaces the reactions of message i (a mutation). */
export function setReactions(org: Org, c: Conversation, i: number, reactions: SimReaction[]): void {
  org.reactionOverrides.set(reactionKey(c, c.messages.idAt(i)), reactions);
}

/** A pin on message i of c, made at `at` by `creator`. */
export function makeSticky(org: Org, c: Conversation, i: number, creator: number, at: number, expiry: number): SimSticky {
  const time = c.messages.time[i] ?? at;
  return {
    messageId: c.messages.idAt(i),
    messageTime: time,
    previousTime: i > 0 ? (c.messages.time[i - 1] ?? time) : time,
    sender: c.messages.sender[i] ?? 0,
    text: summaryText(org, c, c.messages, i),
    creator,
    created: at,
    modified: at,
    expiry,
  };
}

/** Pins about a third of the conversations that have messages (threads too), once, at generation. */
export function seedStickies(org: Org, seed: number): void {
  for (const [k, c] of org.conversations.entries()) {
    if (c.messages.length === 0) continue;
    const rng = new Rng(hash32(seed, stickyStream, k));
    if (!rng.chance(1 / 3)) continue;
    const i = rng.int(0, c.messages.length - 1);
    const members = org.membersOf(c);
    const creator = members.length > 0 ? rng.pick(members) : c.creator;
    const at = (c.messages.time[i] ?? c.creationTime) + rng.int(60_000, 86_400_000);
    org.stickies.set(c.chatId, makeSticky(org, c, i, creator, at, rng.chance(0.25) ? rng.int(1, 30) * 86_400_000 : -1));
  }
}

/** H3's `data` for a pin: times as numbers, but the inner message's times as strings (§7.12). */
export function stickyData(org: Org, c: Conversation, pin: SimSticky): Record<string, unknown> {
  const creator = org.users[pin.creator];
  const sender = org.senderRef(pin.sender);
  return {
    chat_id: c.chatId,
    expiry_time: pin.expiry,
    creator: { name: creator?.fullName ?? '', id: creator?.id ?? '' },
    created_time: pin.created,
    last_modified_time: pin.modified,
    message: {
      msg: pin.text,
      sender: sender.id,
      dname: sender.name,
      // The space spelling, URL-encoded, as the seeds show msguid (§4.3).
      msguid: pin.messageId.replace('_', '%20'),
      time: String(pin.messageTime),
      lmsgtime: String(pin.previousTime),
    },
  };
}

/** Ground truth: every live conversation's reactions per message id (underscore spelling). */
export function reactionsTruth(org: Org, chatIds: readonly string[]): Record<string, Record<string, { emoji: string; user_id: string; name: string; time: number }[]>> {
  const out: Record<string, Record<string, { emoji: string; user_id: string; name: string; time: number }[]>> = {};
  for (const chatId of chatIds) {
    const c = org.live(chatId);
    if (!c) continue;
    const perMessage: Record<string, { emoji: string; user_id: string; name: string; time: number }[]> = {};
    for (let i = 0; i < c.messages.length; i++) {
      const list = reactionsAt(org, c, i);
      if (list.length > 0) perMessage[c.messages.idAt(i)] = list.map((r) => ({ emoji: r.emoji, user_id: org.users[r.user]?.id ?? '', name: reactionName(org.users[r.user]), time: r.time }));
    }
    out[chatId] = perMessage;
  }
  return out;
}
