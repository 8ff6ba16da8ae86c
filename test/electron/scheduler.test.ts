import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayloads } from '../../shared/contract';
import { defaultSettings, type AppSchedule } from '../../shared/settings';
import type { ScheduleStatus } from '../../shared/views';
import type { AppService } from '../../electron/core/app/appService';
import { silentLogger } from '../../electron/core/util/log';
import { startScheduler, type Scheduler } from '../../electron/main/scheduler';

type Listener = Parameters<AppService['on']>[0];

function fakeService() {
  const listeners = new Set<Listener>();
  const runs: ((status: ScheduleStatus) => void)[] = [];
  const service = {
    on(listener: Listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    runScheduledJob: vi.fn(() => new Promise<ScheduleStatus>((resolve) => runs.push(resolve))),
  };
  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => {
    for (const listener of listeners) listener(event, payload);
  };
  return { service, listeners, runs, emit };
}

const weekdaysOnly: AppSchedule = { enabled: true, time: '02:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'], keep: 7 };
const done: ScheduleStatus = { enabled: true, nextRun: null, lastRun: { at: 0, ok: true, message: 'Sync complete.' }, runsInApp: true };

let scheduler: Scheduler | undefined;
afterEach(() => {
  scheduler?.stop();
  scheduler = undefined;
  vi.useRealTimers();
});

describe('the in-app scheduler', () => {
  let app: ReturnType<typeof fakeService>;
  beforeEach(() => {
    app = fakeService();
  });

  it('arms a cron job from the schedule, next run computed by croner in local time', () => {
    // Wednesday 2026-11-25 12:00 local: the next weekday 02:30 is Thursday's.
    vi.useFakeTimers({ now: new Date(2026, 10, 25, 12, 0, 0) });
    scheduler = startScheduler({ service: app.service, schedule: weekdaysOnly, log: silentLogger });
    expect(scheduler.pattern).toBe('30 2 * * 1,2,3,4,5');
    expect(scheduler.nextRun()).toEqual(new Date(2026, 10, 26, 2, 30, 0));
  });

  it('skips days that are not in the schedule', () => {
    // Friday 2026-11-27 12:00 local: Saturday and Sunday are off, so Monday.
    vi.useFakeTimers({ now: new Date(2026, 10, 27, 12, 0, 0) });
    scheduler = startScheduler({ service: app.service, schedule: weekdaysOnly, log: silentLogger });
    expect(scheduler.nextRun()).toEqual(new Date(2026, 10, 30, 2, 30, 0));
  });

  it('has no job while the schedule is off', () => {
    scheduler = startScheduler({ service: app.service, schedule: defaultSettings().schedule, log: silentLogger });
    expect(scheduler.pattern).toBeNull();
    expect(scheduler.nextRun()).toBeNull();
  });

  it('re-arms when the settings change, and disarms when the schedule is turned off', () => {
    vi.useFakeTimers({ now: new Date(2026, 10, 25, 12, 0, 0) });
    scheduler = startScheduler({ service: app.service, schedule: defaultSettings().schedule, log: silentLogger });
    app.emit('settings:changed', { ...defaultSettings(), schedule: { ...weekdaysOnly, time: '23:05', days: ['sun'] } });
    expect(scheduler.pattern).toBe('5 23 * * 0');
    expect(scheduler.nextRun()).toEqual(new Date(2026, 10, 29, 23, 5, 0));
    app.emit('sync:done', { jobId: 'job-1' });
    expect(scheduler.pattern).toBe('5 23 * * 0');
    app.emit('settings:changed', defaultSettings());
    expect(scheduler.pattern).toBeNull();
    expect(scheduler.nextRun()).toBeNull();
  });

  it('runs the scheduled job when the time comes, never two at once', async () => {
    vi.useFakeTimers({ now: new Date(2026, 10, 25, 2, 29, 0) });
    scheduler = startScheduler({ service: app.service, schedule: { ...weekdaysOnly, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }, log: silentLogger });
    await vi.advanceTimersByTimeAsync(61_000);
    expect(app.service.runScheduledJob).toHaveBeenCalledTimes(1);
    // The first run is still going a day later: that day's run is skipped.
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(app.service.runScheduledJob).toHaveBeenCalledTimes(1);
    app.runs[0]?.(done);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(app.service.runScheduledJob).toHaveBeenCalledTimes(2);
  });

  it('stops: no job, no subscription', () => {
    scheduler = startScheduler({ service: app.service, schedule: weekdaysOnly, log: silentLogger });
    scheduler.stop();
    expect(scheduler.nextRun()).toBeNull();
    expect(app.listeners.size).toBe(0);
  });
});
