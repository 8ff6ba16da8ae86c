import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openHostKeyring } from '../../electron/core/app/archiveKeyring';
import { keyFromMessage } from '../../electron/core/cipher';
import { archiveKeyVault } from '../../electron/main/archiveKeys';
import { resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

/**
 * The desktop's archive keys on disk: safeStorage's ciphertext in a 0600 file, never a key in the
 * clear (with or without a passphrase), read back by the next start, and never written over when
 * it cannot be read.
 */
let dir: string;
const file = () => join(dir, 'archive-keys.json');

beforeEach(() => {
  resetFake();
  dir = mkdtempSync(join(tmpdir(), 'cliq-vault-archive-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const vault = (canKeep = true) => archiveKeyVault({ dir, canKeep: () => canKeep });
const hexOf = (message: ReturnType<Awaited<ReturnType<typeof openHostKeyring>>['keys']>[number]) => {
  const key = keyFromMessage(message);
  if (key.kind !== 'raw') throw new Error('the desktop keeps raw keys');
  return key.key.toString('hex');
};

describe('the desktop keyring file', () => {
  it('keeps a new key in safeStorage ciphertext, mode 0600, and the next start reads it back', async () => {
    const ring = await openHostKeyring(vault());
    const key = hexOf(await ring.create({}));
    const text = readFileSync(file(), 'utf8');
    expect(text).not.toContain(key);
    expect(text).not.toContain(Buffer.from(key).toString('base64').slice(0, 16));
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
    const again = await openHostKeyring(vault());
    expect(again.keys().map(hexOf)).toEqual([key]);
    expect(await again.status()).toEqual({ store: 'os', keys: 1, passphrase: false, locked: false, unreadable: false });
  });

  it('with a passphrase, the next start is locked until the passphrase is typed; a wrong one unlocks nothing', async () => {
    const ring = await openHostKeyring(vault());
    const first = hexOf(await ring.create({ passphrase: 'correct horse battery staple' }));
    const second = hexOf(await ring.create({}));
    const locked = await openHostKeyring(vault());
    expect(locked.keys()).toEqual([]);
    expect(await locked.status()).toMatchObject({ locked: true, passphrase: true, keys: 0 });
    // A wrong passphrase is offered back only as an archive's own passphrase: the kept keys stay locked.
    expect((await locked.unlock('wrong passphrase here')).map((key) => key.kind)).toEqual(['passphrase']);
    expect(await locked.status()).toMatchObject({ locked: true });
    expect((await locked.unlock('correct horse battery staple')).map(hexOf)).toEqual([second, first]);
    expect(await locked.status()).toMatchObject({ locked: false, passphrase: true, keys: 2 });
    // Removing the passphrase: the next start opens at once.
    await locked.protect(null);
    expect((await openHostKeyring(vault())).keys().map(hexOf)).toEqual([second, first]);
  });

  it('a file safeStorage cannot decrypt is never written over, and says so', async () => {
    writeFileSync(file(), JSON.stringify({ version: 1, keyring: Buffer.from('not safeStorage ciphertext').toString('base64') }), { mode: 0o600 });
    const before = readFileSync(file());
    const ring = await openHostKeyring(vault());
    expect(await ring.status()).toMatchObject({ unreadable: true, keys: 0 });
    await expect(ring.create({})).rejects.toMatchObject({ code: 'KEYRING_DAMAGED' });
    await expect(ring.protect('correct horse battery staple')).rejects.toMatchObject({ code: 'KEYRING_DAMAGED' });
    expect(readFileSync(file()).equals(before)).toBe(true);
  });

  it('refuses to keep a key where there is no keyring to keep it safe', async () => {
    const ring = await openHostKeyring(vault(false));
    await expect(ring.create({})).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(() => statSync(file())).toThrow();
  });
});
