import type { Migration } from './types';

/**
 * Reactions, sticky messages, channel member roles and channel permissions (issue 12, part 1). Four
 * evidence tables, sealed from the start (row_hash, seal_id), each an interval history: a row opens
 * when a check first shows the fact (first_seen_at/run) and closes when a later check no longer
 * shows it (gone_at/run). Nothing is deleted: a removed reaction, an unpinned message, a former
 * moderator stay as closed rows.
 *
 * - `reactions`: one row per (message, reaction key, user, reaction time) that MS3 listed. The key
 *   is kept verbatim (a Unicode emoji or a `:code:`), and so is the "<ms>:<userId>:<name>" entry.
 *   A reaction removed and added again is a new row (Cliq gives it a new time).
 * - `sticky_messages`: one row per pin state H3 showed (the pinned message and its pin times). A
 *   later check showing another pin ends it as 'replaced', showing none as 'unpinned'.
 * - `channel_member_roles`: C3's user_role of each channel member as intervals. A side table, not a
 *   column on `memberships`: a new column in a sealed table changes every existing row's hash (the
 *   archive would have to re-seal every membership, see sealing/genesis.ts), M3 listings carry no
 *   role at all, and a role change must not split the membership interval it happens within.
 * - `channel_permissions`: the admin/moderator/member permission objects of a channel (C1 items),
 *   one row per (channel, role, permission) value.
 *
 * Two operational tables (not evidence, not sealed) drive the checks: `reaction_checks` (per
 * message: which version of it was checked, when, and the answer) and `conversation_checks` (per
 * conversation and source: the last check and whether REST answered, 403 included).
 */
/** The columns every interval table ends with: when the fact was first seen and gone, and its seal. */
const interval = `first_seen_at  INTEGER NOT NULL,
        first_seen_run INTEGER REFERENCES sync_runs(id),
        gone_at        INTEGER,
        gone_run       INTEGER REFERENCES sync_runs(id),
        row_hash       TEXT,
        seal_id        INTEGER`;

export const migration: Migration = {
  version: 64,
  name: 'reactions-sticky-roles',
  up(db) {
    db.exec(`
      CREATE TABLE reactions (
        id             INTEGER PRIMARY KEY,
        chat_id        TEXT NOT NULL,
        message_id     TEXT NOT NULL,     -- as archived in messages.message_id
        emoji          TEXT NOT NULL,     -- the reaction key verbatim (Unicode emoji or :code:)
        user_id        TEXT NOT NULL,
        user_name      TEXT,
        reacted_at     INTEGER,           -- epoch ms from the entry (NULL when it is not a number)
        entry          TEXT NOT NULL,     -- the "<ms>:<userId>:<name>" string as received
        ${interval}
      ) STRICT;
      CREATE INDEX reactions_message ON reactions(chat_id, message_id);

      CREATE TABLE reaction_checks (
        message_rowid   INTEGER PRIMARY KEY REFERENCES messages(id),
        chat_id         TEXT NOT NULL,
        checked_version INTEGER NOT NULL,  -- messages.version when checked: a later version is due again
        checked_at      INTEGER NOT NULL,
        checked_run     INTEGER REFERENCES sync_runs(id),
        status          TEXT NOT NULL CHECK (status IN ('ok', 'not_found'))
      ) STRICT;
      CREATE INDEX reaction_checks_chat ON reaction_checks(chat_id);

      CREATE TABLE conversation_checks (
        chat_id     TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('reactions', 'sticky')),
        checked_at  INTEGER NOT NULL,
        checked_run INTEGER REFERENCES sync_runs(id),
        status      TEXT NOT NULL CHECK (status IN ('ok', 'forbidden', 'not_found')),
        PRIMARY KEY (chat_id, source)
      ) STRICT;

      CREATE TABLE sticky_messages (
        id             INTEGER PRIMARY KEY,
        chat_id        TEXT NOT NULL,
        message_id     TEXT,              -- msguid as Cliq gave it (the space spelling)
        text           TEXT,
        sender_id      TEXT,
        sender_name    TEXT,
        creator_id     TEXT,              -- who pinned it
        creator_name   TEXT,
        message_time   INTEGER,
        pinned_at      INTEGER,           -- created_time
        modified_at    INTEGER,           -- last_modified_time
        expiry_time    INTEGER,           -- as given (-1: no expiry)
        content_hash   TEXT NOT NULL,     -- identity of the pin state (sha256 of the canonical data)
        raw_json       TEXT NOT NULL,
        ended_by       TEXT CHECK (ended_by IS NULL OR ended_by IN ('replaced', 'unpinned')),
        ${interval}
      ) STRICT;
      CREATE INDEX sticky_messages_chat ON sticky_messages(chat_id, first_seen_at);

      CREATE TABLE channel_member_roles (
        id             INTEGER PRIMARY KEY,
        chat_id        TEXT NOT NULL,
        member_key     TEXT NOT NULL,     -- as in memberships
        user_id        TEXT,
        role           TEXT NOT NULL,     -- user_role as received (super_admin, admin, moderator, member)
        ${interval}
      ) STRICT;
      CREATE INDEX channel_member_roles_chat ON channel_member_roles(chat_id, member_key);

      CREATE TABLE channel_permissions (
        id             INTEGER PRIMARY KEY,
        channel_id     TEXT NOT NULL,     -- the channel's archive key (channels.channel_id)
        role           TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'member')),
        permission     TEXT NOT NULL,     -- the key as received (send_message, sticky_message, …)
        allowed        INTEGER CHECK (allowed IS NULL OR allowed IN (0, 1)),
        value          TEXT NOT NULL,     -- the value as received, JSON
        ${interval}
      ) STRICT;
      CREATE INDEX channel_permissions_channel ON channel_permissions(channel_id, role, permission);
    `);
  },
};
