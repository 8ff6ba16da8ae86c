import type { Migration } from './types';

/**
 * Legal holds (issue 14, part 1): named matters that keep messages in their scope from ever being
 * purged by retention (core/holds/ says what a scope holds and how retention reads it).
 *
 * A hold is a sealed record written once, with who placed it (the app's org profile, or NULL from
 * the CLI; the OS user and host), when and why, and its criteria: custodians in
 * `legal_hold_custodians` (as given, and as resolved to user ids and an e-mail when placed),
 * conversations in `legal_hold_chats`, and a date range and a query on the hold itself. A release
 * is a sealed record of its own in `legal_hold_releases`: nothing is updated in place, and a hold is
 * active until it has a release. The triggers make the rules the database's own: a hold's name is
 * unique among active holds; no hold, criterion or release row is deleted; none of their facts is
 * changed (only the sealer's row_hash/seal_id are written after an insert).
 *
 * Every row is written inside a seal of kind 'audit' (core/holds/holdWrites.ts).
 */
export const migration: Migration = {
  version: 66,
  name: 'legal-holds',
  up(db) {
    db.exec(`
      CREATE TABLE legal_holds (
        hold_id      INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        reason       TEXT,
        placed_at    INTEGER NOT NULL,          -- epoch ms
        profile      TEXT,                      -- the app's org profile that placed it; NULL from the CLI
        os_user      TEXT NOT NULL,
        host         TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        from_time    INTEGER,                   -- messages at or after (epoch ms); NULL: open
        to_time      INTEGER,                   -- messages at or before (epoch ms); NULL: open
        from_text    TEXT,                      -- the dates as given, read in time_zone
        to_text      TEXT,
        time_zone    TEXT NOT NULL,
        query        TEXT,                      -- the Search screen's query, as typed
        query_mode   TEXT NOT NULL CHECK (query_mode IN ('simple', 'advanced')),
        row_hash     TEXT,
        seal_id      INTEGER
      ) STRICT;
      CREATE INDEX legal_holds_name ON legal_holds(name);

      CREATE TABLE legal_hold_custodians (
        id       INTEGER PRIMARY KEY,
        hold_id  INTEGER NOT NULL REFERENCES legal_holds(hold_id),
        given    TEXT NOT NULL,                 -- a user id or an e-mail address, as given
        user_id  TEXT,                          -- one user id it resolved to (NULL: known only by e-mail)
        email    TEXT,                          -- lower case; memberships without a user id match by it
        row_hash TEXT,
        seal_id  INTEGER,
        UNIQUE (hold_id, given, user_id)
      ) STRICT;
      CREATE INDEX legal_hold_custodians_user ON legal_hold_custodians(user_id);
      -- A custodian known only by e-mail (a member the export named by address) is found without a scan.
      CREATE INDEX memberships_email_only ON memberships(lower(email)) WHERE user_id IS NULL;

      CREATE TABLE legal_hold_chats (
        hold_id  INTEGER NOT NULL REFERENCES legal_holds(hold_id),
        chat_id  TEXT NOT NULL,                 -- a conversation: all its messages (a channel: and its threads')
        given    TEXT NOT NULL,                 -- as given (an id or an exact title)
        row_hash TEXT,
        seal_id  INTEGER,
        PRIMARY KEY (hold_id, chat_id)
      ) STRICT;

      CREATE TABLE legal_hold_releases (
        hold_id      INTEGER PRIMARY KEY REFERENCES legal_holds(hold_id),
        released_at  INTEGER NOT NULL,
        profile      TEXT,
        os_user      TEXT NOT NULL,
        host         TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        row_hash     TEXT,
        seal_id      INTEGER
      ) STRICT;

      CREATE TRIGGER legal_holds_active_name BEFORE INSERT ON legal_holds
        WHEN EXISTS (SELECT 1 FROM legal_holds h WHERE h.name = NEW.name
                       AND NOT EXISTS (SELECT 1 FROM legal_hold_releases r WHERE r.hold_id = h.hold_id))
        BEGIN SELECT RAISE(ABORT, 'legal hold name already in use by an active hold'); END;
    `);
    const facts: Record<string, string> = {
      legal_holds: 'hold_id, name, reason, placed_at, profile, os_user, host, tool_version, from_time, to_time, from_text, to_text, time_zone, query, query_mode',
      legal_hold_custodians: 'id, hold_id, given, user_id, email',
      legal_hold_chats: 'hold_id, chat_id, given',
      legal_hold_releases: 'hold_id, released_at, profile, os_user, host, tool_version, reason',
    };
    for (const [table, columns] of Object.entries(facts)) {
      db.exec(`
        CREATE TRIGGER ${table}_kept BEFORE DELETE ON ${table}
          BEGIN SELECT RAISE(ABORT, 'legal hold records are never deleted'); END;
        CREATE TRIGGER ${table}_unchanged BEFORE UPDATE OF ${columns} ON ${table}
          BEGIN SELECT RAISE(ABORT, 'legal hold records are never changed: a release is a record of its own'); END;
      `);
    }
  },
};
