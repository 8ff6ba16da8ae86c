import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { VaultError } from '../../../../shared/errors';
import type { BackupDone } from '../../../../shared/views';
import { listSnapshots } from '../../backup/catalog';
import { restoreSnapshot } from '../../backup/restore';
import { createSnapshot } from '../../backup/snapshot';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import type { JobRunner } from '../jobRunner';
import type { ScheduledRun } from '../scheduledRun';

/** A snapshot of the active archive into the settings' backup folder, rotated by its `keep`. */
export async function backupNow(ctx: AppContext): Promise<BackupDone> {
  const schedule = ctx.settings().schedule;
  if (schedule.backupDir === undefined) {
    throw new VaultError('USAGE', 'No backup folder is set.', { hint: 'Choose a backup folder on the Schedule & backups screen.' });
  }
  // The folder was chosen in the app (not typed on a command line): create it, as a file dialog would.
  mkdirSync(schedule.backupDir, { recursive: true });
  const result = await createSnapshot({ archivePath: ctx.archivePath(), toDir: schedule.backupDir, keep: schedule.keep, clock: ctx.clock });
  const files = result.files === null ? null : { ...result.files, unavailable: result.files.unavailable.length };
  return { path: result.path, sizeBytes: result.manifest.sizeBytes, sha256: result.manifest.sha256, removed: result.rotation?.deleted ?? [], files };
}

/** The Schedule & backups screen: snapshots (list, create, restore) and the schedule's status. */
export function backupHandlers(
  ctx: AppContext,
  jobs: { sync: Pick<JobRunner<'sync'>, 'status'>; audit: Pick<JobRunner<'audit'>, 'status'> },
  schedule: Pick<ScheduledRun, 'status'>,
): Pick<Handlers, 'backup:list' | 'backup:create' | 'backup:restore' | 'schedule:status'> {
  return {
    'backup:list': () => {
      const dir = ctx.settings().schedule.backupDir;
      if (dir === undefined || !existsSync(dir)) return [];
      return listSnapshots(dir).map((entry) => ({
        path: entry.path,
        name: entry.name,
        createdAtMs: entry.manifest?.createdAtMs ?? null,
        sizeBytes: entry.manifest?.sizeBytes ?? null,
        sha256: entry.manifest?.sha256 ?? null,
        kind: entry.manifest?.kind ?? null,
        messages: entry.manifest?.counts?.messages ?? null,
        problem: entry.problem ?? null,
      }));
    },
    'backup:create': () => backupNow(ctx),
    'backup:restore': async ({ snapshotPath }) => {
      if (jobs.sync.status() || jobs.audit.status()) throw new VaultError('ARCHIVE_LOCKED', 'A sync or an export is running.', { hint: 'Wait for it to finish before restoring.' });
      // SQLite refuses a restore while another connection is open: ours goes first.
      ctx.closeReader();
      // The looks made in the archive being replaced go into it first (its safety copy keeps them).
      ctx.review.flush(2000);
      // Recorded in the restored archive: it is the one whose history now goes on.
      return ctx.look(
        'restore',
        { snapshot: resolve(snapshotPath) },
        async () => {
          const report = await restoreSnapshot({ snapshotPath: resolve(snapshotPath), archivePath: ctx.archivePath(), clock: ctx.clock });
          return { restoredFrom: report.snapshotPath, safetyCopy: report.safetyCopy?.path ?? null };
        },
        (done) => ({ detail: done.safetyCopy === null ? null : `the archive it replaced is kept in ${done.safetyCopy}` }),
      );
    },
    'schedule:status': () => schedule.status(),
  };
}
