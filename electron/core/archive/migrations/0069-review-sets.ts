import type { Migration } from './types';

/**
 * Review sets (issue 15, part 1): what a legal reviewer freezes after a search, and how it was coded.
 *
 * - `review_sets`: one sealed row per set: its name (unique), description, who made it and when
 *   (profile, OS user, host, tool version), the source as given (JSON: a filter set or a hold) and
 *   in words, and how many items it froze.
 * - `review_set_items`: one sealed row per frozen message: its position, ids, the key and content
 *   hash it had when the set was made. No foreign key to messages: a message retention purges later
 *   leaves its item here (the set says "purged"), and a purge never has to touch these rows.
 * - `review_codings`: the append-only log of coding actions (tag, untag, note, reviewed) on a
 *   message or, with message_id NULL, a whole conversation: who and when. The current coding is
 *   what the records add up to (reviewSets/coding.ts); nothing is ever rewritten.
 *
 * The triggers keep all three as they were written, but for the sealer's row_hash/seal_id.
 */
export const migration: Migration = {
  version: 69,
  name: 'review-sets',
  up(db) {
    db.exec(`
      CREATE TABLE review_sets (
        set_id         INTEGER PRIMARY KEY,
        name           TEXT NOT NULL UNIQUE,
        description    TEXT,
        created_at     INTEGER NOT NULL,        -- epoch ms
        profile        TEXT,                    -- the app's org profile; NULL from the CLI
        os_user        TEXT NOT NULL,
        host           TEXT NOT NULL,
        tool_version   TEXT NOT NULL,
        source_json    TEXT NOT NULL,           -- the source as read, defaults filled: {"scope": {...}} or {"hold": "name"}
        source_text    TEXT NOT NULL,           -- the source in words
        items          INTEGER NOT NULL,
        row_hash       TEXT,
        seal_id        INTEGER
      ) STRICT;

      CREATE TABLE review_set_items (
        id             INTEGER PRIMARY KEY,
        set_id         INTEGER NOT NULL REFERENCES review_sets(set_id),
        position       INTEGER NOT NULL,        -- 1-based, by conversation then time
        chat_id        TEXT NOT NULL,
        message_id     TEXT NOT NULL,
        message_key    INTEGER NOT NULL,        -- messages.id when frozen
        time           INTEGER NOT NULL,
        content_hash   TEXT NOT NULL,           -- messages.content_hash when frozen
        row_hash       TEXT,
        seal_id        INTEGER,
        UNIQUE (set_id, position),
        UNIQUE (set_id, chat_id, message_id)
      ) STRICT;

      CREATE TABLE review_codings (
        id             INTEGER PRIMARY KEY,
        set_id         INTEGER NOT NULL REFERENCES review_sets(set_id),
        chat_id        TEXT NOT NULL,
        message_id     TEXT,                    -- NULL: the conversation
        action         TEXT NOT NULL CHECK (action IN ('tag', 'untag', 'note', 'reviewed')),
        tag            TEXT,
        note           TEXT,
        reviewed       INTEGER CHECK (reviewed IN (0, 1)),
        at             INTEGER NOT NULL,
        profile        TEXT,
        os_user        TEXT NOT NULL,
        host           TEXT NOT NULL,
        row_hash       TEXT,
        seal_id        INTEGER,
        CHECK ((action IN ('tag', 'untag')) = (tag IS NOT NULL)),
        CHECK ((action = 'note') = (note IS NOT NULL)),
        CHECK ((action = 'reviewed') = (reviewed IS NOT NULL))
      ) STRICT;
      CREATE INDEX review_codings_target ON review_codings(set_id, chat_id, message_id);
    `);
    const facts: Record<string, string> = {
      review_sets: 'set_id, name, description, created_at, profile, os_user, host, tool_version, source_json, source_text, items',
      review_set_items: 'id, set_id, position, chat_id, message_id, message_key, time, content_hash',
      review_codings: 'id, set_id, chat_id, message_id, action, tag, note, reviewed, at, profile, os_user, host',
    };
    for (const [table, columns] of Object.entries(facts)) {
      db.exec(`
        CREATE TRIGGER ${table}_kept BEFORE DELETE ON ${table}
          BEGIN SELECT RAISE(ABORT, 'review records are never deleted'); END;
        CREATE TRIGGER ${table}_unchanged BEFORE UPDATE OF ${columns} ON ${table}
          BEGIN SELECT RAISE(ABORT, 'review records are never changed'); END;
      `);
    }
  },
};
