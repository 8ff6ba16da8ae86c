import type { MessageRow } from '../sync/mapMessage';
import type { WriteContext } from './entityStore';
import { keyFloor } from './messageKey';
import { rowHasher } from './sealing/rowHash';

/**
 * A messages row as its first insert writes it, and its row hash. No database here: the sync's
 * parser thread loads this to seal a row before it reaches the thread that stores it.
 */

/** Every column of a newly inserted messages row, by name (what the insert writes). */
export const insertedColumns = [
  'id',
  'chat_id',
  'message_id',
  'time',
  'sender_id',
  'sender_name',
  'type',
  'subtype',
  'text',
  'file_name',
  'file_id',
  'file_mime',
  'file_size',
  'extra_text',
  'revision',
  'content_hash',
  'raw_json',
  'search_scope',
  'version',
  'version_seen_at',
  'first_seen_at',
  'first_seen_run',
  'deleted_at',
  'deleted_run',
] as const;

export function insertedRecord(row: MessageRow, id: number, ctx: WriteContext): Record<(typeof insertedColumns)[number], unknown> {
  return {
    id,
    chat_id: row.chatId,
    message_id: row.messageId,
    time: row.time,
    sender_id: row.senderId,
    sender_name: row.senderName,
    type: row.type,
    subtype: row.subtype,
    text: row.text,
    file_name: row.fileName,
    file_id: row.fileId,
    file_mime: row.fileMime,
    file_size: row.fileSize,
    extra_text: row.extraText,
    revision: row.revision,
    content_hash: row.contentHash,
    raw_json: row.rawJson,
    search_scope: row.searchScope,
    version: 1,
    version_seen_at: ctx.now,
    first_seen_at: ctx.now,
    first_seen_run: ctx.runId,
    deleted_at: null,
    deleted_run: null,
  };
}

/** The hashed columns of messages: every inserted column, in code-point order (messagesRepo checks them against the table). */
const hashedColumns = [...insertedColumns].sort();
const hashMessage = rowHasher('messages', hashedColumns);

/**
 * The row hash of `row` inserted by `ctx` under the key of its millisecond, the key almost every
 * message gets (archive/messagesRepo.ts takes it when the insert used that key and that context).
 */
export function presealFor(row: MessageRow, ctx: WriteContext): NonNullable<MessageRow['preseal']> {
  return { now: ctx.now, runId: ctx.runId, rowHash: hashMessage(insertedRecord(row, keyFloor(row.time), ctx)) };
}
