import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../../shared/audit';
import { VaultError } from '../../../shared/errors';
import type { Emit } from '../../../electron/core/app/context';
import { createJobRunner, type JobOutcome, type JobProgress } from '../../../electron/core/app/jobRunner';
import { cancelled } from '../../../electron/core/util/clock';
import { VirtualClock } from '../../helpers/virtualClock';

const result: AuditResult = { bundlePath: '/exports/audit-1', bundleHash: 'a'.repeat(64), files: [], warnings: [], durationMs: 5, signature: { fingerprint: 'ab12', ephemeral: true } };

/** A job whose end the test decides: it reports progress through `progress` and ends with `finish` or `fail`. */
function scripted() {
  let report: (progress: JobProgress<'audit'>) => void = () => undefined;
  let finish: (outcome: JobOutcome<'audit'>) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  let signal: AbortSignal | undefined;
  const work = (given: AbortSignal, onProgress: (progress: JobProgress<'audit'>) => void) => {
    signal = given;
    report = onProgress;
    return new Promise<JobOutcome<'audit'>>((resolve, reject) => {
      finish = resolve;
      fail = reject;
      // As the real jobs do: a cancel ends the work with CANCELLED.
      given.addEventListener('abort', () => reject(cancelled()), { once: true });
    });
  };
  return {
    work,
    progress: (rows: number) => report({ dataset: 'messages', rows }),
    finish: (outcome: JobOutcome<'audit'>) => finish(outcome),
    fail: (error: unknown) => fail(error),
    signal: () => signal,
  };
}

function setup(clock = new VirtualClock(0)) {
  const events: { event: string; payload: unknown }[] = [];
  const emit: Emit = (event, payload) => void events.push({ event, payload });
  const runner = createJobRunner({ kind: 'audit', clock, emit, busyMessage: 'An audit export is already running.' });
  return { clock, events, runner, names: () => events.map((e) => e.event) };
}

