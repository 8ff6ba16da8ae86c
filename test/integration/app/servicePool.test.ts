import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayloads, Result } from '../../../shared/contract';
import type { AppInfo } from '../../../shared/views';
import { createServicePool, type ServicePoolOptions } from '../../../electron/core/app/host/servicePool';
import { serveWorkerConfig, type SpawnWorker, type WorkerHandle } from '../../../electron/core/app/host/protocol';
import { workerThreadSpawner } from '../../../electron/core/app/host/workerThreads';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import { fileSigningKey } from '../../../electron/core/app/signingKeys';
import { createSigningKey } from '../../../electron/core/audit/signing';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { silentLogger } from '../../../electron/core/util/log';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

/**
 * The app service in its workers, as `serve` runs it: the pool on this thread, the bundled worker
 * entry (dist/cli/appServiceWorker.mjs, built by `npm test`) in worker threads. Holds are pause
 * points inside a worker (electron/core/util/testPause.ts), released by a file: nothing here waits
 * on a clock.
 */
const workerEntry = resolve('dist/cli/appServiceWorker.mjs');

type Pool = ReturnType<typeof createServicePool>;

beforeAll(() => {
  if (!existsSync(workerEntry)) throw new Error(`${workerEntry} is missing: run \`npm run build\` (npm test does) before this suite.`);
});

const pauseEnv = ['CLIQ_VAULT_TEST_PAUSE_AT', 'CLIQ_VAULT_TEST_RELEASE', 'CLIQ_VAULT_TEST_PAUSED_FILE'] as const;
afterEach(() => {
  for (const name of pauseEnv) Reflect.deleteProperty(process.env, name);
});

