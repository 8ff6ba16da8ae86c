import { VaultError } from '../../../shared/errors';
import { memberKey, type MemberInput } from '../archive/membershipsRepo';
import { exportMembers } from '../cliq/maintenance';
import { listChannelMembers, listChatMembers } from '../cliq/rest';
import { confirmListing } from './confirmListing';
import type { ConversationWork } from './messageWalker';
import type { SyncContext } from './types';

/*
 * Which listing, and when (issue 12: every membership change noticed at every sync, swaps included,
 * at the lowest API cost).
 *
 * - Channels the connected admin can read over REST (joined, or organisation-level): C3
 *   `GET /api/v2/channels/{id}/members`, documented at 100 calls a minute, against M3's
 *   undocumented quota that we run at 10 a minute. A swap (one leaves, one joins: the participant
 *   count unchanged) may post no info message and move nothing else, so these channels are checked
 *   at every sync whether or not anything moved — as many as one minute of C3's quota allows, the
 *   ones checked longest ago first, so a no-change re-sync waits for no quota; an org with more such
 *   channels has each checked every few syncs. A 403 (REST visibility guessed wrong) falls back to M3.
 * - Group chats the connected account is in (this run's chats listing, H1, shows them): H2
 *   `GET /api/v2/chats/{id}/members`, documented at 30 a minute, three times M3's pace. A swap in
 *   a group usually posts info messages, but a quiet one would otherwise wait for the weekly
 *   refresh, so these are checked at every sync too, as far as one minute of H2's quota allows,
 *   longest ago first. A 403 (the account left the chat since H1) falls back to M3.
 * - Every other conversation (group chats the account is not in, direct and bot chats, whose
 *   members cannot change, private channels the admin is not in, threads): M3, the only listing
 *   that reaches them all. Listed when its members may have changed: never listed; its messages
 *   changed in this run (a join or leave posts an info message); its participant count or last
 *   activity moved; for a thread, its channel's listing noticed a join or leave since (the engine
 *   lists a channel's members before its threads', see ParentFirst); the listing is older than
 *   membersRefreshMs; or a full sync was asked for.
 *
 * A no-change re-sync thus makes min(REST-readable channels, C3 quota per minute) C3 calls,
 * min(own group chats, H2 quota per minute) H2 calls, and no M3 call.
 */

/**
 * Marks the conversations to check this run even if nothing says they changed: the REST-readable
 * channels (C3) and the account's own group chats (H2), each at most one minute of its listing's
 * quota, those listed longest ago (or never) first.
 */
export function planMemberChecks(ctx: SyncContext, conversations: readonly ConversationWork[]): void {
  const plan = (family: 'channels.members' | 'chats.members', mark: (c: ConversationWork) => { spotCheck?: boolean } | undefined) => {
    const checkable = conversations
      .filter((c) => mark(c) !== undefined)
      .map((c) => ({ c, at: ctx.archive.syncState.get(c.chatId).membersSyncedAt ?? Number.MIN_SAFE_INTEGER }))
      .sort((a, b) => a.at - b.at || (a.c.chatId < b.c.chatId ? -1 : a.c.chatId > b.c.chatId ? 1 : 0));
    for (const { c } of checkable.slice(0, ctx.budget.perMinute(family))) {
      const target = mark(c);
      if (target) target.spotCheck = true;
    }
  };
  plan('channels.members', (c) => (c.channel?.restReadable === true ? c.channel : undefined));
  plan('chats.members', (c) => c.ownChat);
}

/**
 * Lists the members of one conversation when they may have changed (see above) and records the
 * listing as intervals; joins and leaves take the time of Cliq's info message where there is one.
 * Runs after the conversation's messages were stored, so those info messages are in the archive.
 * Returns whether a listing was made.
 */
