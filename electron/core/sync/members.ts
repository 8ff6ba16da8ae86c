import { memberKey } from '../archive/membershipsRepo';
import { exportMembers, type MemberExportRow } from '../cliq/maintenance';
import { confirmListing } from './confirmListing';
import type { ConversationWork } from './messageWalker';
import type { SyncContext } from './types';

/**
 * Lists the members of one conversation when they may have changed: never listed, participant
 * count or last activity changed since (Cliq posts an info message when someone joins or leaves),
 * the listing is older than membersRefreshMs, or a full sync was asked for. Otherwise no call.
 */
export async function syncMembers(ctx: SyncContext, chat: ConversationWork): Promise<boolean> {
  const { archive, clock } = ctx;
  const now = clock.now();
  const state = archive.syncState.get(chat.chatId);
  const due =
    ctx.options.full ||
    state.membersSyncedAt === null ||
    state.membersCountAtSync !== chat.participantCount ||
    state.membersModifiedAtSync !== chat.membersModified ||
    now - state.membersSyncedAt > ctx.options.membersRefreshMs;
  if (!due) return false;

  const keyOf = (r: MemberExportRow) => memberKey({ userId: r.user_id, name: r.name, email: r.email_id });
  const first = await exportMembers(ctx.http, chat.chatId, ctx.signal);
  const rows = await confirmListing({
    first,
    keyOf,
    live: archive.memberships.openKeys(chat.chatId),
    fetchAgain: () => exportMembers(ctx.http, chat.chatId, ctx.signal),
    // Fewer members than the participant count is another sign of a short answer.
    looksShort: chat.participantCount !== null && first.length < chat.participantCount,
  });
  archive.transaction(() => {
    const write = ctx.write();
    const change = archive.memberships.apply(
      chat.chatId,
      rows.map((r) => ({ userId: r.user_id, name: r.name, email: r.email_id })),
      write,
    );
    archive.syncState.membersSynced(chat.chatId, chat.participantCount, chat.membersModified, write.now);
    ctx.counts.membersJoined += change.joined;
    ctx.counts.membersLeft += change.left;
  });
  return true;
}
