import { Cron } from 'croner';
import type { AppSchedule } from '../../../shared/settings';
import { weekdays } from '../../../shared/scheduleSettings';

/**
 * The in-app nightly schedule as a cron pattern (minute hour * * days, local time). One function
 * for the Electron scheduler that runs it and for `schedule:status`, which shows the next run.
 */
export function cronPattern(schedule: Pick<AppSchedule, 'time' | 'days'>): string {
  const [hour, minute] = schedule.time.split(':').map(Number);
  // Cron counts Sunday as 0; weekdays[] starts on Monday.
  const days = schedule.days.length === 7 ? '*' : schedule.days.map((day) => (weekdays.indexOf(day) + 1) % 7).join(',');
  return `${minute ?? 0} ${hour ?? 0} * * ${days}`;
}

/** When the schedule next fires after `now` (epoch ms), or null while it is disabled. */
export function nextScheduledRun(schedule: AppSchedule, now: number): number | null {
  if (!schedule.enabled) return null;
  const next = new Cron(cronPattern(schedule), { paused: true }).nextRun(new Date(now));
  return next ? next.getTime() : null;
}
