import type Database from 'better-sqlite3-multiple-ciphers';
import type { ReviewAction, ReviewEntry, ReviewOutcome, ReviewPage, ReviewQuery, ReviewShell } from '../../../shared/review';
import { Sealer } from '../archive/sealing/sealer';
import { boundToInstant, checkDateOrder, checkTimeZone } from '../util/timeZone';

/** One look, as it is queued and written (review_log, migration 0067): an entry before the log numbers, seals and dates its batch. */
export type ReviewRecord = Omit<ReviewEntry, 'id' | 'recordedAt' | 'rowHash'>;

/**
 * Writes a batch of looks in one short IMMEDIATE transaction under one seal of kind 'audit' (a
 * custody action, as an audit bundle's row is), so a batch is on record whole or not at all.
 * `db` is a writable connection of the caller's; nothing else is written.
 */
export function writeReviewBatch(db: Database.Database, records: readonly ReviewRecord[], now: number): void {
  if (records.length === 0) return;
  const sealer = new Sealer(db);
  const insert = db.prepare(
    `INSERT INTO review_log (at, action, shell, profile_id, profile_name, os_user, host, tool_version, scope_json, chat_id, results, outcome, detail,
                             refinements, first_at, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    const sealId = sealer.open('audit', null, now);
    for (const r of records) {
      const row = insert.run(
        r.at,
        r.action,
        r.shell,
        r.profileId,
        r.profileName,
        r.osUser,
        r.host,
        r.toolVersion,
        JSON.stringify(r.scope),
        r.chatId,
        r.results,
        r.outcome,
        r.detail,
        r.refinements,
        r.firstAt,
        now,
      );
      sealer.reseal('review_log', row.lastInsertRowid);
    }
    sealer.close(sealId, now);
  }).immediate();
}

interface Row {
  id: number;
  at: number;
  action: string;
  shell: string;
  profile_id: string | null;
  profile_name: string | null;
  os_user: string;
  host: string;
  tool_version: string;
  scope_json: string;
  chat_id: string | null;
  results: number | null;
  outcome: string;
  detail: string | null;
  refinements: number;
  first_at: number | null;
  recorded_at: number;
  row_hash: string | null;
}

/**
 * A page of the review log, newest first, filtered by action and time (`from`/`to` as days or
 * instants in the query's time zone). An archive older than migration 0067 has no log: an empty page.
 */
export function readReviewLog(db: Database.Database, query: ReviewQuery): ReviewPage {
  if (db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'review_log'").get() === undefined) return { entries: [], nextBefore: null };
  checkTimeZone(query.timeZone);
  checkDateOrder(query.from, query.to, query.timeZone);
  const from = query.from === undefined ? Number.MIN_SAFE_INTEGER : boundToInstant(query.from, query.timeZone, 'from');
  const to = query.to === undefined ? Number.MAX_SAFE_INTEGER : boundToInstant(query.to, query.timeZone, 'to');
  const actions = query.actions ?? [];
  const rows = db
    .prepare<[number, number, number, number, string], Row>(
      `SELECT id, at, action, shell, profile_id, profile_name, os_user, host, tool_version, scope_json, chat_id, results, outcome, detail,
              refinements, first_at, recorded_at, row_hash
         FROM review_log
        WHERE at BETWEEN ? AND ? AND id < ?
          AND (? = 0 OR action IN (SELECT value FROM json_each(?)))
        ORDER BY id DESC LIMIT ${query.limit + 1}`,
    )
    .all(from, to, query.before ?? Number.MAX_SAFE_INTEGER, actions.length, JSON.stringify(actions));
  const page = rows.slice(0, query.limit);
  return { entries: page.map(toEntry), nextBefore: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

function toEntry(r: Row): ReviewEntry {
  return {
    id: r.id,
    at: r.at,
    action: r.action as ReviewAction,
    shell: r.shell as ReviewShell,
    profileId: r.profile_id,
    profileName: r.profile_name,
    osUser: r.os_user,
    host: r.host,
    toolVersion: r.tool_version,
    scope: JSON.parse(r.scope_json) as Record<string, unknown>,
    chatId: r.chat_id,
    results: r.results,
    outcome: r.outcome as ReviewOutcome,
    detail: r.detail,
    refinements: r.refinements,
    firstAt: r.first_at,
    recordedAt: r.recorded_at,
    rowHash: r.row_hash,
  };
}
