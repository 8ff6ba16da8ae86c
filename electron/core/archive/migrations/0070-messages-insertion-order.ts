import type { Migration } from './types';

/**
 * Messages stored in the order they arrive (issue 16, scale).
 *
 * Until now `messages.id` — the time-ordered message key (archive/messageKey.ts) — was the table's
 * INTEGER PRIMARY KEY, so the table's B-tree was sorted by time. A sync stores one conversation
 * after another, and each conversation's history spans years: every insert landed on a random leaf
 * of a table as big as the archive (rows carry their raw JSON, three to a page), splitting pages
 * and dirtying a different one per message. Inserting the same rows in key order measured 2.2×
 * faster (docs/performance.md).
 *
 * Now the table's own rowid (implicit, never read by anything) grows with each insert, so new rows
 * are appended to the last page, and the key lives in `id`, a UNIQUE column with an index of its
 * own: its random inserts are 16-byte index entries, two hundred to a page. Every query keeps using
 * `id` (messages_fts's content_rowid, message_versions.message_rowid, the seals' key for messages):
 * nothing but the physical order changed, and the row hashes cover the same columns and values.
 *
 * The rebuild copies the rows in key order, so an existing archive stays laid out in time order
 * until new messages arrive. The search index needs no rebuild: its rowids are the keys. The old
 * table's pages stay in the file as free pages (a million messages: 37 s, and the file grew from
 * 1.25 to 1.92 GB); new rows fill them before the file grows again.
 *
 * How (SQLite's documented procedure for changing a table's key): with foreign keys off, the new
 * table is filled, the old one dropped (its indexes with it) and the new one renamed `messages`
 * with legacy_alter_table on, so the references to `messages` — the foreign keys of
 * message_versions and reaction_checks, the views, messages_fts's content table — are left as they
 * are and name the new table. The indexes are created again by their own definitions, after the
 * copy (faster than keeping them up to date row by row).
 */
export const migration: Migration = {
  version: 70,
  name: 'messages insertion order',
  rebuildsReferencedTable: true,
  up(db) {
    const indexes = db
      .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name")
      .all()
      .map((i) => i.sql);
    db.pragma('legacy_alter_table = ON');
    try {
      db.exec(`
        CREATE TABLE messages_from_70 (
          id              INTEGER NOT NULL,   -- the message key (archive/messageKey.ts); not the rowid
          chat_id         TEXT NOT NULL,
          message_id      TEXT NOT NULL,
          time            INTEGER NOT NULL,
          sender_id       TEXT,
          sender_name     TEXT,
          type            TEXT NOT NULL,
          subtype         TEXT,
          text            TEXT,
          file_name       TEXT,
          file_id         TEXT,
          file_mime       TEXT,
          file_size       INTEGER,
          extra_text      TEXT,
          revision        INTEGER,
          content_hash    TEXT NOT NULL,
          raw_json        TEXT NOT NULL,
          version         INTEGER NOT NULL DEFAULT 1,
          version_seen_at INTEGER NOT NULL,
          first_seen_at   INTEGER NOT NULL,
          first_seen_run  INTEGER REFERENCES sync_runs(id),
          deleted_at      INTEGER,
          deleted_run     INTEGER REFERENCES sync_runs(id),
          search_scope    TEXT,
          row_hash        TEXT,
          seal_id         INTEGER
        ) STRICT;
        INSERT INTO messages_from_70 (id, chat_id, message_id, time, sender_id, sender_name, type, subtype, text, file_name, file_id,
                              file_mime, file_size, extra_text, revision, content_hash, raw_json, version, version_seen_at,
                              first_seen_at, first_seen_run, deleted_at, deleted_run, search_scope, row_hash, seal_id)
          SELECT id, chat_id, message_id, time, sender_id, sender_name, type, subtype, text, file_name, file_id,
                 file_mime, file_size, extra_text, revision, content_hash, raw_json, version, version_seen_at,
                 first_seen_at, first_seen_run, deleted_at, deleted_run, search_scope, row_hash, seal_id
            FROM messages ORDER BY id;
        DROP TABLE messages;
        ALTER TABLE messages_from_70 RENAME TO messages;
        CREATE UNIQUE INDEX messages_key ON messages(id);
      `);
      for (const sql of indexes) db.exec(sql);
    } finally {
      db.pragma('legacy_alter_table = OFF');
    }
  },
};
