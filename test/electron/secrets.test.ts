import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isVaultError } from '../../shared/errors';
import { createLogger } from '../../electron/core/util/log';
import { openSecretStore, secretStorageKind } from '../../electron/main/secrets';
import { fake, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

const acme = { clientSecret: 'cs-acme-3f9a2b71c4d5', refreshToken: '1000.refreshacme0123456789.abcdef0123456789' };
const beta = { clientSecret: 'cs-beta-77aa11', refreshToken: '1000.refreshbeta9876543210.fedcba9876543210' };

let dir: string;
let lines: string[];
const log = () => createLogger({ level: 'debug', write: (line) => lines.push(line) });
const open = (allowWeak = false, platform: NodeJS.Platform = 'linux') => openSecretStore({ dir, allowWeak: () => allowWeak, log: log(), platform });
const file = () => join(dir, 'secrets.json');

beforeEach(() => {
  resetFake();
  lines = [];
  dir = mkdtempSync(join(tmpdir(), 'cliq-vault-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Asserts no secret of `values` appears in `text`, as is or base64. */
function expectNoSecrets(text: string, ...values: { clientSecret: string; refreshToken: string }[]) {
  for (const value of values) {
    for (const secret of [value.clientSecret, value.refreshToken]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(0, 12));
    }
  }
}

describe('secretStorageKind', () => {
  it.each([
    [{ available: true, platform: 'darwin', backend: null, allowWeak: false }, 'os'],
    [{ available: true, platform: 'win32', backend: null, allowWeak: false }, 'os'],
    [{ available: true, platform: 'linux', backend: 'gnome_libsecret', allowWeak: false }, 'os'],
    [{ available: true, platform: 'linux', backend: 'kwallet6', allowWeak: false }, 'os'],
    [{ available: true, platform: 'linux', backend: 'basic_text', allowWeak: false }, 'unavailable'],
    [{ available: true, platform: 'linux', backend: 'basic_text', allowWeak: true }, 'weak'],
    [{ available: true, platform: 'linux', backend: 'unknown', allowWeak: false }, 'unavailable'],
    [{ available: false, platform: 'darwin', backend: null, allowWeak: true }, 'unavailable'],
    [{ available: false, platform: 'linux', backend: 'basic_text', allowWeak: true }, 'unavailable'],
  ] as const)('%o → %s', (options, kind) => {
    expect(secretStorageKind(options)).toBe(kind);
  });
});

describe('the safeStorage secret store', () => {
  it('round-trips through an encrypted file, mode 0600, with no plaintext in it', async () => {
    const store = await open();
    expect(store.kind).toBe('os');
    await store.set('acme', acme);
    await store.set('beta', beta);
    expect(await store.get('acme')).toEqual(acme);
    await store.flush();
    const text = readFileSync(file(), 'utf8');
    expectNoSecrets(text, acme, beta);
    expect(Object.keys((JSON.parse(text) as { entries: object }).entries).sort()).toEqual(['acme', 'beta']);
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);

    const reopened = await open();
    expect(await reopened.get('acme')).toEqual(acme);
    expect(await reopened.get('beta')).toEqual(beta);
    expect(await reopened.get('nobody')).toBeUndefined();
    expect([await reopened.has('acme'), await reopened.has('nobody')]).toEqual([true, false]);
  });

  it('hands out copies: changing one changes nothing stored', async () => {
    const store = await open();
    await store.set('acme', { ...acme });
    const copy = await store.get('acme');
    if (copy) copy.refreshToken = 'changed';
    expect(await store.get('acme')).toEqual(acme);
  });

  it('deletes', async () => {
    const store = await open();
    await store.set('acme', acme);
    await store.set('beta', beta);
    await store.delete('acme');
    expect(await store.get('acme')).toBeUndefined();
    expect(await store.has('acme')).toBe(false);
    await store.flush();
    expect(await (await open()).get('acme')).toBeUndefined();
    expect(await (await open()).get('beta')).toEqual(beta);
    expect(readFileSync(file(), 'utf8')).not.toContain('"acme"');
  });

  it('on Linux without a keyring (basic_text) refuses to save, with a hint', async () => {
    fake.safeStorage.backend = 'basic_text';
    const store = await open(false);
    expect(store.kind).toBe('unavailable');
    const error: unknown = await store.set('acme', acme).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(isVaultError(error) && error.code).toBe('AUTH_FAILED');
    expect(isVaultError(error) && error.hint).toMatch(/keyring.*weak storage/);
    expect(await store.get('acme')).toBeUndefined();
    await store.flush();
    expect(() => statSync(file())).toThrow();
  });

  it('on Linux without a keyring saves (weakly) once the user allows it', async () => {
    fake.safeStorage.backend = 'basic_text';
    const store = await open(true);
    expect(store.kind).toBe('weak');
    await store.set('acme', acme);
    await store.flush();
    expectNoSecrets(readFileSync(file(), 'utf8'), acme);
  });

  it('follows the weak-storage setting as it changes', async () => {
    fake.safeStorage.backend = 'basic_text';
    let allow = false;
    const store = await openSecretStore({ dir, allowWeak: () => allow, log: log(), platform: 'linux' });
    expect(store.kind).toBe('unavailable');
    allow = true;
    expect(store.kind).toBe('weak');
  });

  it('is unavailable without encryption at all', async () => {
    fake.safeStorage.available = false;
    const store = await open(true, 'darwin');
    expect(store.kind).toBe('unavailable');
    await expect(store.set('acme', acme)).rejects.toThrow(/no keyring/);
  });

  it('reads a corrupt entry as missing, logs it without secrets, and keeps its ciphertext', async () => {
    const first = await open();
    await first.set('acme', acme);
    await first.flush();
    const saved = JSON.parse(readFileSync(file(), 'utf8')) as { version: 1; entries: Record<string, string> };
    saved.entries.broken = Buffer.from('not what safeStorage wrote').toString('base64');
    writeFileSync(file(), JSON.stringify(saved));

    const store = await open();
    expect(await store.get('broken')).toBeUndefined();
    expect(await store.has('broken')).toBe(false);
    expect(await store.get('acme')).toEqual(acme);
    expect(lines.join('')).toContain('broken');
    expectNoSecrets(lines.join(''), acme);

    await store.set('beta', beta);
    await store.flush();
    expect((JSON.parse(readFileSync(file(), 'utf8')) as typeof saved).entries.broken).toBe(saved.entries.broken);
  });

  it('treats a damaged file as empty, and logs it', async () => {
    writeFileSync(file(), '{ not json');
    const store = await open();
    expect(await store.get('acme')).toBeUndefined();
    expect(lines.join('')).toMatch(/damaged/);
    await store.set('acme', acme);
    await store.flush();
    expect(await (await open()).get('acme')).toEqual(acme);
  });

  it('re-encrypts entries safeStorage asks to (a rotated key)', async () => {
    const first = await open();
    await first.set('acme', acme);
    await first.flush();
    fake.safeStorage.shouldReEncrypt = true;
    fake.safeStorage.encryptCalls = 0;
    const store = await open();
    await store.flush();
    expect(fake.safeStorage.encryptCalls).toBe(1);
    expect(await store.get('acme')).toEqual(acme);
  });

  it('reports a failed write through flush, and never logs the secret', async () => {
    const store = await open();
    fake.safeStorage.available = false;
    await store.set('acme', acme);
    await expect(store.flush()).rejects.toThrow(/not available/);
    expectNoSecrets(lines.join(''), acme);
  });
});