describe('the app service in worker threads (serve)', () => {
  const tempDir = useTempDir('cliq-vault-pool-');
  const pools: Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  /** A pool on a small fixture archive; `handles` records every worker started, to kill one as a crash would. */
  function openPool(dir: string, overrides: Partial<ServicePoolOptions> = {}) {
    const handles: { role: string; handle: WorkerHandle }[] = [];
    const threads = workerThreadSpawner(pathToFileURL(workerEntry));
    const spawn: SpawnWorker = (role) => {
      const handle = threads(role);
      handles.push({ role, handle });
      return handle;
    };
    const pool = createServicePool({
      spawn,
      config: serveWorkerConfig({ settingsDir: join(dir, 'config'), archiveOverride: join(dir, 'fixture.sqlite'), defaultArchiveDir: join(dir, 'archives'), logLevel: 'error' }),
      secrets: memorySecretStore(),
      host: {},
      log: silentLogger,
      ...overrides,
    });
    pools.push(pool);
    return { pool, handles };
  }

  function fixture(dir: string): void {
    const archive = buildArchive(dir, {
      chats: [{ id: '1901318000001615007', kind: 'group', title: 'Budget' }],
      messages: Array.from({ length: 50 }, (_, n) => ({ chat: '1901318000001615007', id: String(1_700_000_000_000 + n), time: 1_700_000_000_000 + n * 1000, text: `budget line ${n}` })),
    });
    archive.close();
  }

  /** Holds `point` in whichever worker reaches it; resolves once one is held there. */
  function holdAt(dir: string, point: string) {
    const release = join(dir, 'release');
    const paused = join(dir, 'paused');
    process.env.CLIQ_VAULT_TEST_PAUSE_AT = point;
    process.env.CLIQ_VAULT_TEST_RELEASE = release;
    process.env.CLIQ_VAULT_TEST_PAUSED_FILE = paused;
    return {
      reached: () => vi.waitFor(() => expect(existsSync(paused) ? readFileSync(paused, 'utf8') : '').toContain(point), { timeout: 30_000, interval: 20 }),
      release: () => writeFileSync(release, ''),
    };
  }

  const value = (result: Result<unknown>): unknown => {
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value;
  };

  it('answers app:info and a search while a verify is held inside another worker', async () => {
    const dir = tempDir();
    fixture(dir);
    const hold = holdAt(dir, 'verify:rows');
    const { pool } = openPool(dir);
    pool.start();

    let verifySettled = false;
    const verify = pool.dispatch('archive:verify', {}).finally(() => {
      verifySettled = true;
    });
    await hold.reached();

    const info = value(await pool.dispatch('app:info', {})) as AppInfo;
    expect(info.shell).toBe('browser');
    expect(info.archiveExists).toBe(true);
    const page = value(await pool.dispatch('archive:search', { text: 'budget', limit: 5 })) as { hits: unknown[] };
    expect(page.hits).toHaveLength(5);
    // The verify is still held: what answered did not wait for it.
    expect(verifySettled).toBe(false);
    expect(pool.workers().filter((w) => w.role === 'reader').length).toBe(2);

    hold.release();
    const report = value(await verify) as { ok: boolean };
    expect(report.ok).toBe(true);
  });

  it("signs every bundle with the host's installation key, handed to the worker only when it makes one", async () => {
    const dir = tempDir();
    fixture(dir);
    const signer = createSigningKey(join(dir, 'installation.pem'));
    const { pool } = openPool(dir, { signingKeys: fileSigningKey(join(dir, 'installation.pem')) });
    pool.start();
    const info = value(await pool.dispatch('app:info', {})) as AppInfo;
    expect(info.bundleSigning).toEqual({ kind: 'installation', fingerprint: signer.fingerprint, origin: `the signing key ${join(dir, 'installation.pem')}` });
    const done: EventPayloads['audit:done'][] = [];
    pool.on((event, payload) => event === 'audit:done' && done.push(payload as EventPayloads['audit:done']));
    for (const n of [1, 2]) {
      value(await pool.dispatch('audit:export', { scope: { formats: ['jsonl'], transcripts: false }, destination: join(dir, `bundles-${n}`) }));
      await vi.waitFor(() => expect(done).toHaveLength(n), { timeout: 30_000, interval: 20 });
    }
    const fingerprints: (string | null)[] = [];
    for (const d of done) {
      if (!d.result) throw new Error(d.error?.message ?? 'no result');
      const report = await verifyBundle(d.result.bundlePath);
      expect(report.ok).toBe(true);
      expect(report.signature).toMatchObject({ status: 'valid', ephemeral: false });
      fingerprints.push(report.signature.fingerprint);
    }
    expect(fingerprints).toEqual([signer.fingerprint, signer.fingerprint]);
  });

  it('without an installation key, says so and signs each bundle with a key of its own', async () => {
    const dir = tempDir();
    fixture(dir);
    const { pool } = openPool(dir);
    pool.start();
    const info = value(await pool.dispatch('app:info', {})) as AppInfo;
    expect(info.bundleSigning).toMatchObject({ kind: 'ephemeral', fingerprint: null });
  });

  it('a reader killed mid-request answers SERVICE_STOPPED, and the next request gets a new one', async () => {
    const dir = tempDir();
    fixture(dir);
    const hold = holdAt(dir, 'verify:rows');
    const { pool, handles } = openPool(dir, { maxReaders: 1 });

    const verify = pool.dispatch('archive:verify', {});
    await hold.reached();
    const reader = handles.find((h) => h.role === 'reader');
    if (!reader) throw new Error('no reader was started');
    reader.handle.kill();

    const failed = await verify;
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('SERVICE_STOPPED');
      expect(failed.error.message).toMatch(/stopped unexpectedly/);
      expect(failed.error.hint).toMatch(/Try again/);
    }

    delete process.env.CLIQ_VAULT_TEST_PAUSE_AT;
    const again = value(await pool.dispatch('archive:verify', {})) as { ok: boolean };
    expect(again.ok).toBe(true);
    expect(handles.filter((h) => h.role === 'reader')).toHaveLength(2);
  });

  it('a primary killed during a sync ends the job with an error, leaves no lock, and the next sync completes', async () => {
    const dir = tempDir();
    const hold = holdAt(dir, 'sync:checkpoint');
    // The demo org's archive, not the fixture: the sync writes it.
    const { pool, handles } = openPool(dir, {
      config: serveWorkerConfig({ settingsDir: join(dir, 'config'), archiveOverride: undefined, defaultArchiveDir: join(dir, 'archives'), logLevel: 'error' }),
    });
    const events: { event: EventName; payload: EventPayloads[EventName] }[] = [];
    pool.on((event, payload) => events.push({ event, payload }));

    value(await pool.dispatch('connect:demo', {}));
    const { jobId } = value(await pool.dispatch('sync:start', {})) as { jobId: string };
    await hold.reached();
    const primary = handles.find((h) => h.role === 'primary');
    if (!primary) throw new Error('no primary was started');
    primary.handle.kill();

    await vi.waitFor(() => expect(events.some((e) => e.event === 'sync:done')).toBe(true), { timeout: 30_000, interval: 20 });
    const done = events.find((e) => e.event === 'sync:done')?.payload as EventPayloads['sync:done'];
    expect(done.jobId).toBe(jobId);
    expect(done.error?.code).toBe('SERVICE_STOPPED');

    // A fresh primary: no job, the writer lease and SQLite's locks of the dead one are gone.
    delete process.env.CLIQ_VAULT_TEST_PAUSE_AT;
    expect(value(await pool.dispatch('sync:status', {}))).toBeNull();
    const next = value(await pool.dispatch('sync:start', {})) as { jobId: string };
    await vi.waitFor(() => expect(events.some((e) => e.event === 'sync:done' && (e.payload as EventPayloads['sync:done']).jobId === next.jobId)).toBe(true), {
      timeout: 60_000,
      interval: 50,
    });
    const second = events.find((e) => e.event === 'sync:done' && (e.payload as EventPayloads['sync:done']).jobId === next.jobId)?.payload as EventPayloads['sync:done'];
    expect(second.error).toBeUndefined();
    expect(second.report?.status).toBe('complete');
    expect(handles.filter((h) => h.role === 'primary')).toHaveLength(2);
  });

  it('asks the host for secrets only when connecting, and forwards settings events', async () => {
    const dir = tempDir();
    fixture(dir);
    const asked: string[] = [];
    const store = memorySecretStore({ acme: { clientSecret: 's3cret-value', refreshToken: '1000.aaaaaaaaaa.bbbbbbbbbb' } });
    const secrets = {
      get kind() {
        return store.kind;
      },
      has: (id: string) => (asked.push(`has ${id}`), store.has(id)),
      get: (id: string) => (asked.push(`get ${id}`), store.get(id)),
      set: (id: string, value: { clientSecret: string; refreshToken: string }) => (asked.push(`set ${id}`), store.set(id, value)),
      delete: (id: string) => (asked.push(`delete ${id}`), store.delete(id)),
    };
    const { pool } = openPool(dir, { secrets });
    const changed: unknown[] = [];
    pool.on((event, payload) => event === 'settings:changed' && changed.push(payload));

    value(await pool.dispatch('settings:update', { timeZone: 'Europe/Berlin' }));
    expect(changed).toHaveLength(1);
    // A reader sees the primary's write at once (the same file).
    expect((value(await pool.dispatch('settings:get', {})) as { timeZone: string }).timeZone).toBe('Europe/Berlin');
    expect(asked).toEqual([]);
    // Refused requests are refused in the worker, as in-process.
    const refused = await pool.dispatch('archive:search', { limit: 'many' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('USAGE');
    const unknown = await pool.dispatch('archive:drop', {});
    expect(!unknown.ok && unknown.error.code).toBe('USAGE');
  });

  it('holds reads while a restore swaps the archive, and closes every worker on close', async () => {
    const dir = tempDir();
    fixture(dir);
    const { pool, handles } = openPool(dir);
    pool.start();
    value(await pool.dispatch('archive:stats', {}));
    // No snapshot at that path: the restore is refused by the primary, and reads go on after it.
    const refused = await pool.dispatch('backup:restore', { snapshotPath: join(dir, 'missing.sqlite') });
    expect(refused.ok).toBe(false);
    expect((value(await pool.dispatch('archive:stats', {})) as { messages: { live: number } }).messages.live).toBe(50);
    await pool.close();
    expect(pool.workers()).toEqual([]);
    const after = await pool.dispatch('app:info', {});
    expect(!after.ok && after.error.code).toBe('SERVICE_STOPPED');
    expect(handles.length).toBeGreaterThanOrEqual(2);
  });
});
