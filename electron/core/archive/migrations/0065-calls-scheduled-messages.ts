import type { Migration } from './types';

/** The entity kinds this step adds to entity_history (archive/entityStore.ts EntityKind). */
const addedKinds = ['call', 'call_participant', 'scheduled_message'];

/**
 * Calls and meetings, and scheduled messages, of the connected account (issue 12).
 *
 * `calls` (X1 /mediasessions) and `call_participants` (X2 /mediasessions/{nrs_id}/participants)
 * and `scheduled_messages` (v3 /scheduledmessages, v2 as fallback) share the inventory tables'
 * life cycle (archive/entityStore.ts): first seen → seen again (a changed payload sends the
 * previous one to entity_history) → noticed gone → maybe back. Each is sealed from the start.
 * A participant's key is `<call_id>/<user>/<start_time>`: one person may join a call twice.
 *
 * A scheduled message's fate is where it went when it left the listing (sync/scheduledMessages.ts
 * decides, docs/cliq-api.md §7.10 documents): pending, sent (matched to the archived message it
 * became: sent_chat_id, sent_message_id), presumed_sent (its time had passed, no message found
 * yet), deleted (gone before its time and no message found), gone (a status-triggered one gone
 * without a message found: sent or deleted, Cliq does not say). A reschedule is a changed payload:
 * its earlier time stays in entity_history.
 *
 * `call_participant_fetches` is operational (not sealed): which version of a call (its
 * source_hash) had its participants listed, so X2 is asked only for new or changed calls.
 *
 * entity_history's kind CHECK lists the kinds it accepts; SQLite cannot alter a CHECK, so the
 * table is rebuilt with this step's kinds added to whatever list it has now (other steps of the
 * same release add theirs). Same columns in the same order and the same ids, so every row keeps
 * its hash and its seal.
 */
