import type { Migration } from './types';

/**
 * Attachments (issue 11): one row per file a stored message references, (chat, message, file),
 * with what the message declared (name, size, type), what the download found (served type and
 * name, SHA-256 and size of the bytes in the file store) and where fetching it stands. A status
 * change is an UPDATE: the row is re-sealed, its earlier states live on only in the seals.
 *
 * Sealed from the start (row_hash, seal_id): it is evidence of what was shared and whether the
 * archive holds it. An archive upgraded to this step has no attachment rows yet, so no genesis is
 * needed; the next sync registers the files of the messages already stored.
 */
export const migration: Migration = {
  version: 60,
  name: 'attachments',
  up(db) {
    db.exec(`
      CREATE TABLE attachments (
        chat_id          TEXT NOT NULL,
        message_id       TEXT NOT NULL,
        file_id          TEXT NOT NULL,
        message_key      INTEGER NOT NULL,
        file_name        TEXT,
        declared_size    INTEGER,
        declared_type    TEXT,
        content_type     TEXT,
        served_name      TEXT,
        status           TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'stored', 'forbidden', 'not_found', 'too_large', 'skipped', 'failed')),
        reason           TEXT,
        sha256           TEXT CHECK (sha256 IS NULL OR (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*')),
        bytes            INTEGER,
        first_attempt_at INTEGER,
        last_attempt_at  INTEGER,
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER,
        first_seen_at    INTEGER NOT NULL,
        first_seen_run   INTEGER REFERENCES sync_runs(id),
        row_hash         TEXT,
        seal_id          INTEGER,
        PRIMARY KEY (chat_id, message_id, file_id),
        CHECK (status <> 'stored' OR (sha256 IS NOT NULL AND bytes IS NOT NULL))
      ) STRICT;
      CREATE INDEX attachments_due ON attachments(status, next_attempt_at);
      CREATE INDEX messages_files ON messages(chat_id, file_id) WHERE file_id IS NOT NULL;
    `);
  },
};
