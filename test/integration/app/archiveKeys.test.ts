import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OperationName, RequestOf, ResponseOf, Result } from '../../../shared/contract';
import { defaultSettings, type OrgProfile } from '../../../shared/settings';
import type { ReviewPage } from '../../../shared/review';
import { openHostKeyring, sessionKeyring, type HostKeyring, type KeyringVault } from '../../../electron/core/app/archiveKeyring';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import { createServicePool } from '../../../electron/core/app/host/servicePool';
import { serveWorkerConfig } from '../../../electron/core/app/host/protocol';
import { workerThreadSpawner } from '../../../electron/core/app/host/workerThreads';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import { keyFromMessage, openKeyed } from '../../../electron/core/cipher';
import { silentLogger } from '../../../electron/core/util/log';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

/**
 * The app's archive keys end to end, through the pool and its worker threads (the shape both
 * shells run): encrypting from the app, a restart that finds the archive locked, unlocking, a key
 * change, the passphrase protecting the desktop's kept keys, and serve's keys of one session.
 * The desktop's vault is a string in memory here (electron/main/archiveKeys.ts puts it in
 * safeStorage; test/electron covers that file).
 */
const workerEntry = resolve('dist/cli/appServiceWorker.mjs');
const chat = '1901318000001615007';
const passphrase = 'correct horse battery staple';

beforeAll(() => {
  if (!existsSync(workerEntry)) throw new Error(`${workerEntry} is missing: run \`npm run build\` (npm test does) before this suite.`);
});

/** A vault keeping its text in memory, with every write recorded. */
function memoryVault(canKeep = true): KeyringVault & { text: string | undefined; writes: number } {
  const vault = {
    text: undefined as string | undefined,
    writes: 0,
    read: () => Promise.resolve(vault.text),
    write: (text: string) => {
      vault.text = text;
      vault.writes += 1;
      return Promise.resolve();
    },
    canKeep: () => canKeep,
  };
  return vault;
}

