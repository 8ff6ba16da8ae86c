import type { WriteContext } from '../archive/entityStore';
import type { UpsertCounts } from '../archive/messagesRepo';
import type { MessageRow } from './mapMessage';
import type { SyncContext } from './types';

/**
 * Upserts a conversation's rows inside the caller's transaction, counting them into the run; with
 * `full`, marks them seen by the walk (deletions are what a full walk did not see). `write` is the
 * write the rows were sealed ahead for (sync/parsedRow.ts). Returns what the upsert did.
 */
export function upsertRows(ctx: SyncContext, rows: readonly MessageRow[], full: boolean, write: WriteContext = ctx.write()): UpsertCounts {
  const result = ctx.archive.messages.upsert(rows, write);
  if (full)
    ctx.archive.messages.markSeen(
      rows[0]?.chatId ?? '',
      rows.map((r) => r.messageId),
    );
  ctx.counts.messagesNew += result.inserted;
  ctx.counts.messagesChanged += result.changed;
  ctx.counts.messagesRestored += result.restored;
  ctx.progress({ messagesStored: ctx.counts.messagesNew + ctx.counts.messagesChanged });
  return result;
}

/** How many messages an upsert made new, changed or restored. */
export function changesOf(result: UpsertCounts): number {
  return result.inserted + result.changed + result.restored;
}
