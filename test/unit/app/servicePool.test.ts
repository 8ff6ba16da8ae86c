import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import type { HostToWorker, SpawnWorker, WorkerHandle, WorkerToHost } from '../../../electron/core/app/host/protocol';
import { serveWorkerConfig } from '../../../electron/core/app/host/protocol';
import { createServicePool } from '../../../electron/core/app/host/servicePool';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import { silentLogger } from '../../../electron/core/util/log';
import type { Clock } from '../../../electron/core/util/clock';

/**
 * The pool's routing and bookkeeping with workers simulated in this thread: each fake worker holds
 * the calls it receives until the test answers them, so which worker got what, and in what order,
 * is exact. (The real workers, threads and utility processes, are in test/integration/app and
 * test/electron.)
 */
class FakeWorker implements WorkerHandle {
  readonly received: HostToWorker[] = [];
  killed = false;
  private listener: (message: WorkerToHost) => void = () => undefined;
  private exitListener: (detail: string) => void = () => undefined;

  constructor(readonly role: string) {}

  postMessage(message: HostToWorker): void {
    this.received.push(message);
  }
  onMessage(listener: (message: WorkerToHost) => void): void {
    this.listener = listener;
  }
  onExit(listener: (detail: string) => void): void {
    this.exitListener = listener;
  }
  kill(): void {
    this.killed = true;
  }

  /** The dispatched operation names, in order. */
  calls(): string[] {
    return this.received.flatMap((m) => (m.t === 'call' ? [m.call.op === 'dispatch' ? m.call.name : m.call.op] : []));
  }
  pendingIds(): number[] {
    return this.received.flatMap((m) => (m.t === 'call' ? [m.id] : []));
  }
  answer(id: number, value: unknown): void {
    this.listener({ t: 'result', id, ok: true, value });
  }
  /** Answers the n-th call received (0-based) with a dispatch Result. */
  ok(n: number, value: unknown): void {
    const id = this.pendingIds()[n];
    if (id === undefined) throw new Error(`no call #${n}`);
    this.answer(id, { ok: true, value });
  }
  send(message: WorkerToHost): void {
    this.listener(message);
  }
  die(detail = 'exited with code 1'): void {
    this.exitListener(detail);
  }
}

