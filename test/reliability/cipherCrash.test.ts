import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsEnv, runCli, syncArgs } from '../helpers/cli';
import { useSimulators } from '../helpers/sim';
import { useTempDir } from '../helpers/tempDir';
import { killAt } from './pauses';

const passphrase = 'correct horse battery staple';

function messageIds(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], string>('SELECT message_id FROM messages ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
}

/** The first 4 bytes of every object in the archive's file store. */
function storeHeads(archive: string): string[] {
  return readdirSync(`${archive}.files/sha256`, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).subarray(0, 4).toString('latin1'));
}

describe('SIGKILL during encrypt', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('leaves the plain archive as it was (killed after the copy verified) or the encrypted one (killed after the swap), never a mix', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    expect((await runCli(syncArgs(sim, path), credentialsEnv(sim))).code).toBe(0);
    const ids = messageIds(path);
    const plainBytes = readFileSync(path);

    const beforeSwap = await killAt(['encrypt', '--archive', path], { CLIQ_VAULT_KEY: passphrase }, 'cipher:verified');
    expect(beforeSwap.killedAt).toBe('cipher:verified#1');
    // Still the plain archive, byte for byte apart from SQLite's own header counters, and it verifies.
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(readFileSync(path).length).toBe(plainBytes.length);
    expect(messageIds(path)).toEqual(ids);
    expect((await runCli(['verify', '--archive', path, '--files'])).code).toBe(0);
    expect(storeHeads(path).every((head) => head !== 'CVE1')).toBe(true);

    const afterSwap = await killAt(['encrypt', '--archive', path], { CLIQ_VAULT_KEY: passphrase }, 'cipher:swapped');
    expect(afterSwap.killedAt).toBe('cipher:swapped#1');
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    // The dead encrypt's lease expires with its pid: the encrypted archive opens, verifies and syncs.
    // Its stored files were still under the old (plain) store's name: the next open finishes the swap.
    expect(existsSync(`${path}.files-swap.json`)).toBe(true);
    const verify = await runCli(['verify', '--archive', path, '--files'], { CLIQ_VAULT_KEY: passphrase });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(existsSync(`${path}.files-swap.json`)).toBe(false);
    expect(storeHeads(path).length).toBeGreaterThan(0);
    expect(storeHeads(path).every((head) => head === 'CVE1')).toBe(true);
    const out = join(dir, 'plain.sqlite');
    expect((await runCli(['decrypt', '--archive', path, '--out', out], { CLIQ_VAULT_KEY: passphrase })).code).toBe(0);
    expect(messageIds(out)).toEqual(ids);
    expect((await runCli(syncArgs(sim, path), { ...credentialsEnv(sim), CLIQ_VAULT_KEY: passphrase })).code).toBe(0);
    // The first run's partial copy was cleared by the second (its pid is dead).
    expect(readdirSync(dir).filter((name) => name.startsWith('.cliq-vault-partial'))).toEqual([]);
  });
});