export async function syncMembers(ctx: SyncContext, chat: ConversationWork, messagesChanged: boolean): Promise<boolean> {
  const { archive, clock } = ctx;
  const now = clock.now();
  const state = archive.syncState.get(chat.chatId);
  const due =
    ctx.options.full ||
    state.membersSyncedAt === null ||
    messagesChanged ||
    chat.channel?.spotCheck === true ||
    chat.ownChat?.spotCheck === true ||
    // A thread's members are its channel's: a change its channel's listing noticed since.
    (chat.parentChatId !== undefined && archive.memberships.lastChangeAt(chat.parentChatId) > state.membersSyncedAt) ||
    state.membersCountAtSync !== chat.participantCount ||
    state.membersModifiedAtSync !== chat.membersModified ||
    now - state.membersSyncedAt > ctx.options.membersRefreshMs;
  if (!due) return false;

  const rows = await listMembers(ctx, chat);
  archive.transaction(() => {
    const write = ctx.write();
    const change = archive.memberships.apply(chat.chatId, rows, write, state.membersSyncedAt);
    archive.syncState.membersSynced(chat.chatId, chat.participantCount, chat.membersModified, write.now);
    // Roles come only with C3; an M3 listing (no roles) leaves the role intervals as they were.
    if (rows.some((r) => typeof r.role === 'string' && r.role !== '')) {
      const roles = rows.flatMap((r) => {
        const key = memberKey(r);
        return key === null || typeof r.role !== 'string' || r.role === '' ? [] : [{ member_key: key, user_id: r.userId, role: r.role }];
      });
      const changed = archive.channelRoles.applyRoles(chat.chatId, roles, write);
      ctx.counts.memberRolesNew = (ctx.counts.memberRolesChanged ?? 0) + changed.opened;
    }
    // Info messages archived only now (the listing that noticed their change ran when the
    // conversation's messages could not be read) still give earlier intervals their times. New
    // messages always make a listing due, so this is the one place to look.
    if (messagesChanged) lateBounded(ctx, chat, archive.memberships.boundLate(chat.chatId, write));
    ctx.counts.membersFirstArchived = (ctx.counts.membersFirstArchived ?? 0) + change.firstArchived;
    ctx.counts.membersJoined += change.joined;
    ctx.counts.membersLeft += change.left;
  });
  return true;
}

function lateBounded(ctx: SyncContext, chat: ConversationWork, n: number): void {
  if (n > 0) ctx.log.info(`members of ${chat.chatId}: ${n} join(s) or leave(s) dated by info messages archived after they were noticed`);
}

/** A complete listing: C3 for a REST-readable channel, H2 for an own group chat (M3 if either answers 403), M3 otherwise. */
async function listMembers(ctx: SyncContext, chat: ConversationWork): Promise<MemberInput[]> {
  const channel = chat.channel;
  const rest =
    channel?.restReadable === true
      ? { what: `channel ${channel.restId}`, list: () => listChannelMembers(ctx.http, channel.restId, ctx.signal) }
      : chat.ownChat !== undefined
        ? { what: `chat ${chat.chatId}`, list: () => listChatMembers(ctx.http, chat.chatId, ctx.signal) }
        : undefined;
  if (rest !== undefined) {
    try {
      return await confirmed(ctx, chat, async () =>
        (await rest.list()).map((m) => ({
          userId: typeof m.user_id === 'string' && m.user_id !== '' ? m.user_id : null,
          name: m.name ?? null,
          email: m.email_id ?? null,
          role: m.user_role ?? null,
        })),
      );
    } catch (error) {
      if (!(error instanceof VaultError && error.code === 'FORBIDDEN')) throw error;
      ctx.log.info(`members of ${rest.what}: REST answered 403; using the admin export`);
    }
  }
  return confirmed(ctx, chat, async () => (await exportMembers(ctx.http, chat.chatId, ctx.signal)).map((r) => ({ userId: r.user_id, name: r.name, email: r.email_id })));
}

/** One listing, fetched again before anyone is marked gone (confirmListing.ts). */
async function confirmed(ctx: SyncContext, chat: ConversationWork, fetch: () => Promise<MemberInput[]>): Promise<MemberInput[]> {
  const first = await fetch();
  return confirmListing({
    first,
    keyOf: memberKey,
    live: ctx.archive.memberships.openKeys(chat.chatId),
    fetchAgain: fetch,
    // Fewer members than the participant count is another sign of a short answer.
    looksShort: chat.participantCount !== null && first.length < chat.participantCount,
  });
}
