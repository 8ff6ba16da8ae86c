import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openArchiveDb } from '../archive/connection';
import { changeRange } from './range';
import { renderChangeReport } from './render';
import { changeReport } from './report';

/**
 * After a sync: what that run brought, as `changes-run-<id>.txt` in `dir` (the nightly job's log
 * folder), written whole or not at all (temp + rename). Returns the file's path.
 */
export function writeRunChanges(archivePath: string, runId: number, dir: string, timeZone: string): string {
  const db = openArchiveDb(archivePath, { readonly: true });
  let text: string;
  try {
    // The runs after the one before this run: this run (and any that began while it ran).
    const before = (db.prepare('SELECT max(id) FROM sync_runs WHERE id < ?').pluck().get(runId) as number | null) ?? 0;
    const range = changeRange(db, { afterRun: before, label: `by sync run ${runId}` });
    text = renderChangeReport(changeReport(db, range, 1_000), archivePath, timeZone);
  } finally {
    db.close();
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `changes-run-${runId}.txt`);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, path);
  return path;
}