/** Sleeps end only when the test moves time past them (the close grace period). */
class ManualClock implements Clock {
  private time = 0;
  private readonly sleepers: { until: number; wake: () => void }[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const sleeper = { until: this.time + ms, wake: resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
  advance(ms: number): void {
    this.time += ms;
    for (const sleeper of this.sleepers.filter((s) => s.until <= this.time)) sleeper.wake();
  }
}

function pool(options: { maxReaders?: number } = {}) {
  const workers: FakeWorker[] = [];
  const spawn: SpawnWorker = (role) => {
    const worker = new FakeWorker(role);
    workers.push(worker);
    return worker;
  };
  const clock = new ManualClock();
  const service = createServicePool({
    spawn,
    config: serveWorkerConfig({ settingsDir: '/tmp/none', archiveOverride: undefined, defaultArchiveDir: '/tmp/none', logLevel: 'error' }),
    secrets: memorySecretStore({ acme: { clientSecret: 'secret', refreshToken: 'token' } }),
    host: {},
    log: silentLogger,
    clock,
    ...options,
  });
  const events: { event: EventName; payload: unknown }[] = [];
  service.on((event, payload) => events.push({ event, payload }));
  const of = (role: string) => workers.filter((w) => w.role === role);
  return { service, workers, of, events, clock };
}

/** Lets the pool's promise chains run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the app service pool', () => {
  it('starts a primary and the readers, each told its role, and sends reads to an idle reader first', async () => {
    const { service, of } = pool();
    service.start();
    expect(of('primary')).toHaveLength(1);
    expect(of('reader')).toHaveLength(2);
    for (const worker of [...of('primary'), ...of('reader')]) expect(worker.received[0]).toMatchObject({ t: 'init', config: { role: worker.role } });

    const [first, second] = of('reader') as [FakeWorker, FakeWorker];
    const verify = service.dispatch('archive:verify', {});
    const search = service.dispatch('archive:search', { text: 'x' });
    const settings = service.dispatch('settings:update', { theme: 'dark' });
    await settle();
    // The first reader is busy with the verify: the search goes to the other, the write to the primary.
    expect(first.calls()).toEqual(['archive:verify']);
    expect(second.calls()).toEqual(['archive:search']);
    expect(of('primary')[0]?.calls()).toEqual(['settings:update']);

    second.ok(0, { hits: [] });
    expect(await search).toEqual({ ok: true, value: { hits: [] } });
    // Both busy → the least busy; now the second is idle again.
    const info = service.dispatch('app:info', {});
    await settle();
    expect(second.calls()).toEqual(['archive:search', 'app:info']);
    second.ok(1, { shell: 'browser' });
    first.ok(0, { ok: true });
    of('primary')[0]?.ok(0, { theme: 'dark' });
    expect((await info).ok).toBe(true);
    expect((await verify).ok).toBe(true);
    expect((await settings).ok).toBe(true);
  });

  it('sends each call the current secret storage kind, and answers a worker asking for secrets', async () => {
    const { service, of } = pool();
    service.start();
    const primary = of('primary')[0] as FakeWorker;
    void service.dispatch('sync:plan', {});
    await settle();
    expect(primary.received.at(-1)).toMatchObject({ t: 'call', secretStorage: 'memory' });

    primary.send({ t: 'port', id: 7, call: { port: 'secrets.get', profileId: 'acme' } });
    primary.send({ t: 'port', id: 8, call: { port: 'secrets.has', profileId: 'nobody' } });
    primary.send({ t: 'port', id: 9, call: { port: 'host.reveal', path: '/x' } });
    await settle();
    const answers = primary.received.filter((m) => m.t === 'answer').sort((a, b) => a.id - b.id);
    expect(answers).toEqual([
      { t: 'answer', id: 7, ok: true, value: { clientSecret: 'secret', refreshToken: 'token' } },
      { t: 'answer', id: 8, ok: true, value: false },
      { t: 'answer', id: 9, ok: false, error: { code: 'USAGE', message: 'There is no file manager here.' } },
    ]);
  });

  it('forwards events and, when the primary dies, ends its running jobs with SERVICE_STOPPED and starts a new one', async () => {
    const { service, of, events } = pool();
    service.start();
    const primary = of('primary')[0] as FakeWorker;
    const started = service.dispatch('sync:start', {});
    const pending = service.dispatch('schedule:status', {});
    await settle();
    primary.ok(0, { jobId: 'sync-1' });
    expect(await started).toEqual({ ok: true, value: { jobId: 'sync-1' } });
    // An audit started elsewhere (the schedule) is adopted from its progress event.
    primary.send({ t: 'event', event: 'audit:progress', payload: { jobId: 'audit-2', progress: { dataset: 'messages', rows: 1, files: 0, bytes: 0 } } as never });
    expect(events.map((e) => e.event)).toEqual(['audit:progress']);

    primary.die('crashed: out of memory');
    const stopped = await pending;
    expect(stopped.ok).toBe(false);
    expect(!stopped.ok && stopped.error.code).toBe('SERVICE_STOPPED');
    const dones = events.filter((e) => e.event.endsWith(':done')).map((e) => e.payload as { jobId: string; error?: { code: string; hint?: string } });
    expect(dones.map((d) => [d.jobId, d.error?.code])).toEqual([
      ['sync-1', 'SERVICE_STOPPED'],
      ['audit-2', 'SERVICE_STOPPED'],
    ]);
    expect(dones[0]?.error?.hint).toMatch(/crashed: out of memory/);

    void service.dispatch('sync:status', {});
    await settle();
    expect(of('primary')).toHaveLength(2);
    expect(of('primary')[1]?.calls()).toEqual(['sync:status']);
  });

  it('a job that finished before the crash is not ended again', async () => {
    const { service, of, events } = pool();
    service.start();
    const primary = of('primary')[0] as FakeWorker;
    const started = service.dispatch('audit:export', { scope: {} });
    await settle();
    primary.ok(0, { jobId: 'audit-1' });
    await started;
    primary.send({ t: 'event', event: 'audit:done', payload: { jobId: 'audit-1', error: { code: 'CANCELLED', message: 'Cancelled.' } } });
    primary.die();
    expect(events.filter((e) => e.event === 'audit:done')).toHaveLength(1);
  });

  it('a restore stops the readers first and holds reads until it answers; readers come back warm', async () => {
    const { service, of } = pool();
    service.start();
    const [r1, r2] = of('reader') as [FakeWorker, FakeWorker];
    const restore = service.dispatch('backup:restore', { snapshotPath: '/s.sqlite' });
    await settle();
    // Each reader is first asked to let go of the archive (writing the review log entries it still queues).
    expect([r1.calls(), r2.calls(), r1.killed || r2.killed]).toEqual([['releaseArchive'], ['releaseArchive'], false]);
    // A read while they do is held too: no reader may open a connection now.
    const read = service.dispatch('archive:stats', {});
    await settle();
    for (const reader of [r1, r2]) reader.answer(reader.pendingIds()[0] ?? 0, null);
    await settle();
    expect(r1.killed && r2.killed).toBe(true);
    expect(of('primary')[0]?.calls()).toEqual(['backup:restore']);
    // No reader was started while the restore runs.
    expect(of('reader')).toHaveLength(2);
    of('primary')[0]?.ok(0, { restoredFrom: '/s.sqlite', safetyCopy: null });
    expect((await restore).ok).toBe(true);
    await settle();
    expect(of('reader')).toHaveLength(4);
    const fresh = of('reader')[2] as FakeWorker;
    expect(fresh.calls()).toEqual(['archive:stats']);
    fresh.ok(0, null);
    expect(await read).toEqual({ ok: true, value: null });
  });

  it('a reader that does not let go of the archive within the grace period is stopped, and the restore goes on', async () => {
    const { service, of, clock } = pool();
    service.start();
    const [r1, r2] = of('reader') as [FakeWorker, FakeWorker];
    const restore = service.dispatch('backup:restore', { snapshotPath: '/s.sqlite' });
    await settle();
    r1.answer(r1.pendingIds()[0] ?? 0, null);
    await settle();
    expect([r1.killed, r2.killed, of('primary')[0]?.calls()]).toEqual([false, false, []]);
    clock.advance(10_000);
    await settle();
    expect(r1.killed && r2.killed).toBe(true);
    of('primary')[0]?.ok(0, { restoredFrom: '/s.sqlite', safetyCopy: null });
    expect((await restore).ok).toBe(true);
  });

  it('close asks every worker to close, stops one that does not answer within the grace period, and refuses afterwards', async () => {
    const { service, of, clock } = pool();
    service.start();
    const closing = service.close();
    await settle();
    const workers = [...of('primary'), ...of('reader')];
    for (const worker of workers) expect(worker.calls()).toEqual(['close']);
    // Two answer; the primary (finishing a job) does not, until the grace period is over.
    (of('reader')[0] as FakeWorker).answer((of('reader')[0] as FakeWorker).pendingIds()[0] ?? 0, null);
    (of('reader')[1] as FakeWorker).answer((of('reader')[1] as FakeWorker).pendingIds()[0] ?? 0, null);
    await settle();
    expect(of('primary')[0]?.killed).toBe(false);
    clock.advance(10_000);
    await closing;
    expect(workers.every((w) => w.killed)).toBe(true);
    const after = await service.dispatch('app:info', {});
    expect(!after.ok && after.error.code).toBe('SERVICE_STOPPED');
  });
});
