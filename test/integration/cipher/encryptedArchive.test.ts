import Database from 'better-sqlite3-multiple-ciphers';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsEnv, firstLine, lastJson, runCli, spawnCli, syncArgs } from '../../helpers/cli';
import { useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';
import { openKeyed } from '../../../electron/core/cipher';

const passphrase = 'correct horse battery staple';
const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Message texts of a plain archive, in id order. */
function messageRows(path: string): { id: string; text: string | null }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], { id: string; text: string | null }>('SELECT message_id AS id, text FROM messages ORDER BY chat_id, message_id').all();
  } finally {
    db.close();
  }
}

/** Every object of an archive's file store, read as it lies on disk. */
function storedObjects(archive: string): Buffer[] {
  const root = `${archive}.files/sha256`;
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)));
}

const sealedMagic = Buffer.from('CVE1', 'latin1');

function isPlain(path: string): boolean {
  return readFileSync(path).subarray(0, 16).equals(sqliteHeader);
}

describe('an encrypted archive', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('is created by a sync given CLIQ_VAULT_KEY: the sqlite3 shell cannot read it, no message text is in its bytes, and search, verify and a second sync work', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    const env = { ...credentialsEnv(sim), CLIQ_VAULT_KEY: passphrase };
    const first = await runCli(syncArgs(sim, path), env);
    expect(first.code, first.stderr).toBe(0);
    expect(isPlain(path)).toBe(false);

    const shell = spawnSync('sqlite3', [path, 'SELECT count(*) FROM messages'], { encoding: 'utf8' });
    expect(shell.status).not.toBe(0);
    expect(shell.stderr).toMatch(/file is not a database/);

    // The plain copy tells which texts must not be found in the encrypted file's bytes.
    const plain = join(tempDir(), 'plain.sqlite');
    const decrypted = await runCli(['decrypt', '--archive', path, '--out', plain], { CLIQ_VAULT_KEY: passphrase });
    expect(decrypted.code, decrypted.stderr).toBe(0);
    const texts = messageRows(plain)
      .map((m) => m.text)
      .filter((t): t is string => t !== null && t.length >= 12);
    expect(texts.length).toBeGreaterThan(20);
    const bytes = readFileSync(path);
    expect(texts.filter((t) => bytes.includes(Buffer.from(t)))).toEqual([]);

    const word = /[A-Za-z]{5,}/.exec(texts[0] ?? '')?.[0] ?? 'budget';
    const search = await runCli(['search', '--archive', path, word, '--json'], { CLIQ_VAULT_KEY: passphrase });
    expect(search.code, search.stderr).toBe(0);
    expect((lastJson(search) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);

    // The stored files are sealed: none holds its own bytes (their plain copies, decrypted, do).
    const sealed = storedObjects(path);
    expect(sealed.length).toBeGreaterThan(0);
    expect(sealed.every((bytes) => bytes.subarray(0, 4).equals(sealedMagic))).toBe(true);
    const plainFiles = storedObjects(plain);
    expect(plainFiles).toHaveLength(sealed.length);
    expect(plainFiles.some((bytes) => bytes.subarray(0, 4).equals(sealedMagic))).toBe(false);
    for (const bytes of plainFiles.filter((b) => b.length >= 64)) expect(sealed.some((s) => s.includes(bytes.subarray(0, 64)))).toBe(false);
    const bundle = join(tempDir(), 'bundle');
    const audit = await runCli(['audit', '--archive', path, '--out', bundle, '--no-transcripts'], { CLIQ_VAULT_KEY: passphrase });
    expect(audit.code, audit.stderr).toBe(0);
    expect(readdirSync(join(bundle, 'files')).length).toBe(sealed.length);
    expect((await runCli(['verify', '--bundle', bundle])).code).toBe(0);

    const again = await runCli(syncArgs(sim, path), env);
    expect(again.code, again.stderr).toBe(0);
    const verify = await runCli(['verify', '--archive', path, '--files'], { CLIQ_VAULT_KEY: passphrase });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^OK: every sealed row, seal and link checks out/);
    expect(isPlain(path)).toBe(false);
  });

  it('refuses a missing or wrong key with exit 6, names how to give it, never prints the key, and writes nothing', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await runCli(syncArgs(sim, path), { ...credentialsEnv(sim), CLIQ_VAULT_KEY: passphrase })).code).toBe(0);
    const before = sha256(path);

    const missing = await runCli(['stats', '--archive', path]);
    expect(missing.code).toBe(6);
    expect(missing.stderr).toContain(`${path} is encrypted (or is not an SQLite file): no key was given to open it. Nothing was changed.`);
    expect(missing.stderr).toContain('set CLIQ_VAULT_KEY to its passphrase, or add --key-file FILE');

    for (const args of [['stats', '--archive', path], syncArgs(sim, path), ['backup', '--archive', path, '--to', tempDir()]]) {
      const wrong = await runCli(args, { ...credentialsEnv(sim), CLIQ_VAULT_KEY: 'not the passphrase at all' });
      expect(wrong.code, args.join(' ')).toBe(6);
      expect(wrong.stderr).toContain(`The key from CLIQ_VAULT_KEY does not open ${path} (a wrong key, or not an archive). Nothing was changed.`);
      expect(wrong.stderr + wrong.stdout).not.toContain('not the passphrase at all');
    }
    expect(sha256(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(readdirSync(tempDir()).filter((name) => name.endsWith('.json'))).toEqual([]);
  });

  it('encrypt, rekey and decrypt round trip with key files; group-readable key files are refused; decrypt never writes over a file', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    expect((await runCli(syncArgs(sim, path), credentialsEnv(sim))).code).toBe(0);
    const original = messageRows(path);
    const originalFiles = storedObjects(path)
      .map((b) => b.toString('hex'))
      .sort();
    expect(originalFiles.length).toBeGreaterThan(0);
    const k1 = join(dir, 'k1.key');
    const encrypted = await runCli(['encrypt', '--archive', path, '--new-key-file', k1, '--json']);
    expect(encrypted.code, encrypted.stderr).toBe(0);
    expect(lastJson(encrypted)).toMatchObject({ action: 'encrypt', archivePath: path });
    expect(statSync(k1).mode & 0o777).toBe(0o600);
    expect(isPlain(path)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('.cliq-vault-partial'))).toEqual([]);
    expect((await runCli(['verify', '--archive', path, '--key-file', k1, '--files'])).code).toBe(0);
    expect(storedObjects(path).every((bytes) => bytes.subarray(0, 4).equals(sealedMagic))).toBe(true);

    const loose = join(dir, 'loose.key');
    copyFileSync(k1, loose);
    chmodSync(loose, 0o644);
    const refused = await runCli(['stats', '--archive', path, '--key-file', loose]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`The key file ${loose} can be read by other users (mode 644); it was not used.`);

    const k2 = join(dir, 'k2.key');
    const rekeyed = await runCli(['rekey', '--archive', path, '--key-file', k1, '--new-key-file', k2]);
    expect(rekeyed.code, rekeyed.stderr).toBe(0);
    expect((await runCli(['stats', '--archive', path, '--key-file', k1])).code).toBe(6);
    expect((await runCli(['verify', '--archive', path, '--key-file', k2])).code).toBe(0);

    const toPassphrase = await runCli(['rekey', '--archive', path, '--key-file', k2], { CLIQ_VAULT_KEY_NEW: passphrase });
    expect(toPassphrase.code, toPassphrase.stderr).toBe(0);
    const out = join(dir, 'out.sqlite');
    const decrypted = await runCli(['decrypt', '--archive', path, '--out', out], { CLIQ_VAULT_KEY: passphrase });
    expect(decrypted.code, decrypted.stderr).toBe(0);
    expect(isPlain(out)).toBe(true);
    expect(messageRows(out)).toEqual(original);
    expect(
      storedObjects(out)
        .map((b) => b.toString('hex'))
        .sort(),
    ).toEqual(originalFiles);
    expect((await runCli(['verify', '--archive', out, '--files'])).code).toBe(0);
    expect((await runCli(['verify', '--archive', path, '--files'], { CLIQ_VAULT_KEY: passphrase })).code).toBe(0);
    // Every key change is on record in the archive's review log, and no key is.
    const log = await runCli(['audit-log', '--archive', path, '--action', 'key_change', '--json'], { CLIQ_VAULT_KEY: passphrase });
    expect(log.code, log.stderr).toBe(0);
    const changes = (lastJson(log) as { entries: { scope: { change: string } }[] }).entries.map((e) => e.scope.change);
    expect([...changes].sort()).toEqual(['decrypt', 'encrypt', 'rekey', 'rekey']);
    expect(log.stdout).not.toContain(passphrase);

    const outHash = sha256(out);
    const twice = await runCli(['decrypt', '--archive', path, '--out', out], { CLIQ_VAULT_KEY: passphrase });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${out} already exists; decrypt never writes over a file.`);
    expect(sha256(out)).toBe(outHash);
  });

  it('snapshots of an encrypted archive are encrypted under the same key, and restore from one works', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    const env = { ...credentialsEnv(sim), CLIQ_VAULT_KEY: passphrase };
    expect((await runCli(syncArgs(sim, path), env)).code).toBe(0);
    const snaps = join(dir, 'snaps');
    const backup = await runCli(['backup', '--archive', path, '--to', dir, '--json'], { CLIQ_VAULT_KEY: passphrase });
    expect(backup.code, backup.stderr).toBe(0);
    const snapshot = (lastJson(backup) as { path: string }).path;
    expect(snapshot.startsWith(snaps)).toBe(false);
    expect(isPlain(snapshot)).toBe(false);
    expect(spawnSync('sqlite3', [snapshot, 'SELECT 1 FROM messages'], { encoding: 'utf8' }).status).not.toBe(0);
    expect((await runCli(['stats', '--archive', snapshot])).code).toBe(6);

    // Listed without the key: checked against its manifest, and says what was not checked.
    type Listing = { snapshots: { name: string; ok: boolean; unchecked?: string; facts?: unknown; filesChecked: number }[] };
    const keyless = await runCli(['backup', '--list', '--to', dir, '--json']);
    expect(keyless.code, keyless.stderr).toBe(0);
    const [listed] = (lastJson(keyless) as Listing).snapshots;
    expect(listed).toMatchObject({ ok: true, filesChecked: 0, unchecked: expect.stringContaining('no key was given') as unknown });
    expect((await runCli(['backup', '--list', '--to', dir])).stdout).toMatch(/ok {2}.*\n.*encrypted, and no key was given.*give its key/);
    const keyed = await runCli(['backup', '--list', '--to', dir, '--json'], { CLIQ_VAULT_KEY: passphrase });
    const [whole] = (lastJson(keyed) as Listing).snapshots;
    expect(whole?.ok).toBe(true);
    expect(whole?.unchecked).toBeUndefined();
    expect(whole?.facts).toBeDefined();

    const restored = await runCli(['restore', '--archive', path, '--from', snapshot, '--yes'], { CLIQ_VAULT_KEY: passphrase });
    expect(restored.code, restored.stderr).toBe(0);
    expect(isPlain(path)).toBe(false);
    const verify = await runCli(['verify', '--archive', path], { CLIQ_VAULT_KEY: passphrase });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('is served by `serve` given the key: its worker threads get it in their init message; without it every read says the key is required', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const dir = tempDir();
    const archive = join(dir, 'a.sqlite');
    expect((await runCli(syncArgs(sim, archive), { ...credentialsEnv(sim), CLIQ_VAULT_KEY: passphrase })).code).toBe(0);

    let current = { origin: '', token: '' };
    const origin = () => current.origin;
    const token = () => current.token;
    const serve = async (env: NodeJS.ProcessEnv, call: (post: (name: string, body: unknown) => Promise<unknown>) => Promise<void>) => {
      const child = spawnCli(['serve', '--archive', archive, '--config-dir', join(dir, 'config'), '--json'], env);
      const { url, origin } = JSON.parse(await firstLine(child)) as { url: string; origin: string };
      const token = new URL(url).searchParams.get('token') ?? '';
      current = { origin, token };
      const post = async (name: string, body: unknown) =>
        (await fetch(`${origin}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })).json();
      try {
        await call(post);
      } finally {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    };

    await serve({ CLIQ_VAULT_KEY: passphrase }, async (post) => {
      const stats = (await post('archive:stats', {})) as { ok: boolean; value: { messages: { live: number } } };
      expect(stats.ok).toBe(true);
      expect(stats.value.messages.live).toBeGreaterThan(0);
      const found = (await post('archive:search', { text: 'budget', limit: 5 })) as { ok: boolean; value: { hits: unknown[] } };
      expect(found.ok).toBe(true);
      expect(found.value.hits.length).toBeGreaterThan(0);
      const db = openKeyed(archive, { readonly: true, key: { kind: 'passphrase', passphrase, origin: 'test' } });
      const row = db
        .prepare<[], { chat_id: string; message_id: string; file_id: string; sha256: string }>(
          "SELECT chat_id, message_id, file_id, sha256 FROM attachments WHERE status = 'stored' ORDER BY bytes DESC LIMIT 1",
        )
        .get();
      db.close();
      if (!row) throw new Error('the tiny org has stored files');
      const route = `${origin()}/api/file?${new URLSearchParams({ chat: row.chat_id, message: row.message_id, file: row.file_id }).toString()}`;
      const reply = await fetch(route, { headers: { authorization: `Bearer ${token()}` } });
      expect(reply.status).toBe(200);
      expect(
        createHash('sha256')
          .update(Buffer.from(await reply.arrayBuffer()))
          .digest('hex'),
      ).toBe(row.sha256);
    });
    await serve({}, async (post) => {
      const refused = (await post('archive:stats', {})) as { ok: boolean; error: { code: string; ui?: { message: string } } };
      expect(refused.ok).toBe(false);
      expect(refused.error.code).toBe('ARCHIVE_KEY_REQUIRED');
      expect(refused.error.ui?.message).toBe(`${archive} is encrypted: unlock it with its key or passphrase.`);
    });
  });
});
