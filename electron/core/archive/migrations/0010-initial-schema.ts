import type { Migration } from './types';

/**
 * The first archive schema. Conventions that hold for every table:
 * - ids from Cliq are TEXT, always; times are INTEGER epoch milliseconds (UTC);
 * - `*_json` columns keep the payload exactly as received (raw evidence next to normalised columns);
 * - nothing is deleted: an entity that vanishes from Cliq keeps its row and gets `gone_at`/`gone_run`
 *   (messages: `deleted_at`/`deleted_run`), the time the archive first noticed it gone;
 * - `first_seen_*` / `last_seen_*` say when, and in which sync run, the archive saw it.
 */
export const migration: Migration = {
  version: 10,
  name: 'initial-schema',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sync_runs (
        id                INTEGER PRIMARY KEY,
        started_at        INTEGER NOT NULL,
        ended_at          INTEGER,
        status            TEXT NOT NULL CHECK (status IN ('running', 'complete', 'partial', 'failed', 'cancelled')),
        tool_version      TEXT NOT NULL,
        options_json      TEXT NOT NULL,
        counts_json       TEXT NOT NULL DEFAULT '{}',
        calls_json        TEXT NOT NULL DEFAULT '{}',
        rate_limited_json TEXT NOT NULL DEFAULT '{}',
        errors_json       TEXT NOT NULL DEFAULT '[]',
        pid               INTEGER,
        host              TEXT
      ) STRICT;

      -- Every conversation whose messages we archive: direct and group chats, bot chats, channel
      -- chats and thread chats, keyed by Cliq's chat id.
      CREATE TABLE chats (
        chat_id              TEXT PRIMARY KEY,
        kind                 TEXT NOT NULL CHECK (kind IN ('direct', 'group', 'bot', 'channel', 'thread')),
        title                TEXT,
        creator_id           TEXT,
        created_at           INTEGER,
        participant_count    INTEGER,
        server_message_count INTEGER,
        server_last_modified INTEGER,
        source_json          TEXT NOT NULL,
        source_hash          TEXT NOT NULL,
        version_seen_at      INTEGER NOT NULL,
        first_seen_at        INTEGER NOT NULL,
        first_seen_run       INTEGER REFERENCES sync_runs(id),
        last_seen_at         INTEGER NOT NULL,
        last_seen_run        INTEGER REFERENCES sync_runs(id),
        gone_at              INTEGER,
        gone_run             INTEGER REFERENCES sync_runs(id)
      ) STRICT;
      CREATE INDEX chats_kind ON chats(kind);

      CREATE TABLE channels (
        channel_id           TEXT PRIMARY KEY,   -- as the Maintenance export spells it
        rest_channel_id      TEXT,               -- as REST spells it (often letter-prefixed)
        chat_id              TEXT,               -- from REST; NULL = not mapped (messages unreachable)
        name                 TEXT,
        unique_name          TEXT,
        description          TEXT,
        level                TEXT,
        status               TEXT,
        role                 TEXT,
        creator_id           TEXT,
        created_at           INTEGER,
        last_modified        INTEGER,
        participant_count    INTEGER,
        server_message_count INTEGER,
        source_json          TEXT NOT NULL,      -- {"export": M2 row, "rest": C1 item or null}
        source_hash          TEXT NOT NULL,
        version_seen_at      INTEGER NOT NULL,
        first_seen_at        INTEGER NOT NULL,
        first_seen_run       INTEGER REFERENCES sync_runs(id),
        last_seen_at         INTEGER NOT NULL,
        last_seen_run        INTEGER REFERENCES sync_runs(id),
        gone_at              INTEGER,
        gone_run             INTEGER REFERENCES sync_runs(id)
      ) STRICT;
      CREATE UNIQUE INDEX channels_chat ON channels(chat_id) WHERE chat_id IS NOT NULL;

      CREATE TABLE threads (
        thread_chat_id        TEXT PRIMARY KEY REFERENCES chats(chat_id),
        parent_chat_id        TEXT,
        channel_id            TEXT,
        title                 TEXT,
        thread_message_id     TEXT,
        parent_message_sender TEXT,
        thread_state          TEXT,
        follower_count        INTEGER,
        last_message_at       INTEGER,
        source_json           TEXT NOT NULL,
        source_hash           TEXT NOT NULL,
        version_seen_at       INTEGER NOT NULL,
        first_seen_at         INTEGER NOT NULL,
        first_seen_run        INTEGER REFERENCES sync_runs(id),
        last_seen_at          INTEGER NOT NULL,
        last_seen_run         INTEGER REFERENCES sync_runs(id),
        gone_at               INTEGER,
        gone_run              INTEGER REFERENCES sync_runs(id)
      ) STRICT;
      CREATE INDEX threads_parent ON threads(parent_chat_id);

      CREATE TABLE users (
        user_id        TEXT PRIMARY KEY,
        email          TEXT,
        name           TEXT,
        display_name   TEXT,
        status         TEXT,
        source_json    TEXT NOT NULL,
        source_hash    TEXT NOT NULL,
        version_seen_at INTEGER NOT NULL,
        first_seen_at  INTEGER NOT NULL,
        first_seen_run INTEGER REFERENCES sync_runs(id),
        last_seen_at   INTEGER NOT NULL,
        last_seen_run  INTEGER REFERENCES sync_runs(id),
        gone_at        INTEGER,
        gone_run       INTEGER REFERENCES sync_runs(id)
      ) STRICT;
      CREATE INDEX users_email ON users(email);

      -- Membership history as intervals. A member who leaves keeps the row, with gone_at; coming
      -- back opens a new interval. At most one open interval per (chat, member).
      CREATE TABLE memberships (
        id             INTEGER PRIMARY KEY,
        chat_id        TEXT NOT NULL,
        member_key     TEXT NOT NULL,   -- the user id, or 'email:<address>' if the export had none
        user_id        TEXT,
        name           TEXT,
        email          TEXT,
        first_seen_at  INTEGER NOT NULL,
        first_seen_run INTEGER REFERENCES sync_runs(id),
        last_seen_at   INTEGER NOT NULL,
        last_seen_run  INTEGER REFERENCES sync_runs(id),
        gone_at        INTEGER,
        gone_run       INTEGER REFERENCES sync_runs(id)
      ) STRICT;
      CREATE UNIQUE INDEX memberships_open ON memberships(chat_id, member_key) WHERE gone_at IS NULL;
      CREATE INDEX memberships_member ON memberships(member_key);

      -- IMPORTANT: id is a time-ordered key (time_ms * 1024 + n), not an autoincrement, so that
      -- rowid order is message-time order for FTS queries. Adding a searchable column means
      -- updating messages_fts, the FTS maintenance in messagesRepo.ts and the export columns.
      CREATE TABLE messages (
        id              INTEGER PRIMARY KEY,
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
        deleted_run     INTEGER REFERENCES sync_runs(id)
      ) STRICT;
      CREATE UNIQUE INDEX messages_chat_message ON messages(chat_id, message_id);
      CREATE INDEX messages_chat_time ON messages(chat_id, time);
      CREATE INDEX messages_sender ON messages(sender_id);

      -- Earlier versions of changed messages: each kept with the time it was first seen and the
      -- time a newer version replaced it. The current version lives in messages.
      CREATE TABLE message_versions (
        id              INTEGER PRIMARY KEY,
        message_rowid   INTEGER NOT NULL REFERENCES messages(id),
        version         INTEGER NOT NULL,
        content_hash    TEXT NOT NULL,
        raw_json        TEXT NOT NULL,
        text            TEXT,
        seen_at         INTEGER NOT NULL,
        superseded_at   INTEGER NOT NULL,
        superseded_run  INTEGER REFERENCES sync_runs(id),
        UNIQUE (message_rowid, version)
      ) STRICT;

      -- Earlier metadata of chats, channels, threads and users (a renamed channel, a user who was
      -- deactivated): the previous source payload with when it was first seen and replaced.
      -- Counters that move with every message (totals, last-modified) do not make a new version.
      CREATE TABLE entity_history (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('chat', 'channel', 'thread', 'user')),
        entity_key     TEXT NOT NULL,
        source_json    TEXT NOT NULL,
        seen_at        INTEGER NOT NULL,
        superseded_at  INTEGER NOT NULL,
        superseded_run INTEGER REFERENCES sync_runs(id)
      ) STRICT;
      CREATE INDEX entity_history_key ON entity_history(kind, entity_key);

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, file_name, extra_text,
        content = 'messages', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );

      -- Per-chat message checkpoint. Everything of the chat in [walk_from, cursor_time) is stored;
      -- a run that stops resumes at cursor_time. synced_* are the server's figures at the last
      -- complete pass: when M1/M2 report the same again, the chat costs no message call.
      CREATE TABLE chat_sync_state (
        chat_id                TEXT PRIMARY KEY REFERENCES chats(chat_id),
        status                 TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'complete', 'forbidden', 'not_found', 'error')),
        walk_from              INTEGER,
        cursor_time            INTEGER,
        walk_full              INTEGER NOT NULL DEFAULT 0,
        walk_seen              INTEGER NOT NULL DEFAULT 0,
        synced_message_count   INTEGER,
        synced_last_modified   INTEGER,
        -- server total minus archived live messages after the last full walk: a steady difference
        -- (the server counts something the export does not return) must not force endless re-walks.
        count_offset           INTEGER,
        last_complete_at       INTEGER,
        last_complete_run      INTEGER REFERENCES sync_runs(id),
        last_full_at           INTEGER,
        members_synced_at      INTEGER,
        members_count_at_sync  INTEGER,
        members_modified_at_sync INTEGER,
        error_code             TEXT,
        error_message          TEXT,
        updated_at             INTEGER NOT NULL
      ) STRICT;

      -- Ids seen by a full walk in progress, for noticing deletions when it completes. Short-lived:
      -- cleared when the walk completes, kept across a crash so the resumed walk still knows them.
      CREATE TABLE walk_seen (
        chat_id    TEXT NOT NULL,
        message_id TEXT NOT NULL,
        PRIMARY KEY (chat_id, message_id)
      ) STRICT, WITHOUT ROWID;

      -- 429 locks, so a restarted process does not hammer an endpoint that told us to wait.
      CREATE TABLE rate_locks (
        family       TEXT PRIMARY KEY,
        locked_until INTEGER NOT NULL,
        reason       TEXT NOT NULL,
        set_at       INTEGER NOT NULL
      ) STRICT;

      -- One writer at a time (desktop app, CLI, scheduled backup): a lease with a heartbeat.
      CREATE TABLE writer_lease (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        holder       TEXT NOT NULL,
        pid          INTEGER NOT NULL,
        host         TEXT NOT NULL,
        acquired_at  INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL
      ) STRICT;

      -- Things an auditor should be able to find later: a chat that came back after being noticed
      -- gone, a channel that could not be mapped, a chat that refused export.
      CREATE TABLE archive_events (
        id       INTEGER PRIMARY KEY,
        at       INTEGER NOT NULL,
        run_id   INTEGER REFERENCES sync_runs(id),
        kind     TEXT NOT NULL,
        subject  TEXT,
        detail   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX archive_events_run ON archive_events(run_id);

      CREATE VIEW tombstones AS
        SELECT 'message' AS kind, chat_id || '/' || message_id AS subject, deleted_at AS noticed_at, deleted_run AS run_id
          FROM messages WHERE deleted_at IS NOT NULL
        UNION ALL SELECT 'chat', chat_id, gone_at, gone_run FROM chats WHERE gone_at IS NOT NULL
        UNION ALL SELECT 'channel', channel_id, gone_at, gone_run FROM channels WHERE gone_at IS NOT NULL
        UNION ALL SELECT 'thread', thread_chat_id, gone_at, gone_run FROM threads WHERE gone_at IS NOT NULL
        UNION ALL SELECT 'user', user_id, gone_at, gone_run FROM users WHERE gone_at IS NOT NULL
        UNION ALL SELECT 'membership', chat_id || '/' || member_key, gone_at, gone_run FROM memberships WHERE gone_at IS NOT NULL;

      -- Server-reported totals next to what the archive holds, per conversation.
      CREATE VIEW chat_coverage AS
        SELECT c.chat_id, c.kind, c.title, c.server_message_count, c.server_last_modified,
               (SELECT count(*) FROM messages m WHERE m.chat_id = c.chat_id AND m.deleted_at IS NULL) AS archived_count,
               (SELECT count(*) FROM messages m WHERE m.chat_id = c.chat_id AND m.deleted_at IS NOT NULL) AS deleted_count,
               s.status AS sync_status, s.last_complete_at, s.error_code, c.gone_at
          FROM chats c LEFT JOIN chat_sync_state s ON s.chat_id = c.chat_id;
    `);
  },
};
