import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keptSigningKey } from '../../electron/core/app/signingKeys';
import { signerFromPem } from '../../electron/core/audit/signing';
import { createLogger } from '../../electron/core/util';
import { signingKeyVault } from '../../electron/main/archiveKeys';
import { resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

/**
 * The desktop's bundle-signing key (issue 15): made with the first bundle, kept as safeStorage's
 * ciphertext in a 0600 file (never the key in the clear), the same key at the next start, and a
 * kept key that cannot be read is never written over.
 */
let dir: string;
let logged: string[];
const file = () => join(dir, 'signing-key.json');
const log = () => createLogger({ level: 'debug', write: (line) => void logged.push(line) });

beforeEach(() => {
  resetFake();
  logged = [];
  dir = mkdtempSync(join(tmpdir(), 'cliq-vault-signing-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const store = (canKeep = true) => keptSigningKey(signingKeyVault({ dir, canKeep: () => canKeep }), log());

describe("the desktop's bundle-signing key", () => {
  it('is made with the first bundle, kept encrypted (mode 0600), and is the same key at the next start', async () => {
    const first = store();
    expect(await first.status()).toMatchObject({ kind: 'installation', fingerprint: null, origin: expect.stringContaining('made with the first bundle') as unknown });
    expect(() => statSync(file())).toThrow();
    const key = await first.current();
    if (key === undefined) throw new Error('a key should have been made');
    const fingerprint = signerFromPem(key.pem, key.origin).fingerprint;
    const text = readFileSync(file(), 'utf8');
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(key.pem.split('\n')[1]);
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(await first.status()).toEqual({ kind: 'installation', fingerprint, origin: key.origin });

    const next = store();
    expect(await next.status()).toMatchObject({ kind: 'installation', fingerprint });
    expect((await next.current())?.pem).toBe(key.pem);
    expect(logged.join('\n')).not.toContain(key.pem.split('\n')[1]);
  });

  it('two bundles started together get one key', async () => {
    const keys = store();
    const [a, b] = await Promise.all([keys.current(), keys.current()]);
    expect(a?.pem).toBeDefined();
    expect(b?.pem).toBe(a?.pem);
    expect((await store().current())?.pem).toBe(a?.pem);
  });

  it('makes no key where there is no secret store to keep it: bundles are signed ephemerally and the screens say why', async () => {
    const keys = store(false);
    expect(await keys.current()).toBeUndefined();
    expect(await keys.status()).toMatchObject({ kind: 'ephemeral', fingerprint: null, origin: expect.stringContaining('no secret store') as unknown });
    expect(() => statSync(file())).toThrow();
  });

  it('a kept key safeStorage cannot decrypt is never written over: ephemeral keys meanwhile', async () => {
    writeFileSync(file(), JSON.stringify({ version: 1, signingKey: Buffer.from('not safeStorage ciphertext').toString('base64') }), { mode: 0o600 });
    const before = readFileSync(file());
    const keys = store();
    expect(await keys.current()).toBeUndefined();
    expect(await keys.status()).toMatchObject({ kind: 'ephemeral', origin: expect.stringContaining('cannot be read') as unknown });
    expect(readFileSync(file()).equals(before)).toBe(true);
    expect(logged.join('\n')).toContain('cannot be read');
  });

  it('a kept text that is not a signing key is left as it is', async () => {
    await signingKeyVault({ dir, canKeep: () => true }).write('not a key at all');
    const before = readFileSync(file());
    const keys = store();
    expect(await keys.current()).toBeUndefined();
    expect(await keys.status()).toMatchObject({ kind: 'ephemeral', origin: expect.stringContaining('not a signing key') as unknown });
    expect(readFileSync(file()).equals(before)).toBe(true);
  });
});
