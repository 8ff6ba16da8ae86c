import { screenWords, toVaultError, VaultError } from '../../../shared/errors';
import type { BackupDone, ScheduleStatus } from '../../../shared/views';
import type { AppContext } from './context';
import type { JobRunner, RunningJob } from './jobRunner';
import { nextScheduledRun } from './schedule';

/** The nightly job as a shell's own scheduler runs it (AppService.runScheduledJob), and what it last did. */
export interface ScheduledRun {
  /** `schedule:status`: enabled, the next run, the last run's outcome. */
  status(): ScheduleStatus;
  /** A sync, then a backup when a backup folder is set; emits `schedule:ran`. Never throws. */
  run(): Promise<ScheduleStatus>;
}

export function createScheduledRun(ctx: AppContext, steps: { syncJobs: Pick<JobRunner<'sync'>, 'status'>; startSync: () => RunningJob<'sync'>; backup: () => Promise<BackupDone> }): ScheduledRun {
  let lastRun: ScheduleStatus['lastRun'] = null;

  function status(): ScheduleStatus {
    const schedule = ctx.settings().schedule;
    return { enabled: schedule.enabled, nextRun: nextScheduledRun(schedule, ctx.clock.now()), lastRun, runsInApp: ctx.deps.host.runsScheduleInApp };
  }

  return {
    status,
    async run() {
      const at = ctx.clock.now();
      let outcome: { ok: boolean; message: string };
      try {
        if (steps.syncJobs.status()) throw new VaultError('ARCHIVE_LOCKED', 'A sync was already running; the scheduled run was skipped.');
        const done = await steps.startSync().finished;
        if (done.error) throw VaultError.fromShape(done.error);
        const syncStatus = done.report?.status ?? 'failed';
        const backup = ctx.settings().schedule.backupDir === undefined ? null : await steps.backup();
        outcome = { ok: syncStatus === 'complete', message: `Sync ${syncStatus}${backup ? `; snapshot ${backup.path}` : '; no backup folder set'}.` };
      } catch (error) {
        // Shown on the Schedule screen and in the tray: the app's words.
        outcome = { ok: false, message: screenWords(toVaultError(error).toShape()).message };
      }
      lastRun = { at, ...outcome };
      const current = status();
      ctx.emit('schedule:ran', current);
      return current;
    },
  };
}
