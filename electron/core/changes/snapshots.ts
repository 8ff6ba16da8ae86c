import { basename } from 'node:path';
import { VaultError } from '../../../shared/errors';
import type { ChangeReport } from '../../../shared/changes';
import { latestSchemaVersion } from '../archive/migrations';
import { openKeyed } from '../cipher';
import { changeRange } from './range';
import { changeReport } from './report';

/**
 * What changed between two snapshots of one archive: the runs the later one holds that the
 * earlier one does not, read from the later one. Both are opened read-only and never migrated (a
 * snapshot is evidence as it was made): the later one must be of this version's schema.
 */
export function changesBetweenSnapshots(earlierPath: string, laterPath: string, limit: number): ChangeReport {
  const earlier = facts(earlierPath);
  const later = facts(laterPath);
  if (earlier.archiveId !== later.archiveId) {
    throw new VaultError('USAGE', `${basename(earlierPath)} and ${basename(laterPath)} are snapshots of two different archives.`, {
      hint: 'Give two snapshots of the same archive, the earlier first.',
      ui: { message: 'These are snapshots of two different archives.', hint: 'Choose two snapshots of the same archive, the earlier first.' },
    });
  }
  if (earlier.lastRun > later.lastRun) {
    throw new VaultError('USAGE', `${basename(earlierPath)} is the later snapshot (run ${earlier.lastRun} against ${later.lastRun}).`, {
      hint: 'Give the earlier snapshot first.',
      ui: { message: 'The first snapshot is the later one.', hint: 'Choose the earlier snapshot first.' },
    });
  }
  if (later.schema !== latestSchemaVersion) {
    throw new VaultError('USAGE', `${basename(laterPath)} was made by another version of Cliq Vault (schema ${later.schema}; this one reads ${latestSchemaVersion}).`, {
      hint: 'Compare the archive itself with `--since-run`, or a snapshot made by this version.',
      ui: { message: `The later snapshot was made by another version of Cliq Vault (schema ${later.schema}).`, hint: 'Compare with a snapshot made by this version.' },
    });
  }
  const db = openKeyed(laterPath, { readonly: true, fileMustExist: true });
  try {
    const range = changeRange(db, { afterRun: earlier.lastRun, label: `between ${basename(earlierPath)} (run ${earlier.lastRun}) and ${basename(laterPath)} (run ${later.lastRun})` });
    return changeReport(db, range, limit);
  } finally {
    db.close();
  }
}

function facts(path: string): { archiveId: string | null; lastRun: number; schema: number } {
  const db = openKeyed(path, { readonly: true, fileMustExist: true });
  try {
    return {
      archiveId: (db.prepare("SELECT value FROM meta WHERE key = 'archive.id'").pluck().get() as string | undefined) ?? null,
      lastRun: (db.prepare('SELECT max(id) FROM sync_runs').pluck().get() as number | null) ?? 0,
      schema: db.pragma('user_version', { simple: true }) as number,
    };
  } finally {
    db.close();
  }
}