export const migration: Migration = {
  version: 65,
  name: 'calls-scheduled-messages',
  up(db) {
    const lifeCycle = `
        source_json     TEXT NOT NULL,
        source_hash     TEXT NOT NULL,
        version_seen_at INTEGER NOT NULL,
        first_seen_at   INTEGER NOT NULL,
        first_seen_run  INTEGER REFERENCES sync_runs(id),
        last_seen_at    INTEGER NOT NULL,
        last_seen_run   INTEGER REFERENCES sync_runs(id),
        gone_at         INTEGER,
        gone_run        INTEGER REFERENCES sync_runs(id),
        row_hash        TEXT,
        seal_id         INTEGER`;
    db.exec(`
      CREATE TABLE calls (
        call_id           TEXT PRIMARY KEY,   -- X1 id
        session_id        TEXT,
        nrs_id            TEXT,               -- the id X2 takes
        type              TEXT,               -- audio_conference, video_conference, handshake, assembly, direct_call…
        title             TEXT,
        scope             TEXT,               -- personal | chat
        chat_id           TEXT,
        chat_title        TEXT,
        start_time        INTEGER,            -- epoch ms
        end_time          INTEGER,
        host_id           TEXT,
        host_name         TEXT,
        participant_count INTEGER,
        is_partial        INTEGER,
        recording         INTEGER,            -- NULL: not said
        ${lifeCycle}
      ) STRICT;
      CREATE INDEX calls_chat ON calls(chat_id, start_time);

      CREATE TABLE call_participants (
        entry_key  TEXT PRIMARY KEY,          -- <call_id>/<user id or email:…>/<start_time>
        call_id    TEXT NOT NULL,
        user_id    TEXT,
        name       TEXT,
        email      TEXT,
        role       TEXT,
        start_time INTEGER,
        end_time   INTEGER,
        ${lifeCycle}
      ) STRICT;
      CREATE INDEX call_participants_call ON call_participants(call_id);

      CREATE TABLE call_participant_fetches (
        call_id     TEXT PRIMARY KEY,
        source_hash TEXT NOT NULL,            -- the call's version whose participants were listed
        fetched_at  INTEGER NOT NULL,
        run_id      INTEGER REFERENCES sync_runs(id)
      ) STRICT;

      CREATE TABLE scheduled_messages (
        scheduled_id     TEXT PRIMARY KEY,    -- v3 UUID, or v2's number as text
        api_version      TEXT NOT NULL CHECK (api_version IN ('v3', 'v2')),
        chat_id          TEXT,                -- v2 only: v3's list of all chats does not say
        creator_id       TEXT,
        creator_name     TEXT,
        sender_id        TEXT,
        sender_name      TEXT,
        message_type     TEXT,
        text             TEXT,
        file_name        TEXT,
        timezone         TEXT,
        schedule_kind    TEXT NOT NULL CHECK (schedule_kind IN ('time', 'status')),
        scheduled_at     INTEGER,             -- epoch ms; NULL for a status trigger
        schedule_status  TEXT,                -- check_in, check_out, user_available, call_end
        created_at       INTEGER,
        fate             TEXT NOT NULL DEFAULT 'pending' CHECK (fate IN ('pending', 'sent', 'presumed_sent', 'deleted', 'gone')),
        fate_at          INTEGER,             -- when the fate was decided (the sync that noticed it gone, or matched it)
        sent_chat_id     TEXT,
        sent_message_id  TEXT,
        ${lifeCycle}
      ) STRICT;
      CREATE INDEX scheduled_messages_fate ON scheduled_messages(fate);
    `);

    const current = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'entity_history'").get()?.sql ?? '';
    const list = /kind IN \(([^)]*)\)/.exec(current);
    // No list to extend (an earlier step dropped the CHECK): every kind is accepted already.
    if (list) {
      const kinds = (list[1] ?? '').split(',').map((k) => k.trim());
      for (const kind of addedKinds) if (!kinds.includes(`'${kind}'`)) kinds.push(`'${kind}'`);
      db.exec(current.replace(/^CREATE TABLE "?entity_history"?/, 'CREATE TABLE entity_history_next').replace(list[0], `kind IN (${kinds.join(', ')})`));
      db.exec(`
        INSERT INTO entity_history_next SELECT * FROM entity_history;
        DROP TABLE entity_history;
        ALTER TABLE entity_history_next RENAME TO entity_history;
        CREATE INDEX entity_history_key ON entity_history(kind, entity_key);
      `);
    }
    db.exec(`
      -- Calls as Cliq's call_notification info messages record them, in every archived conversation
      -- of the org (no API call: the messages are already archived). content.data as sent; the
      -- "HH:MM:SS" duration also in seconds where it has that form.
      CREATE INDEX messages_call_notifications ON messages(chat_id, time) WHERE subtype = 'call_notification';
      CREATE VIEW call_notifications AS
        SELECT message_key, chat_id, message_id, time, sender_id, sender_name, status, call_type, duration,
               CASE WHEN duration GLOB '[0-9]*:[0-5][0-9]:[0-5][0-9]'
                    THEN CAST(substr(duration, 1, length(duration) - 6) AS INTEGER) * 3600
                         + CAST(substr(duration, -5, 2) AS INTEGER) * 60 + CAST(substr(duration, -2) AS INTEGER)
                    END AS duration_seconds,
               callee_id, callee_name, deleted_at
          FROM (SELECT id AS message_key, chat_id, message_id, time, sender_id, sender_name, deleted_at,
                       json_extract(raw_json, '$.content.data.status') AS status,
                       json_extract(raw_json, '$.content.data.call_type') AS call_type,
                       json_extract(raw_json, '$.content.data.duration') AS duration,
                       json_extract(raw_json, '$.content.data.callee.id') AS callee_id,
                       json_extract(raw_json, '$.content.data.callee.name') AS callee_name
                  FROM messages WHERE subtype = 'call_notification');
    `);
  },
};
