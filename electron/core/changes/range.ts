import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import type { ChangeRange } from '../../../shared/changes';
import { prepared } from '../search/search';
import { boundToInstant, formatInZone } from '../util/timeZone';

/** How a change report's runs are chosen. */
export type RangeAsked = { sinceRun: number } | { since: string; timeZone: string } | { afterRun: number; label: string };

type RunRow = { runId: number; startedAt: number; status: string };

/**
 * The runs a report covers: those after run N, or those started at or after a date, up to the
 * archive's latest run. A run still going is included (what it has written so far is archived).
 */
export function changeRange(db: Database.Database, asked: RangeAsked): ChangeRange {
  const latest = (prepared(db, 'SELECT max(id) FROM sync_runs').pluck().get() as number | null) ?? 0;
  let afterRun: number;
  let label: string;
  if ('sinceRun' in asked) {
    if (asked.sinceRun > latest) {
      throw new VaultError('USAGE', `There is no run ${asked.sinceRun} in this archive (its latest is ${latest}).`, {
        ui: { message: `There is no run ${asked.sinceRun} in this archive (its latest is ${latest}).` },
      });
    }
    afterRun = asked.sinceRun;
    label = `since run ${asked.sinceRun}`;
  } else if ('since' in asked) {
    const from = boundToInstant(asked.since, asked.timeZone, 'from');
    afterRun = ((prepared(db, 'SELECT max(id) FROM sync_runs WHERE started_at < ?').pluck().get(from) as number | null) ?? 0);
    label = `since ${formatInZone(from, asked.timeZone)} (${asked.timeZone})`;
  } else {
    afterRun = asked.afterRun;
    label = asked.label;
  }
  const runs = prepared(db, 'SELECT id AS runId, started_at AS startedAt, status FROM sync_runs WHERE id > ? ORDER BY id').all(afterRun) as RunRow[];
  return { afterRun, throughRun: runs.at(-1)?.runId ?? afterRun, runs, label };
}
