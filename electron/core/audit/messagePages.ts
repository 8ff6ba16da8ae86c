import type Database from 'better-sqlite3-multiple-ciphers';
import type { ArchivedMessageContent } from '../../../shared/markup';
import { throwIfAborted } from '../util/clock';
import { contentOf } from './textDisplay';

/** A message as the readable renderings of a bundle (transcripts, RSMF productions) read it. */
export interface PagedMessage {
  key: number;
  message_id: string;
  time: number;
  sender_id: string | null;
  sender_name: string | null;
  type: string;
  subtype: string | null;
  text: string | null;
  file_name: string | null;
  file_id: string | null;
  file_size: number | null;
  extra_text: string | null;
  version: number;
  deleted_at: number | null;
  row_hash: string | null;
  /** Only for messages whose display reads the payload (files, call notices, cards): see archivedContent. */
  raw_json: string | null;
}

/** Messages read per page: bounded memory whatever the conversation's size. */
export const messagePageSize = 500;

/**
 * Statements prepared once per connection and per kind of read (scoped to temp.scope_* or the
 * whole archive: the SQL differs), kept as long as the connection.
 */
export function preparedPerScope<S>(prepare: (db: Database.Database, scoped: boolean) => S): (db: Database.Database, scoped: boolean) => S {
  const cache = new WeakMap<Database.Database, Map<boolean, S>>();
  return (db, scoped) => {
    let byScope = cache.get(db);
    if (!byScope) {
      byScope = new Map();
      cache.set(db, byScope);
    }
    let prepared = byScope.get(scoped);
    if (prepared === undefined) {
      prepared = prepare(db, scoped);
      byScope.set(scoped, prepared);
    }
    return prepared;
  };
}

const pageStatement = preparedPerScope((db, scoped): Database.Statement<{ chat: string; time: number; key: number; limit: number }, PagedMessage> => {
  const columns = `m.id AS key, m.message_id, m.time, m.sender_id, m.sender_name, m.type, m.subtype, m.text, m.file_name, m.file_id, m.file_size,
              m.extra_text, m.version, m.deleted_at, m.row_hash,
              CASE WHEN m.type <> 'text' OR m.subtype IS NOT NULL THEN m.raw_json END AS raw_json`;
  // Each page is a range of one index: (chat_id, time) of messages, or temp.scope_pages's key.
  // Scoped, the archive's index would not do: telling whether a message is in scope reads its
  // row, so a channel-month of a 50,000-message channel read all 50,000 rows (1.1 s at 10M cold).
  return db.prepare(
    scoped
      ? `SELECT ${columns}
           FROM temp.scope_pages p CROSS JOIN messages m ON m.id = p.key
          WHERE p.chat_id = @chat AND (p.time, p.key) > (@time, @key)
          ORDER BY p.time, p.key LIMIT @limit`
      : `SELECT ${columns}
           FROM messages m
          WHERE m.chat_id = @chat AND (m.time, m.id) > (@time, @key)
          ORDER BY m.time, m.id LIMIT @limit`,
  );
});

/**
 * Orders the messages of temp.scope_messages by conversation and time into temp.scope_pages, which
 * the scoped messagePages reads. Call it once the scope is final, before the scoped pages are read
 * (audit/bundle.ts does, once for the transcripts and the RSMF files): it is rebuilt from the
 * scope on every call.
 */
export function indexScopeForPages(db: Database.Database): void {
  db.exec(`
    DROP TABLE IF EXISTS temp.scope_pages;
    CREATE TEMP TABLE scope_pages (chat_id TEXT NOT NULL, time INTEGER NOT NULL, key INTEGER NOT NULL, PRIMARY KEY (chat_id, time, key)) WITHOUT ROWID;
    INSERT INTO temp.scope_pages (chat_id, time, key)
      SELECT m.chat_id, m.time, m.id FROM temp.scope_messages s CROSS JOIN messages m ON m.id = s.key;
  `);
}

/**
 * The messages of one conversation in (time, id) order, a page at a time (only those in
 * temp.scope_messages when `scoped`, once indexScopeForPages has ordered them): a conversation of
 * any size is never read whole. Checks for a cancel before each page.
 */
export function* messagePages(db: Database.Database, scoped: boolean, chatId: string, signal?: AbortSignal): Generator<PagedMessage[]> {
  const page = pageStatement(db, scoped);
  let cursor = { time: Number.MIN_SAFE_INTEGER, key: Number.MIN_SAFE_INTEGER };
  for (;;) {
    throwIfAborted(signal);
    const rows = page.all({ chat: chatId, time: cursor.time, key: cursor.key, limit: messagePageSize });
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < messagePageSize) return;
    cursor = { time: last.time, key: last.key };
  }
}

/** A paged message as shared/markup renders it (the payload parsed only when the display needs it). */
export function archivedContent(m: PagedMessage): ArchivedMessageContent {
  const needsContent = m.type !== 'text' || m.subtype !== null;
  return {
    type: m.type,
    subtype: m.subtype,
    text: m.text,
    fileName: m.file_name,
    fileSize: m.file_size,
    extraText: m.extra_text,
    ...(needsContent ? { content: contentOf(m.raw_json) } : {}),
  };
}

/** A page's side rows (files, reactions) by message id. */
export function byMessage<T extends { message_id: string }>(rows: Iterable<T>): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.message_id);
    if (list) list.push(row);
    else grouped.set(row.message_id, [row]);
  }
  return grouped;
}
