import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigningKey } from '../../../electron/core/audit/signing';
import { syncArchive } from '../../../electron/core/createCore';
import { describe, expect, it } from 'vitest';
import { credentialsEnv, firstLine, runCli, spawnCli, syncArgs } from '../../helpers/cli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('cliq-vault serve', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('serves an existing archive to the token holder only, and stops cleanly on SIGTERM', async () => {
    const sim = await simulator({ seed: 3, scale: 'tiny' });
    const dir = tempDir();
    const archive = join(dir, 'a.sqlite');
    expect((await runCli(syncArgs(sim, archive), credentialsEnv(sim))).code).toBe(0);

    const child = spawnCli(['serve', '--archive', archive, '--config-dir', join(dir, 'config'), '--json']);
    const { url, origin } = JSON.parse(await firstLine(child)) as { url: string; origin: string };
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const token = new URL(url).searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThanOrEqual(43);

    const post = (name: string, body: unknown, auth = true) =>
      fetch(`${origin}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    expect((await post('archive:stats', {}, false)).status).toBe(401);
    const stats = (await (await post('archive:stats', {})).json()) as { ok: boolean; value: { messages: { live: number } } };
    expect(stats.ok).toBe(true);
    expect(stats.value.messages.live).toBeGreaterThan(0);
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(303);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('downloads a stored attachment through its worker threads, to the token holder only', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const dir = tempDir();
    const archive = join(dir, 'a.sqlite');
    expect((await syncArchive(archive, connectionTo(sim), { files: 'all' })).status).toBe('complete');
    const db = new Database(archive, { readonly: true });
    const row = db
      .prepare<[], { chat_id: string; message_id: string; file_id: string; sha256: string }>(
        "SELECT chat_id, message_id, file_id, sha256 FROM attachments WHERE status = 'stored' ORDER BY bytes DESC LIMIT 1",
      )
      .get();
    db.close();
    expect(row).toBeDefined();
    if (!row) return;

    const child = spawnCli(['serve', '--archive', archive, '--config-dir', join(dir, 'config'), '--json']);
    const { url, origin } = JSON.parse(await firstLine(child)) as { url: string; origin: string };
    const token = new URL(url).searchParams.get('token') ?? '';
    const route = `${origin}/api/file?${new URLSearchParams({ chat: row.chat_id, message: row.message_id, file: row.file_id }).toString()}`;
    expect((await fetch(route)).status).toBe(401);
    const reply = await fetch(route, { headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/octet-stream');
    expect(reply.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(
      createHash('sha256')
        .update(Buffer.from(await reply.arrayBuffer()))
        .digest('hex'),
    ).toBe(row.sha256);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('takes its bundle-signing key from --signing-key, and will not start with a key file others can read', async () => {
    const sim = await simulator({ seed: 3, scale: 'tiny' });
    const dir = tempDir();
    const archive = join(dir, 'a.sqlite');
    expect((await runCli(syncArgs(sim, archive), credentialsEnv(sim))).code).toBe(0);
    const keyFile = join(dir, 'installation.pem');
    const signer = createSigningKey(keyFile);

    const child = spawnCli(['serve', '--archive', archive, '--config-dir', join(dir, 'config'), '--signing-key', keyFile, '--json']);
    const { url, origin } = JSON.parse(await firstLine(child)) as { url: string; origin: string };
    const token = new URL(url).searchParams.get('token') ?? '';
    const info = (await (await fetch(`${origin}/api/app:info`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' })).json()) as {
      ok: boolean;
      value: { bundleSigning: unknown };
    };
    expect(info.value.bundleSigning).toEqual({ kind: 'installation', fingerprint: signer.fingerprint, origin: `the signing key ${keyFile}` });
    child.kill('SIGTERM');
    await once(child, 'exit');

    const shared = join(dir, 'shared.pem');
    writeFileSync(shared, 'x');
    chmodSync(shared, 0o644);
    const refused = await runCli(['serve', '--archive', archive, '--config-dir', join(dir, 'config'), '--signing-key', shared]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/can be read by other users/);
  });

  it('refuses a bad port with a usage error', async () => {
    const result = await runCli(['serve', '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port: must be a port number/);
  });
});
