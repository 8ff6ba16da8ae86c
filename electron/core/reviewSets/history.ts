import type Database from 'better-sqlite3-multiple-ciphers';
import type { ReviewCodingRecord } from '../../../shared/reviewSets';
import { prepared } from '../search/search';
import { setRow } from './setReads';

interface CodingRow {
  id: number;
  set_id: number;
  chat_id: string;
  message_id: string | null;
  action: ReviewCodingRecord['action'];
  tag: string | null;
  note: string | null;
  reviewed: number | null;
  at: number;
  profile: string | null;
  os_user: string;
  host: string;
  row_hash: string | null;
}

const columns = 'id, set_id, chat_id, message_id, action, tag, note, reviewed, at, profile, os_user, host, row_hash';

/**
 * A set's coding records, newest first: every one, a conversation's (its own and its messages'),
 * or one message's (with the records on its conversation, which it inherits, when the
 * conversation is given; message ids are unique only within a conversation).
 */
export function codingHistory(db: Database.Database, query: { setId: number; chatId?: string | undefined; messageId?: string | undefined; limit?: number | undefined }): ReviewCodingRecord[] {
  setRow(db, query.setId);
  const rows = prepared(
    db,
    `SELECT ${columns} FROM review_codings
      WHERE set_id = @set AND (@chat IS NULL OR chat_id = @chat) AND (@message IS NULL OR message_id = @message OR (message_id IS NULL AND @chat IS NOT NULL))
      ORDER BY id DESC LIMIT @limit`,
  ).all({ set: query.setId, chat: query.chatId ?? null, message: query.messageId ?? null, limit: query.limit ?? 200 }) as CodingRow[];
  return rows.map(recordOf);
}

/** One record by id (just written). */
export function codingRecord(db: Database.Database, id: number): ReviewCodingRecord {
  return recordOf(prepared(db, `SELECT ${columns} FROM review_codings WHERE id = ?`).get(id) as CodingRow);
}

function recordOf(r: CodingRow): ReviewCodingRecord {
  return {
    id: r.id,
    setId: r.set_id,
    chatId: r.chat_id,
    messageId: r.message_id,
    action: r.action,
    tag: r.tag,
    note: r.note,
    reviewed: r.reviewed === null ? null : r.reviewed === 1,
    at: r.at,
    by: { profile: r.profile, osUser: r.os_user, host: r.host },
    rowHash: r.row_hash,
  };
}
