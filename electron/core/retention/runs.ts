import type Database from 'better-sqlite3-multiple-ciphers';
import { retentionPolicySchema, type RetentionRunRow } from '../../../shared/retention';

interface RunRow {
  run_id: number;
  started_at: number;
  ended_at: number | null;
  status: RetentionRunRow['status'];
  policy_json: string;
  cutoff_time: number;
  profile: string | null;
  os_user: string;
  host: string;
  purged: number;
  kept_held: number;
  files_removed: number;
}

/** The archive's retention runs, newest first (none before migration 0068 ran). */
export function retentionRuns(db: Database.Database, limit = 50): RetentionRunRow[] {
  const rows = db
    .prepare<[number], RunRow>(
      `SELECT run_id, started_at, ended_at, status, policy_json, cutoff_time, profile, os_user, host, purged, kept_held, files_removed
         FROM retention_runs ORDER BY run_id DESC LIMIT ?`,
    )
    .all(limit);
  return rows.map((r) => ({
    runId: r.run_id,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    status: r.status,
    // Recorded by this code from a parsed policy; parsed again so the screen gets the shape it expects.
    policy: retentionPolicySchema.parse(JSON.parse(r.policy_json)),
    cutoff: r.cutoff_time,
    by: `${r.os_user}@${r.host}${r.profile === null ? '' : ` (profile ${r.profile})`}`,
    purged: r.purged,
    keptHeld: r.kept_held,
    filesRemoved: r.files_removed,
  }));
}
