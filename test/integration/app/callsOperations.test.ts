import { describe, expect, it } from 'vitest';
import { optionalSources } from '../../../electron/core/sync/optionalSources';
import { useTempDir } from '../../helpers/tempDir';
import { useTestApps } from '../../helpers/appService';

/** The local calendar day of an instant in a zone, as the date filters name days. */
const localDay = (ms: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

describe('archive:calls, archive:scheduled and archive:sources through the app service (as both transports dispatch them)', () => {
  const tempDir = useTempDir('cliq-vault-calls-');
  const testApp = useTestApps();

  it('reads dates in the settings’ time zone, refuses a date not on the calendar, and lists every declared source', async () => {
    const app = testApp(tempDir(), { scale: 'small', seed: 12 });
    await app.call('connect:demo', {});
    // Before the first sync (no archive yet) every source is listed as never tried, with no rows.
    const before = await app.call('archive:sources', {});
    expect(before.map((s) => [s.dataset, s.status, s.rows])).toEqual(optionalSources.map((d) => [d.source.dataset, null, 0]));
    const done = app.next('sync:done');
    await app.call('sync:start', {});
    expect((await done).report?.status).toBe('complete');

    const sources = await app.call('archive:sources', {});
    expect(sources.map((s) => s.dataset)).toEqual(optionalSources.map((d) => d.source.dataset));
    expect(sources.every((s) => s.status === 'complete')).toBe(true);

    const all = await app.call('archive:calls', { list: 'meetings', limit: 500 });
    expect(all.total).toBeGreaterThan(1);
    expect(all.total).toBe(sources.find((s) => s.dataset === 'calls')?.rows);
    // A day near UTC midnight differs between Kiribati (UTC+14) and Samoa's neighbour Pago Pago (UTC-11).
    let differsFromUtc = 0;
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      await app.call('settings:update', { timeZone });
      const day = localDay(all.meetings[0]?.start ?? 0, timeZone);
      const want = all.meetings.filter((c) => c.start !== null && localDay(c.start, timeZone) === day).map((c) => c.callId);
      const got = await app.call('archive:calls', { list: 'meetings', from: day, to: day, limit: 500 });
      expect(
        got.meetings.map((c) => c.callId),
        `${day} in ${timeZone}`,
      ).toEqual(want);
      const utc = all.meetings.filter((c) => c.start !== null && localDay(c.start, 'UTC') === day).map((c) => c.callId);
      if (utc.join() !== want.join()) differsFromUtc++;
    }
    // The check means something: reading the day in UTC would have given other calls.
    expect(differsFromUtc).toBeGreaterThan(0);
    const refused = await app.raw('archive:calls', { list: 'notices', from: '2026-02-30' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    // A start after the end is said so, in the screens' words, not answered with an empty list.
    for (const name of ['archive:calls', 'insights:activity'] as const) {
      const backwards = await app.raw(name, { ...(name === 'archive:calls' ? { list: 'meetings' as const } : {}), from: '2026-03-02', to: '2026-03-01' });
      expect([name, backwards]).toEqual([
        name,
        { ok: false, error: expect.objectContaining({ code: 'USAGE', message: 'The start date (2026-03-02) is after the end date (2026-03-01).' }) as unknown },
      ]);
    }

    const scheduled = await app.call('archive:scheduled', {});
    expect(scheduled.total).toBe(sources.find((s) => s.dataset === 'scheduled_messages')?.rows);
    expect(scheduled.rows.length).toBe(Math.min(50, scheduled.total));
  });
});
