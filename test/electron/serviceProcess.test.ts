import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../shared/contract';
import type { AppInfo } from '../../shared/views';
import { createServicePool } from '../../electron/core/app/host/servicePool';
import { memorySecretStore } from '../../electron/core/app/memorySecrets';
import { silentLogger } from '../../electron/core/util/log';
import { utilityProcessSpawner } from '../../electron/main/serviceProcess';
import { buildArchive } from '../helpers/archiveFixture';
import { useTempDir } from '../helpers/tempDir';
import { electronHost } from '../../electron/main/host';
import { buildFilesArchive } from '../helpers/attachmentsFixture';
import { fake, FakeUtilityProcess, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

/**
 * The desktop app's wiring of the app service: utility processes forked by the main process (the
 * fake electron's utilityProcess is a real Node child with Electron's parentPort), running the
 * bundle electron-builder packages (dist/electron/appServiceWorker.mjs).
 */
const workerEntry = resolve('dist/electron/appServiceWorker.mjs');

beforeAll(() => {
  if (!existsSync(workerEntry)) throw new Error(`${workerEntry} is missing: run \`npm run build\` (npm test does) before this suite.`);
});
beforeEach(() => resetFake());

describe('the app service in Electron utility processes', () => {
  const tempDir = useTempDir('cliq-vault-utility-');
  const pools: ReturnType<typeof createServicePool>[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  function open(dir: string) {
    buildArchive(dir, {
      chats: [{ id: '1901318000001615007', kind: 'channel', title: 'Legal' }],
      messages: [{ chat: '1901318000001615007', id: '1700000000000', time: 1_700_000_000_000, text: 'privileged advice' }],
    }).close();
    const revealed: string[] = [];
    const pool = createServicePool({
      spawn: utilityProcessSpawner(workerEntry),
      config: {
        settingsDir: join(dir, 'userData'),
        archiveOverride: join(dir, 'fixture.sqlite'),
        defaultArchiveDir: join(dir, 'archives'),
        shell: 'electron',
        runsScheduleInApp: true,
        secretStorage: 'unavailable',
        canReveal: true,
        canPickFolder: false,
        canSaveFile: false,
        canOpenFile: false,
        demo: false,
        logLevel: 'error',
        archiveKeys: [],
      },
      // As safeStorage reports itself: the workers learn the kind from the host with every call.
      secrets: { ...memorySecretStore(), kind: 'os' },
      host: {
        reveal: (path) => {
          revealed.push(path);
          return Promise.resolve();
        },
      },
      log: silentLogger,
    });
    pools.push(pool);
    return { pool, revealed };
  }

  const value = (result: Result<unknown>): unknown => {
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value;
  };

  it('forks a named primary and two readers, answers from them, and reaches the host for the file manager', async () => {
    const dir = tempDir();
    const { pool, revealed } = open(dir);
    pool.start();
    expect(FakeUtilityProcess.forked.map((child) => [child.modulePath, child.options.serviceName])).toEqual([
      [workerEntry, 'Cliq Vault service'],
      [workerEntry, 'Cliq Vault reader'],
      [workerEntry, 'Cliq Vault reader'],
    ]);
    const info = value(await pool.dispatch('app:info', {})) as AppInfo;
    expect(info).toMatchObject({ shell: 'electron', secretStorage: 'os', archiveExists: true });
    const hits = value(await pool.dispatch('archive:search', { text: 'privileged' })) as { hits: { chatId: string }[] };
    expect(hits.hits.map((hit) => hit.chatId)).toEqual(['1901318000001615007']);
    // The worker processes are not the main process.
    expect(FakeUtilityProcess.forked.every((child) => child.pid !== undefined && child.pid !== process.pid)).toBe(true);
    // They start with at most two malloc arenas, and the rest of the main process's environment.
    expect(FakeUtilityProcess.forked.map((child) => child.options.env?.MALLOC_ARENA_MAX)).toEqual(['2', '2', '2']);
    expect(FakeUtilityProcess.forked.map((child) => child.options.env?.MALLOC_MMAP_THRESHOLD_)).toEqual(['131072', '131072', '131072']);
    expect(FakeUtilityProcess.forked.every((child) => child.options.env?.PATH === process.env.PATH)).toBe(true);

    expect(value(await pool.dispatch('shell:reveal', { path: join(dir, 'fixture.sqlite') }))).toEqual({ shown: true });
    expect(revealed).toEqual([join(dir, 'fixture.sqlite')]);
  });

  it('saves and opens archived files through the main process’s dialog and shell, never opening a program', async () => {
    const dir = tempDir();
    const { path, sha } = await buildFilesArchive(dir);
    const host = electronHost({ defaultArchiveDir: join(dir, 'archives') });
    const pool = createServicePool({
      spawn: utilityProcessSpawner(workerEntry),
      config: {
        settingsDir: join(dir, 'userData'),
        archiveOverride: path,
        defaultArchiveDir: join(dir, 'archives'),
        shell: 'electron',
        runsScheduleInApp: true,
        secretStorage: 'unavailable',
        canReveal: true,
        canPickFolder: true,
        canSaveFile: true,
        canOpenFile: true,
        demo: false,
        logLevel: 'error',
        archiveKeys: [],
      },
      secrets: memorySecretStore(),
      host,
      log: silentLogger,
    });
    pools.push(pool);
    pool.start();
    fake.dialog.nextSave = { canceled: false, filePath: join(dir, 'copy.pdf') };
    expect(value(await pool.dispatch('files:save', { chatId: 'CT_1', messageId: 'm1', fileId: 'file-m1' }))).toEqual({ available: true, path: join(dir, 'copy.pdf') });
    expect(fake.dialog.saved[0]?.options).toMatchObject({ defaultPath: 'scan.pdf', properties: ['createDirectory', 'showOverwriteConfirmation'] });
    expect(
      createHash('sha256')
        .update(readFileSync(join(dir, 'copy.pdf')))
        .digest('hex'),
    ).toBe(sha.png);

    expect(value(await pool.dispatch('files:open', { chatId: 'CT_1', messageId: 'm1', fileId: 'file-m1' }))).toEqual({ available: true, opened: true, refusal: null });
    expect(fake.shell.openedPaths.map((p) => p.split(/[\\/]/).at(-1))).toEqual(['scan.pdf']);
    expect(value(await pool.dispatch('files:open', { chatId: 'CT_1', messageId: 'm2', fileId: 'file-m2' }))).toMatchObject({ opened: false, refusal: expect.stringMatching(/\.exe/) as unknown });
    expect(fake.shell.openedPaths).toHaveLength(1);
  });

  it('a crashed utility process is reported and replaced on the next request', async () => {
    const dir = tempDir();
    const { pool } = open(dir);
    pool.start();
    value(await pool.dispatch('archive:stats', {}));
    const reader = FakeUtilityProcess.forked.find((child) => child.options.serviceName === 'Cliq Vault reader');
    if (!reader) throw new Error('no reader');
    const exited = new Promise((resolveExit) => reader.once('exit', resolveExit));
    reader.crash();
    await exited;
    await vi.waitFor(() => expect(pool.workers().filter((w) => w.role === 'reader')).toHaveLength(1));
    const stats = value(await pool.dispatch('archive:stats', {})) as { messages: { live: number } };
    expect(stats.messages.live).toBe(1);
    // The next read started a replacement: two warm readers again.
    expect(FakeUtilityProcess.forked.filter((child) => child.options.serviceName === 'Cliq Vault reader')).toHaveLength(3);
    expect(pool.workers().filter((w) => w.role === 'reader')).toHaveLength(2);
  });

  it('close stops every utility process', async () => {
    const dir = tempDir();
    const { pool } = open(dir);
    pool.start();
    value(await pool.dispatch('app:info', {}));
    const exits = FakeUtilityProcess.forked.map((child) => new Promise((resolveExit) => (child.exitCode !== null ? resolveExit(child.exitCode) : child.once('exit', resolveExit))));
    await pool.close();
    await Promise.all(exits);
    expect(FakeUtilityProcess.forked.every((child) => child.exitCode !== null)).toBe(true);
  });
});
