import { Cron } from 'croner';
import type { EventPayloads } from '../../shared/contract';
import type { AppSchedule } from '../../shared/settings';
import { type AppService, cronPattern } from '../core/app';
import { type Logger } from '../core/util';

/**
 * The in-app nightly job: a croner job on the schedule in settings (local time), calling
 * `service.runScheduledJob()`. Re-armed whenever the service reports new settings; runs never
 * overlap (`protect`); stopped on quit. The CLI's OS schedule (`cliq-vault schedule`) is separate.
 */
export interface Scheduler {
  /** The armed pattern, or null while the schedule is off. */
  readonly pattern: string | null;
  /** When the job fires next, or null while off. */
  nextRun(): Date | null;
  stop(): void;
}

export function startScheduler(options: { service: Pick<AppService, 'on' | 'runScheduledJob'>; schedule: AppSchedule; log: Logger }): Scheduler {
  const { service, log } = options;
  let job: Cron | null = null;
  let pattern: string | null = null;

  const arm = (schedule: AppSchedule) => {
    const next = schedule.enabled ? cronPattern(schedule) : null;
    if (next === pattern) return;
    job?.stop();
    job = null;
    pattern = next;
    if (next === null) {
      log.info('In-app schedule off');
      return;
    }
    job = new Cron(
      next,
      {
        protect: () => log.warn('Scheduled run skipped: the previous one is still running'),
        catch: (error) => log.error('Scheduled run failed', { error: String(error) }),
      },
      async () => {
        const status = await service.runScheduledJob();
        log.info('Scheduled run finished', { ok: status.lastRun?.ok ?? null, message: status.lastRun?.message ?? null });
      },
    );
    log.info('In-app schedule armed', { pattern: next, nextRun: job.nextRun()?.toISOString() ?? null });
  };

  arm(options.schedule);
  const unsubscribe = service.on((event, payload) => {
    if (event === 'settings:changed') arm((payload as EventPayloads['settings:changed']).schedule);
  });

  return {
    get pattern() {
      return pattern;
    },
    nextRun: () => job?.nextRun() ?? null,
    stop() {
      unsubscribe();
      job?.stop();
      job = null;
      pattern = null;
    },
  };
}