describe('the job runner', () => {
  it('runs one job of a kind at a time, with an id, a status and a done event with the outcome', async () => {
    const { clock, events, runner } = setup(new VirtualClock(1_000));
    expect(runner.status()).toBeNull();
    const work = scripted();
    const job = runner.start(work.work);
    expect(job.jobId).toMatch(/^audit-[0-9a-f-]{36}$/);
    expect(runner.status()).toEqual({ jobId: job.jobId, kind: 'audit', startedAt: 1_000, progress: null });

    const second = scripted();
    expect(() => runner.start(second.work)).toThrow('An audit export is already running.');
    expect(() => runner.assertIdle()).toThrow(expect.objectContaining({ code: 'ARCHIVE_LOCKED', hint: 'Wait for it to finish, or cancel it.' }) as Error);
    expect(second.signal()).toBeUndefined();

    clock.advance(500);
    work.progress(10);
    expect(runner.status()?.progress).toEqual({ dataset: 'messages', rows: 10 });
    work.finish({ result });
    const done = await job.finished;
    expect(done).toEqual({ jobId: job.jobId, result });
    expect(events.at(-1)).toEqual({ event: 'audit:done', payload: done });
    expect(runner.status()).toBeNull();
    expect(runner.start(scripted().work).jobId).not.toBe(job.jobId);
  });

  it('is free again by the time its done event goes out', async () => {
    const statusAtDone: unknown[] = [];
    const runner = createJobRunner({
      kind: 'audit',
      clock: new VirtualClock(0),
      emit: (event) => {
        if (event === 'audit:done') statusAtDone.push(runner.status());
      },
      busyMessage: 'An audit export is already running.',
    });
    const work = scripted();
    const job = runner.start(work.work);
    work.finish({ result });
    await job.finished;
    expect(statusAtDone).toEqual([null]);
  });

  it('sends progress at most once per 100 ms of the injected clock, and the latest always before done', async () => {
    const { clock, events, runner, names } = setup();
    const work = scripted();
    const job = runner.start(work.work);
    work.progress(1); // the first goes out at once
    work.progress(2);
    work.progress(3);
    clock.advance(99);
    work.progress(4);
    expect(events.map((e) => e.payload)).toEqual([{ jobId: job.jobId, progress: { dataset: 'messages', rows: 1 } }]);
    clock.advance(1);
    work.progress(5); // 100 ms after the last one sent
    clock.advance(40);
    work.progress(6);
    work.progress(7);
    expect(runner.status()?.progress?.rows).toBe(7);
    work.finish({ result });
    await job.finished;
    expect(names()).toEqual(['audit:progress', 'audit:progress', 'audit:progress', 'audit:done']);
    expect(events.map((e) => (e.payload as { progress?: { rows: number } }).progress?.rows)).toEqual([1, 5, 7, undefined]);
  });

  it('does not repeat a progress already sent, and ignores progress reported after the end', async () => {
    const { clock, events, runner, names } = setup();
    const work = scripted();
    const job = runner.start(work.work);
    work.progress(1);
    clock.advance(100);
    work.progress(2);
    work.finish({ result });
    await job.finished;
    work.progress(3);
    expect(names()).toEqual(['audit:progress', 'audit:progress', 'audit:done']);
    expect((events[1]?.payload as { progress: { rows: number } }).progress.rows).toBe(2);
  });

  it('reports a failure as the error shape in the done event (and the latest progress first)', async () => {
    const { events, runner, names } = setup();
    const work = scripted();
    const job = runner.start(work.work);
    work.progress(1);
    work.progress(2);
    work.fail(new VaultError('IO_ERROR', 'The disk holding the bundle is full.', { hint: 'Free some space.' }));
    const done = await job.finished;
    expect(done).toEqual({ jobId: job.jobId, error: { code: 'IO_ERROR', message: 'The disk holding the bundle is full.', hint: 'Free some space.' } });
    expect(names()).toEqual(['audit:progress', 'audit:progress', 'audit:done']);
    expect((events[1]?.payload as { progress: { rows: number } }).progress.rows).toBe(2);
    expect(runner.status()).toBeNull();
  });

  it('frees the runner when the work throws before it is even under way', async () => {
    const { runner } = setup();
    const job = runner.start(() => {
      throw new VaultError('USAGE', 'No org is connected yet.');
    });
    expect((await job.finished).error?.code).toBe('USAGE');
    expect(runner.status()).toBeNull();
  });

  it('cancels by job id only, and stop() cancels and waits', async () => {
    const { runner } = setup();
    const work = scripted();
    const job = runner.start(work.work);
    expect(runner.cancel('audit-someone-else')).toBe(false);
    expect(work.signal()?.aborted).toBe(false);
    expect(runner.cancel(job.jobId)).toBe(true);
    expect(work.signal()?.aborted).toBe(true);
    expect((await job.finished).error?.code).toBe('CANCELLED');
    expect(runner.cancel(job.jobId)).toBe(false);

    const next = scripted();
    const running = runner.start(next.work);
    await runner.stop();
    expect(next.signal()?.aborted).toBe(true);
    expect(runner.status()).toBeNull();
    expect((await running.finished).error?.code).toBe('CANCELLED');
    await runner.stop(); // nothing running: returns at once
  });

  it('names its events after its kind', async () => {
    const events: string[] = [];
    const runner = createJobRunner({ kind: 'sync', clock: new VirtualClock(0), emit: (event) => void events.push(event), busyMessage: 'A sync is already running.' });
    const job = runner.start((_signal, onProgress) => {
      onProgress({ phase: 'inventory', chatsTotal: 0, chatsDone: 0, messagesStored: 0, calls: 1, etaMs: 0, filesStored: 0, filesDone: 0, filesRemaining: 0 });
      return Promise.reject(new Error('boom'));
    });
    expect((await job.finished).error?.code).toBe('INTERNAL');
    expect(job.jobId).toMatch(/^sync-/);
    expect(events).toEqual(['sync:progress', 'sync:done']);
  });
});
