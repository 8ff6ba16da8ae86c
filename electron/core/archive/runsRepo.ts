import type Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import type { RunStatus, RunError, RunSummary } from '../../../shared/sync';
import { parseArchivedRunErrors } from '../../../shared/warnings';
import { openArchiveDb } from './connection';
export type { RunStatus, RunError, RunSummary } from '../../../shared/sync';

const interrupted: RunError = { code: 'INTERRUPTED', message: 'The process stopped before the run finished; the next run resumed from its checkpoints.' };

interface Row {
  id: number;
  started_at: number;
  ended_at: number | null;
  status: RunStatus;
  tool_version: string;
  counts_json: string;
  calls_json: string;
  rate_limited_json: string;
  errors_json: string;
}

/** Sync runs: one row per run, written at start and at the end (and marked by the next run if it died). */
export class RunsRepo {
  private readonly insert: Database.Statement;
  private readonly finishStmt: Database.Statement;
  private readonly progressStmt: Database.Statement;
  private readonly orphans: Database.Statement;
  private readonly recentStmt: Database.Statement<[number], Row>;
  private readonly byId: Database.Statement<[number], Row>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO sync_runs (started_at, status, tool_version, options_json, pid, host) VALUES (?, 'running', ?, ?, ?, ?)`);
    this.finishStmt = db.prepare(
      `UPDATE sync_runs SET ended_at = ?, status = ?, counts_json = ?, calls_json = ?, rate_limited_json = ?, errors_json = ?
       WHERE id = ?`,
    );
    this.progressStmt = db.prepare(`UPDATE sync_runs SET counts_json = ?, calls_json = ?, rate_limited_json = ? WHERE id = ?`);
    // A run still 'running' when the next one starts died without finishing (SIGKILL, power loss).
    // Partial, as classifyRun would say of a run noting INTERRUPTED (warnings.ts).
    this.orphans = db.prepare(
      `UPDATE sync_runs SET status = 'partial', ended_at = coalesce(ended_at, ?),
         errors_json = json_insert(errors_json, '$[#]', json_object('code', ?, 'message', ?))
       WHERE status = 'running'`,
    );
    const columns = 'id, started_at, ended_at, status, tool_version, counts_json, calls_json, rate_limited_json, errors_json';
    this.recentStmt = db.prepare(`SELECT ${columns} FROM sync_runs ORDER BY id DESC LIMIT ?`);
    this.byId = db.prepare(`SELECT ${columns} FROM sync_runs WHERE id = ?`);
  }

  /** Marks runs left 'running' by a dead process as partial; returns how many. Call under the writer lease. */
  closeOrphans(now: number): number {
    return this.orphans.run(now, interrupted.code, interrupted.message).changes;
  }

  start(now: number, toolVersion: string, options: unknown, pid: number, host: string): number {
    return Number(this.insert.run(now, toolVersion, JSON.stringify(options), pid, host).lastInsertRowid);
  }

  /** Saves the counters while a run is going, so a run that dies still shows how far it got. */
  progress(id: number, counts: Record<string, number>, calls: Record<string, number>, rateLimited: Record<string, number>): void {
    this.progressStmt.run(JSON.stringify(counts), JSON.stringify(calls), JSON.stringify(rateLimited), id);
  }

  finish(
    id: number,
    result: { now: number; status: Exclude<RunStatus, 'running'>; counts: Record<string, number>; calls: Record<string, number>; rateLimited: Record<string, number>; errors: RunError[] },
  ): void {
    this.finishStmt.run(result.now, result.status, JSON.stringify(result.counts), JSON.stringify(result.calls), JSON.stringify(result.rateLimited), JSON.stringify(result.errors), id);
  }

  recent(limit: number): RunSummary[] {
    return this.recentStmt.all(limit).map(toSummary);
  }

  get(id: number): RunSummary | undefined {
    const row = this.byId.get(id);
    return row ? toSummary(row) : undefined;
  }
}

function toSummary(row: Row): RunSummary {
  return {
    id: row.id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status,
    toolVersion: row.tool_version,
    counts: JSON.parse(row.counts_json) as Record<string, number>,
    calls: JSON.parse(row.calls_json) as Record<string, number>,
    rateLimited: JSON.parse(row.rate_limited_json) as Record<string, number>,
    errors: parseArchivedRunErrors(row.errors_json),
  };
}

/**
 * How many sync runs an archive file holds (run ids count up from 1, and runs are never deleted);
 * 0 when there is no file yet. The demo org moves on one day per run (simulator/demoDays.ts).
 */
export function syncRunCount(archivePath: string): number {
  if (!existsSync(archivePath)) return 0;
  const db = openArchiveDb(archivePath, { readonly: true });
  try {
    return db.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM sync_runs').get()?.n ?? 0;
  } finally {
    db.close();
  }
}
