import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCliqClient } from '../../../electron/core/createCore';
import { downloadFile } from '../../../electron/core/cliq/files';
import { openFileStore, type FileStore } from '../../../electron/core/files/store';
import type { RunningSimulator, SimulatorOptionsInput, TruthFile } from '../../../electron/simulator';
import { SharedVirtualClock, connectionTo, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';
import { vaultFailure } from '../../helpers/vaultFailure';

/**
 * F1 through the client (CliqHttp.download + downloadFile) into a real file store, over real HTTP
 * to the simulator, in virtual time shared with it: bytes, redirects, errors, faults, quota.
 */

interface Seen {
  origin: string;
  authorization: string | null;
}

describe('downloadFile against the simulator', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  /** A simulator at the real quotas, a client sharing its clock, a store, and a log of requests. */
  async function setUp(options: SimulatorOptionsInput = {}) {
    const clock = new SharedVirtualClock();
    const sim = await simulator({
      quotaScale: 1,
      clock,
      fileRedirectShare: 0,
      fileSizes: { emptyShare: 0.1, largeShare: 0.04, largeMinBytes: 3_000_000, largeMaxBytes: 5_000_000 },
      ...options,
    });
    const seen: Seen[] = [];
    const runtime = virtualRuntime(clock);
    const recording: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      seen.push({ origin: url.origin, authorization: new Headers(init?.headers).get('authorization') });
      return clock.fetch(input, init);
    };
    const { http } = createCliqClient(connectionTo(sim), { ...runtime, fetch: recording });
    const store = openFileStore(join(tempDir(), 'a.sqlite'));
    return { sim, clock, http, store, seen };
  }

  function readable(sim: RunningSimulator): TruthFile[] {
    return sim.files().filter((file) => {
      const conversation = sim.org.live(file.chat_id);
      if (!conversation) return false;
      const home = sim.org.home(conversation);
      return home.memberSet.has(sim.org.adminIndex) || home.channel?.level === 'organization';
    });
  }

  async function stored(store: FileStore): Promise<string[]> {
    const all: string[] = [];
    for await (const sha of store.list()) all.push(sha);
    return all;
  }

  function tempFiles(store: FileStore): string[] {
    try {
      return readdirSync(join(store.root, 'tmp'));
    } catch {
      return [];
    }
  }

  it('stores exact bytes (empty, multi-MB, small) with type and name as served; empty twins dedupe', async () => {
    const { sim, http, store } = await setUp();
    const files = readable(sim);
    const empties = files.filter((f) => f.size === 0);
    const big = files.find((f) => f.size >= 3_000_000);
    const small = files.filter((f) => f.size > 0 && f.size < 300_000).slice(0, 4);
    expect(empties.length).toBeGreaterThanOrEqual(2);
    if (!big) throw new Error('no multi-MB file');
    for (const file of [empties[0] as TruthFile, big, ...small]) {
      const got = await downloadFile(http, store, file.file_id, { declaredSize: file.size });
      expect(got).toEqual({ sha256: sim.fileSha256(file.file_id), size: file.size, contentType: file.content_type, filename: file.name, deduplicated: false });
      expect(await store.verify(got.sha256)).toEqual({ ok: true, size: file.size });
    }
    // Two file ids, identical bytes (both empty): one object.
    const twin = await downloadFile(http, store, (empties[1] as TruthFile).file_id);
    expect(twin.deduplicated).toBe(true);
    expect(await stored(store)).toHaveLength(2 + small.length);
  });

  it('follows the redirect to the download host without the token', async () => {
    const { sim, http, store, seen } = await setUp({ fileRedirectShare: 1 });
    const file = readable(sim).find((f) => f.size > 1_000 && f.size < 300_000) as TruthFile;
    const got = await downloadFile(http, store, file.file_id);
    expect(got.sha256).toBe(sim.fileSha256(file.file_id));
    // The download host refuses any request with Authorization (400): it was reached once, without.
    expect(sim.stats().requests['files.download']).toBe(1);
    expect(sim.stats().byStatus['400'] ?? 0).toBe(0);
    const download = seen.filter((s) => s.origin === new URL(sim.downloadBase).origin);
    expect(download).toEqual([{ origin: new URL(sim.downloadBase).origin, authorization: null }]);
    expect(seen.find((s) => s.origin === new URL(sim.apiBase).origin)?.authorization).toMatch(/^Zoho-oauthtoken /);
  });

  it('403 and 404 are typed errors, not retried, nothing stored', async () => {
    const { sim, http, store } = await setUp();
    const visible = new Set(readable(sim).map((f) => f.file_id));
    const hidden = sim.files().find((f) => !visible.has(f.file_id));
    if (!hidden) throw new Error('the admin can read every file');
    expect((await vaultFailure(downloadFile(http, store, hidden.file_id))).code).toBe('FORBIDDEN');
    expect((await vaultFailure(downloadFile(http, store, 'f'.repeat(128)))).code).toBe('NOT_FOUND');
    expect(sim.stats().requests['files.get']).toBe(2);
    expect(await stored(store)).toEqual([]);
  });

  it.each(['truncate', 'reset'] as const)('%s twice: retried, then stored whole', async (kind) => {
    const { sim, http, store } = await setUp({ faults: [{ family: 'files.get', kind, times: 2 }] });
    const file = readable(sim).find((f) => f.size >= 200_000 && f.size < 1_000_000) as TruthFile;
    const got = await downloadFile(http, store, file.file_id, { declaredSize: file.size });
    expect(got.sha256).toBe(sim.fileSha256(file.file_id));
    expect(sim.stats().requests['files.get']).toBe(3);
    expect(await stored(store)).toEqual([got.sha256]);
    expect(tempFiles(store)).toEqual([]);
  });

  it('a cut on the download host is retried from F1', async () => {
    const { sim, http, store } = await setUp({ fileRedirectShare: 1, faults: [{ family: 'files.download', kind: 'reset', times: 1 }] });
    const file = readable(sim).find((f) => f.size >= 200_000 && f.size < 1_000_000) as TruthFile;
    expect((await downloadFile(http, store, file.file_id)).sha256).toBe(sim.fileSha256(file.file_id));
    expect(sim.stats().requests['files.get']).toBe(2);
  });

  it('a permanent truncation fails after the retries with nothing stored', async () => {
    const { sim, http, store } = await setUp({ faults: [{ family: 'files.get', kind: 'truncate', times: 100 }] });
    const file = readable(sim).find((f) => f.size >= 200_000 && f.size < 1_000_000) as TruthFile;
    const error = await vaultFailure(downloadFile(http, store, file.file_id));
    expect(['DOWNLOAD_INCOMPLETE', 'NETWORK']).toContain(error.code);
    expect(error.message).toContain('Gave up after 5 attempts');
    expect(sim.stats().requests['files.get']).toBe(5);
    expect(await stored(store)).toEqual([]);
    expect(tempFiles(store)).toEqual([]);
  });

  it('FILE_TOO_LARGE is not retried', async () => {
    const { sim, http, store } = await setUp();
    const file = readable(sim).find((f) => f.size > 10_000) as TruthFile;
    expect((await vaultFailure(downloadFile(http, store, file.file_id, { maxBytes: 10_000 }))).code).toBe('FILE_TOO_LARGE');
    expect(sim.stats().requests['files.get']).toBe(1);
    expect(await stored(store)).toEqual([]);
  });

  it('a declared size that differs is recorded, not refused', async () => {
    const { sim, http, store } = await setUp();
    const file = readable(sim).find((f) => f.size > 10) as TruthFile;
    const got = await downloadFile(http, store, file.file_id, { declaredSize: file.size + 1 });
    expect(got.declaredSizeMismatch).toEqual({ declared: file.size + 1, served: file.size });
    expect(got.sha256).toBe(sim.fileSha256(file.file_id));
  });

  it('paces 120 downloads under the real 50 a minute: no 429', async () => {
    const { sim, clock, http, store } = await setUp();
    const files = readable(sim).filter((f) => f.size < 2_000);
    const ids = Array.from({ length: 120 }, (_, i) => (files[i % files.length] as TruthFile).file_id);
    const started = clock.now();
    for (const id of ids) await downloadFile(http, store, id);
    expect(sim.stats().requests['files.get']).toBe(120);
    expect(sim.stats().byStatus['429'] ?? 0).toBe(0);
    // 50 per 61 s: the third batch cannot start before two windows have passed.
    expect(clock.now() - started).toBeGreaterThanOrEqual(2 * 61_000);
  });
});
