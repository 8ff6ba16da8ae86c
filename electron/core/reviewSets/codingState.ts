import type Database from 'better-sqlite3-multiple-ciphers';
import { prepared } from '../search/search';

/**
 * The current coding of one review set, as its append-only log adds up, in temp tables of the
 * given connection (writable even on a read-only one), so the item filters are set-based SQL:
 * - temp.review_tags (chat_id, mid, tag): the tags on each message, and on each conversation
 *   (mid = '': message ids are never empty); a tag is on when its last tag/untag record is a tag;
 * - temp.review_notes (chat_id, mid, note): the last note of each target, unless it was cleared;
 * - temp.review_marks (chat_id, mid): messages whose last "reviewed" record says yes.
 * The log is small (people's actions), so it is re-read each call: no cache to keep in step.
 */
const setup = `
  CREATE TEMP TABLE IF NOT EXISTS review_tags (chat_id TEXT NOT NULL, mid TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (chat_id, mid, tag)) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS review_notes (chat_id TEXT NOT NULL, mid TEXT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (chat_id, mid)) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS review_marks (chat_id TEXT NOT NULL, mid TEXT NOT NULL, PRIMARY KEY (chat_id, mid)) WITHOUT ROWID;
  DELETE FROM temp.review_tags; DELETE FROM temp.review_notes; DELETE FROM temp.review_marks;`;

// SQLite's bare columns: with max(id), action/note/reviewed come from the newest record of each group.
const fill = [
  `INSERT INTO temp.review_tags (chat_id, mid, tag)
     SELECT chat_id, mid, tag FROM (
       SELECT chat_id, coalesce(message_id, '') AS mid, tag, action, max(id) FROM review_codings
        WHERE set_id = ? AND action IN ('tag', 'untag') GROUP BY chat_id, coalesce(message_id, ''), tag)
      WHERE action = 'tag'`,
  `INSERT INTO temp.review_notes (chat_id, mid, note)
     SELECT chat_id, mid, note FROM (
       SELECT chat_id, coalesce(message_id, '') AS mid, note, max(id) FROM review_codings
        WHERE set_id = ? AND action = 'note' GROUP BY chat_id, coalesce(message_id, ''))
      WHERE note <> ''`,
  `INSERT INTO temp.review_marks (chat_id, mid)
     SELECT chat_id, mid FROM (
       SELECT chat_id, coalesce(message_id, '') AS mid, reviewed, max(id) FROM review_codings
        WHERE set_id = ? AND action = 'reviewed' GROUP BY chat_id, coalesce(message_id, ''))
      WHERE reviewed = 1`,
];

/** Fills the temp tables with the set's current coding (call inside a read transaction). */
export function loadCoding(db: Database.Database, setId: number): void {
  db.exec(setup);
  for (const sql of fill) prepared(db, sql).run(setId);
}

/** IMPORTANT: the item `i` (review_set_items) carries a tag on itself or on its conversation. */
export const carriesTag = (tag: string): string => `EXISTS (SELECT 1 FROM temp.review_tags t WHERE t.chat_id = i.chat_id AND t.mid IN (i.message_id, '') AND t.tag = ${tag})`;

/** The item `i` counts as reviewed: marked reviewed, or carrying any tag (its own or its conversation's). */
export const isReviewed = `(EXISTS (SELECT 1 FROM temp.review_marks r WHERE r.chat_id = i.chat_id AND r.mid = i.message_id)
  OR EXISTS (SELECT 1 FROM temp.review_tags t WHERE t.chat_id = i.chat_id AND t.mid IN (i.message_id, '')))`;

/** The tags on one target now (mid '' for the conversation), after {@link loadCoding}. */
export function tagsOn(db: Database.Database, chatId: string, mid: string): string[] {
  return prepared(db, 'SELECT tag FROM temp.review_tags WHERE chat_id = ? AND mid = ? ORDER BY tag').pluck().all(chatId, mid) as string[];
}

/** The note on one target now, or null, after {@link loadCoding}. */
export function noteOn(db: Database.Database, chatId: string, mid: string): string | null {
  return (prepared(db, 'SELECT note FROM temp.review_notes WHERE chat_id = ? AND mid = ?').pluck().get(chatId, mid) as string | undefined) ?? null;
}

/** Whether a message is marked reviewed now, after {@link loadCoding}. */
export function markedReviewed(db: Database.Database, chatId: string, messageId: string): boolean {
  return prepared(db, 'SELECT 1 FROM temp.review_marks WHERE chat_id = ? AND mid = ?').get(chatId, messageId) !== undefined;
}

/** Runs `fn` in a read transaction unless one is open: the coding and the items are read as one state. */
export function inRead<T>(db: Database.Database, fn: () => T): T {
  return db.inTransaction ? fn() : db.transaction(fn)();
}
