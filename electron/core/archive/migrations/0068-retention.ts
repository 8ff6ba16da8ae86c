import type { Migration } from './types';

/**
 * Retention (issue 14, part 2): what a purge removed, so the archive can forget lawfully and still
 * prove what it forgot.
 *
 * - `retention_runs`: one sealed row per applied purge: the policy as given (JSON), the cut-off it
 *   meant, who ran it (profile, OS user, host, tool version), when it started and ended, and how many
 *   messages it purged and kept because of a hold. A purge commits in batches (each batch whole or
 *   not at all, in a seal of its own); the run's counts and status follow each batch, and a run a
 *   crash stopped stays 'running' until the next apply marks it 'interrupted'. A dry run changes
 *   nothing and writes nothing here.
 * - `purged_messages`: one sealed row per purged message: its ids and key, time, sender, kind of
 *   conversation, the content hash and row hash it had (the hashes an audit bundle or a snapshot
 *   made before the purge shows for it), how many earlier versions and attachments went with it,
 *   and the run. The row's own seal closes the purge, so the seal chain shows what went, when and
 *   under which policy, and `verify` still passes.
 *
 * The triggers keep them: no purge record is ever deleted, a purged message's record never changes
 * (but for the sealer's row_hash/seal_id), and a run's facts (policy, cut-off, who, when it started)
 * never change; only its counts, end and status move on. The unique (chat_id, message_id) is what
 * keeps a later sync from archiving a purged message again (archive/messagesRepo.ts).
 */
export const migration: Migration = {
  version: 68,
  name: 'retention',
  up(db) {
    db.exec(`
      CREATE TABLE retention_runs (
        run_id         INTEGER PRIMARY KEY,
        started_at     INTEGER NOT NULL,        -- epoch ms
        ended_at       INTEGER,
        status         TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
        policy_json    TEXT NOT NULL,           -- the policy as given: keep days, kinds, conversations
        cutoff_time    INTEGER NOT NULL,        -- messages older than this (epoch ms) were due
        profile        TEXT,                    -- the app's org profile; NULL from the CLI
        os_user        TEXT NOT NULL,
        host           TEXT NOT NULL,
        tool_version   TEXT NOT NULL,
        purged         INTEGER NOT NULL,
        kept_held      INTEGER NOT NULL,        -- due by the policy, kept because a hold covers them
        files_removed  INTEGER NOT NULL,        -- file store objects no stored attachment names any more
        row_hash       TEXT,
        seal_id        INTEGER
      ) STRICT;

      CREATE TABLE purged_messages (
        id             INTEGER PRIMARY KEY,
        run_id         INTEGER NOT NULL REFERENCES retention_runs(run_id),
        chat_id        TEXT NOT NULL,
        message_id     TEXT NOT NULL,
        message_key    INTEGER NOT NULL,        -- messages.id it had
        time           INTEGER NOT NULL,
        sender_id      TEXT,
        chat_kind      TEXT,
        content_hash   TEXT NOT NULL,           -- messages.content_hash it had
        row_hash_was   TEXT,                    -- messages.row_hash it had (what its seal recorded)
        versions       INTEGER NOT NULL,        -- earlier versions purged with it
        attachments    INTEGER NOT NULL,        -- attachment records purged with it
        deleted_at     INTEGER,                 -- when it was noticed deleted in Cliq, if it was
        purged_at      INTEGER NOT NULL,
        row_hash       TEXT,
        seal_id        INTEGER,
        UNIQUE (chat_id, message_id)
      ) STRICT;
      CREATE INDEX purged_messages_run ON purged_messages(run_id);
    `);
    const facts: Record<string, string> = {
      retention_runs: 'run_id, started_at, policy_json, cutoff_time, profile, os_user, host, tool_version',
      purged_messages: 'id, run_id, chat_id, message_id, message_key, time, sender_id, chat_kind, content_hash, row_hash_was, versions, attachments, deleted_at, purged_at',
    };
    for (const [table, columns] of Object.entries(facts)) {
      db.exec(`
        CREATE TRIGGER ${table}_kept BEFORE DELETE ON ${table}
          BEGIN SELECT RAISE(ABORT, 'purge records are never deleted'); END;
        CREATE TRIGGER ${table}_unchanged BEFORE UPDATE OF ${columns} ON ${table}
          BEGIN SELECT RAISE(ABORT, 'purge records are never changed'); END;
      `);
    }
  },
};