describe('archive keys in the app', () => {
  const tempDir = useTempDir('cliq-vault-keys-');
  const pools: ReturnType<typeof createServicePool>[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  /** A connected org whose archive holds 40 messages about a budget. */
  function orgArchive(dir: string): string {
    const archivePath = join(dir, 'fixture.sqlite');
    buildArchive(dir, {
      chats: [{ id: chat, kind: 'group', title: 'Budget' }],
      messages: Array.from({ length: 40 }, (_, n) => ({ chat, id: String(1_700_000_000_000 + n), time: 1_700_000_000_000 + n * 1000, text: `budget line ${n}` })),
    }).close();
    const acme: OrgProfile = { id: 'acme', name: 'Acme Corp', dataCentre: 'eu', clientId: '1000.ABC', archivePath, demo: false };
    confSettingsStore({ dir: join(dir, 'config') }).write({ ...defaultSettings(), profiles: [acme], activeProfile: 'acme' });
    return archivePath;
  }

  function openPool(dir: string, keys: HostKeyring) {
    const pool = createServicePool({
      spawn: workerThreadSpawner(pathToFileURL(workerEntry)),
      config: serveWorkerConfig({ settingsDir: join(dir, 'config'), archiveOverride: undefined, defaultArchiveDir: join(dir, 'archives'), logLevel: 'error' }),
      secrets: memorySecretStore(),
      keys,
      host: {},
      log: silentLogger,
    });
    pools.push(pool);
    const call = async <N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> => {
      const result = (await pool.dispatch(name, request)) as Result<ResponseOf<N>>;
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value;
    };
    const refusal = async <N extends OperationName>(name: N, request: RequestOf<N>) => {
      const result = await pool.dispatch(name, request);
      if (result.ok) throw new Error(`${name} was not refused`);
      return result.error;
    };
    return { pool, call, refusal };
  }

  const header = (path: string) => readFileSync(path).subarray(0, 16).toString('latin1');
  const hits = async (call: ReturnType<typeof openPool>['call']) => (await call('archive:search', { text: 'budget', limit: 100 })).hits.length;

  it('desktop: encrypts with a kept key behind a passphrase, is locked after a restart, unlocks, changes its key', async () => {
    const dir = tempDir();
    const archive = orgArchive(dir);
    const vault = memoryVault();

    const first = openPool(dir, await openHostKeyring(vault));
    expect((await first.call('app:info', {})).archiveEncryption).toMatchObject({ state: 'plain', store: 'os', keysHeld: 0, passphrase: false });
    const done = await first.call('cipher:encrypt', { passphrase });
    expect(done).toMatchObject({ action: 'encrypt', archivePath: archive, encryption: { state: 'encrypted', store: 'os', keysHeld: 1, passphrase: true } });
    expect(done.rows).toBeGreaterThan(40);
    expect(header(archive)).not.toBe('SQLite format 3\0');
    // The readers were stopped for the swap: new ones read the encrypted file with the kept key.
    expect(await hits(first.call)).toBe(40);
    // Kept sealed under the passphrase: the vault's text names no key.
    const kept = JSON.parse(vault.text ?? '{}') as { version?: number; keys?: unknown; sealed?: { salt?: unknown } };
    expect(kept.version).toBe(1);
    expect(kept.keys).toBeUndefined();
    expect(typeof kept.sealed?.salt).toBe('string');
    await first.pool.close();

    // A restart: the kept keys wait for their passphrase, and nothing reads the archive meanwhile.
    const second = openPool(dir, await openHostKeyring(vault));
    expect((await second.call('app:info', {})).archiveEncryption).toMatchObject({ state: 'locked', keyringLocked: true, keysHeld: 0 });
    expect(await second.refusal('archive:search', { text: 'budget' })).toMatchObject({ code: 'ARCHIVE_KEY_REQUIRED' });
    expect(await second.refusal('cipher:unlock', { passphrase: 'not the passphrase' })).toMatchObject({ code: 'ARCHIVE_KEY_WRONG', ui: { message: 'This passphrase does not open the archive.' } });
    expect(await second.call('cipher:unlock', { passphrase })).toMatchObject({ state: 'encrypted', keyringLocked: false, keysHeld: 1 });
    expect(await hits(second.call)).toBe(40);

    // A new random key; the old one is kept (older snapshots), but no longer opens the archive.
    expect(await second.call('cipher:rekey', {})).toMatchObject({ action: 'rekey', encryption: { state: 'encrypted', keysHeld: 2 } });
    expect(await hits(second.call)).toBe(40);
    const [newest, older] = (await openHostKeyring(vault).then(async (ring) => (await ring.unlock(passphrase), ring.keys()))).map(keyFromMessage);
    expect(older).toBeDefined();
    openKeyed(archive, { readonly: true, key: newest }).close();
    expect(() => openKeyed(archive, { readonly: true, key: older })).toThrow(expect.objectContaining({ code: 'ARCHIVE_KEY_WRONG' }) as Error);

    // Without the passphrase, the next start opens it at once.
    expect(await second.call('cipher:protect', { passphrase: null })).toMatchObject({ state: 'encrypted', passphrase: false });
    await second.pool.close();
    const third = openPool(dir, await openHostKeyring(vault));
    expect((await third.call('app:info', {})).archiveEncryption).toMatchObject({ state: 'encrypted', keyringLocked: false, keysHeld: 2 });
    expect(await hits(third.call)).toBe(40);

    // Every key change is on record, in the archive it changed.
    const log: ReviewPage = await third.call('review:log', { actions: ['key_change'] });
    expect(log.entries.map((entry) => [entry.scope.change, entry.outcome]).reverse()).toEqual([
      ['encrypt', 'ok'],
      ['rekey', 'ok'],
      ['passphrase_removed', 'ok'],
    ]);
    // The passphrase is nowhere in the log.
    expect(JSON.stringify(log)).not.toContain(passphrase);
  });

  it('desktop without a keyring to keep the key: refused in words, the archive unchanged', async () => {
    const dir = tempDir();
    const archive = orgArchive(dir);
    const before = readFileSync(archive);
    const vault = memoryVault(false);
    const { refusal } = openPool(dir, await openHostKeyring(vault));
    expect(await refusal('cipher:encrypt', {})).toMatchObject({ code: 'AUTH_FAILED', ui: { message: expect.stringContaining('no keyring') as unknown } });
    expect(readFileSync(archive).equals(before)).toBe(true);
    expect(vault.writes).toBe(0);
  });

  it('desktop with kept keys it cannot read: nothing is written over them, and the archive still unlocks with its own passphrase', async () => {
    const dir = tempDir();
    const archive = orgArchive(dir);
    // Encrypted elsewhere (the CLI, CLIQ_VAULT_KEY): a passphrase that is the archive's own key.
    const serve = openPool(dir, sessionKeyring());
    await serve.call('cipher:encrypt', { passphrase });
    await serve.pool.close();

    const vault = { ...memoryVault(), read: () => Promise.reject(new Error('The keyring is locked')) };
    const desktop = openPool(dir, await openHostKeyring(vault));
    expect((await desktop.call('app:info', {})).archiveEncryption).toMatchObject({ state: 'locked', keyringUnreadable: true });
    expect(await desktop.refusal('cipher:rekey', {})).toMatchObject({ code: 'ARCHIVE_KEY_REQUIRED' });
    expect(await desktop.call('cipher:unlock', { passphrase })).toMatchObject({ state: 'encrypted' });
    expect(await desktop.refusal('cipher:rekey', {})).toMatchObject({ code: 'KEYRING_DAMAGED' });
    expect(await desktop.refusal('cipher:protect', { passphrase })).toMatchObject({ code: 'KEYRING_DAMAGED' });
    expect(vault.writes).toBe(0);
    expect(await hits(desktop.call)).toBe(40);
    expect(header(archive)).not.toBe('SQLite format 3\0');
  });

  it('serve: the passphrase is the key, held for this session only; a restart without it finds the archive locked', async () => {
    const dir = tempDir();
    const archive = orgArchive(dir);
    const first = openPool(dir, sessionKeyring());
    expect((await first.call('app:info', {})).archiveEncryption).toMatchObject({ state: 'plain', store: 'memory', keysHeld: 0 });
    expect(await first.refusal('cipher:encrypt', {})).toMatchObject({ code: 'USAGE', ui: { message: expect.stringContaining('Type a passphrase') as unknown } });
    expect(await first.refusal('cipher:encrypt', { passphrase: 'short' })).toMatchObject({ code: 'USAGE', ui: { message: expect.stringContaining('too short') as unknown } });
    expect(header(archive)).toBe('SQLite format 3\0');
    expect(await first.call('cipher:encrypt', { passphrase })).toMatchObject({ encryption: { state: 'encrypted', keysHeld: 1 } });
    expect(await first.refusal('cipher:protect', { passphrase })).toMatchObject({ code: 'USAGE' });
    await first.pool.close();

    const second = openPool(dir, sessionKeyring());
    expect((await second.call('app:info', {})).archiveEncryption).toMatchObject({ state: 'locked', keysHeld: 0 });
    expect(await second.call('cipher:unlock', { passphrase })).toMatchObject({ state: 'encrypted', keysHeld: 1 });
    expect(await hits(second.call)).toBe(40);
    // A new passphrase is the new key: the old one no longer opens it.
    await second.call('cipher:rekey', { passphrase: 'a different passphrase entirely' });
    expect(() => openKeyed(archive, { readonly: true, key: { kind: 'passphrase', passphrase, origin: 'test' } })).toThrow(expect.objectContaining({ code: 'ARCHIVE_KEY_WRONG' }) as Error);
    openKeyed(archive, { readonly: true, key: { kind: 'passphrase', passphrase: 'a different passphrase entirely', origin: 'test' } }).close();
    expect(await hits(second.call)).toBe(40);
  });

  it('serve started with a key encrypts under it without asking', async () => {
    const dir = tempDir();
    const archive = orgArchive(dir);
    const key = { kind: 'passphrase' as const, passphrase, origin: 'CLIQ_VAULT_KEY' };
    const { call } = openPool(dir, sessionKeyring([key]));
    expect((await call('app:info', {})).archiveEncryption).toMatchObject({ state: 'plain', keysHeld: 1 });
    await call('cipher:encrypt', {});
    openKeyed(archive, { readonly: true, key }).close();
    expect(await hits(call)).toBe(40);
  });
});
