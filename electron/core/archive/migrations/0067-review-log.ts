import type { Migration } from './types';

/**
 * The review log (issue 14, part 4): one sealed row per look at the archive — a search, a transcript
 * read, an export, an audit bundle, a verify, a restore, and the custody actions (holds, retention,
 * key changes) — with who (profile, OS user, host), from which shell, what scope, how many results
 * and how it ended.
 *
 * A table of its own rather than more rows in audit_log (0040): audit_log's bundle columns
 * (bundle_path, files_json, a status of complete/failed/cancelled) are NOT NULL and mean one
 * bundle; SQLite cannot relax them without rebuilding a sealed table, and a search has no bundle.
 * audit_log stays the bundles' record; a bundle is also one review_log row (action 'bundle').
 *
 * `action` has no CHECK: the closed set lives in shared/review.ts (typed at the one writer,
 * core/review), and a feature adding an action must not need a rebuild of a sealed table. `shell`
 * and `outcome` are small and settled: checked here.
 *
 * Entries are queued in memory and written in batches (core/review/recorder.ts): `at` is when the
 * look was answered, `recorded_at` when its batch was written. `refinements` counts the searches of
 * one search-as-you-type burst folded into the entry (their texts in scope_json.earlierTexts),
 * `first_at` when the first was typed. `chat_id` is the one conversation looked at, when there is
 * one, so a scoped audit bundle can carry the looks at its conversations.
 */
export const migration: Migration = {
  version: 67,
  name: 'review-log',
  up(db) {
    db.exec(`
      CREATE TABLE review_log (
        id           INTEGER PRIMARY KEY,
        at           INTEGER NOT NULL,
        action       TEXT NOT NULL,
        shell        TEXT NOT NULL CHECK (shell IN ('desktop', 'serve', 'cli')),
        profile_id   TEXT,
        profile_name TEXT,
        os_user      TEXT NOT NULL,
        host         TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        scope_json   TEXT NOT NULL,
        chat_id      TEXT,
        results      INTEGER,
        outcome      TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'refused', 'cancelled')),
        detail       TEXT,
        refinements  INTEGER NOT NULL DEFAULT 0,
        first_at     INTEGER,
        recorded_at  INTEGER NOT NULL,
        row_hash     TEXT,
        seal_id      INTEGER
      ) STRICT;
      CREATE INDEX review_log_at ON review_log(at);
      CREATE INDEX review_log_action ON review_log(action, at);
      CREATE INDEX review_log_chat ON review_log(chat_id) WHERE chat_id IS NOT NULL;
    `);
  },
};
