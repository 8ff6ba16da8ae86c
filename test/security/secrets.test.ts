import Database from 'better-sqlite3-multiple-ciphers';
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { familyNames } from '../../electron/core/cliq/families';
import { firstLine, spawnCli } from '../helpers/cli';
import { useSimulators } from '../helpers/sim';
import { useTempDir } from '../helpers/tempDir';
import { filesUnder, isolatedHome } from './serveChild';

/**
 * Secrets never reach a plain file. The project's choice (README.md; docs/architecture.md, "The CLI"): the CLI takes them
 * from the environment only, `serve` keeps them in memory, the desktop app in safeStorage.
 *
 * - `serve` (here): a full run in a child process at debug level, in a private HOME with its own XDG
 *   folders and TMPDIR — connect with a grant code from a simulator, sync, audit export, then the
 *   demo org (its simulator runs inside serve), sync again — and then every file under the temp
 *   folder, stdout and stderr are searched for the client secrets, the grant code, the refresh
 *   tokens and every access token a simulator issued. The simulators mint every token in one shape
 *   (`1000.<32 hex>.<32 hex>`, electron/simulator/http/auth.ts), so a token serve obtained on its
 *   own — the refresh token of the code exchange, each access token, the demo org's — is found by
 *   that shape; the demo client secret by its (42 hex digits).
 * - The CLI: test/integration/cli/secrets.test.ts (a sync at debug level writes none to its output
 *   or the archive).
 * - The desktop app's secret store: test/electron/secrets.test.ts ("round-trips through an
 *   encrypted file, mode 0600, with no plaintext in it", corrupt entries and failed writes logged
 *   without secrets) with the fake safeStorage.
 */

/** Every text value of every table of a SQLite file, one per line (blobs are hashes and index pages). */
function databaseText(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'").all();
    const out: string[] = [];
    for (const { name } of tables) {
      for (const row of db
        .prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
        .raw()
        .iterate() as Iterable<unknown[]>) {
        for (const cell of row) if (typeof cell === 'string') out.push(cell);
      }
    }
    return out.join('\n');
  } finally {
    db.close();
  }
}

const tokenShape = /1000\.[0-9a-f]{32}\.[0-9a-f]{32}/g;
const simulatorSecretShape = /(?<![0-9a-f])[0-9a-f]{42}(?![0-9a-f])/g;

/** The server-sent events of a running serve, awaitable by name. */
function eventStream(origin: string, token: string) {
  const controller = new AbortController();
  const seen: { event: string; data: unknown }[] = [];
  const waiters: { event: string; resolve: (data: unknown) => void; from: number }[] = [];
  const opened = fetch(`${origin}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal }).then(async (response) => {
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const chunk = await reader?.read().catch(() => ({ done: true, value: undefined }));
      if (!chunk || chunk.done || chunk.value === undefined) return;
      buffer += chunk.value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === undefined || data === undefined) continue;
        seen.push({ event, data: JSON.parse(data) as unknown });
        for (const waiter of [...waiters]) {
          const match = seen.slice(waiter.from).find((s) => s.event === waiter.event);
          if (match) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(match.data);
          }
        }
      }
    }
  });
  return {
    opened,
    /** The next `event` after this call. */
    next(event: string): Promise<unknown> {
      return new Promise((resolve) => waiters.push({ event, resolve, from: seen.length }));
    },
    close: () => controller.abort(),
  };
}

describe('secrets never reach a plain file', () => {
  const tempDir = useTempDir('cliq-vault-secrets-');
  const simulator = useSimulators();

  it('serve at debug level: connect (grant code and demo), sync, audit export — no secret or token in any file it wrote, or in its output', async () => {
    // Access tokens that expire every few seconds: refreshed (and so handled) many times.
    const sim = await simulator({ scale: 'tiny', seed: 9, rateLimitsEnabled: false, accessTokenTtlMs: 3_000 });
    const dir = tempDir();
    const env = isolatedHome(dir);
    for (const folder of Object.values(env)) mkdirSync(folder ?? '', { recursive: true });
    // No --config-dir or --data-dir: settings and archives go where they would for a user (XDG, under dir).
    const child = spawnCli(['serve', '--json', '--log-level', 'debug'], env);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await firstLine(child);
    stdout += `${line}\n`;
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const { origin, url } = JSON.parse(line) as { origin: string; url: string };
    const bearer = new URL(url).searchParams.get('token') ?? '';
    const post = async (name: string, body: unknown) => {
      const response = await fetch(`${origin}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
      const reply = (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
      return reply.value as Record<string, unknown>;
    };
    const events = eventStream(origin, bearer);

    try {
      // The simulator is not rate-limited; the client's pacing is lifted to match.
      await post('settings:update', { quotas: familyNames.map((family) => `${family}=100000`) });
      const grantCode = sim.issueGrantCode();
      const connected = await post('connect:save', {
        profile: { name: 'Acme', dataCentre: 'custom', apiBase: sim.apiBase, accountsBase: sim.accountsBase, clientId: sim.admin.clientId },
        clientSecret: sim.admin.clientSecret,
        grantCode,
      });
      expect(connected.admin).toMatchObject({ ok: true });

      let done = events.next('sync:done');
      await post('sync:start', {});
      expect(await done).toMatchObject({ report: { status: 'complete' } });
      const audited = events.next('audit:done');
      await post('audit:export', { scope: {} });
      expect(await audited).toMatchObject({ result: { files: expect.any(Array) as unknown } });

      expect((await post('connect:demo', {})).admin).toMatchObject({ ok: true });
      done = events.next('sync:done');
      await post('sync:start', {});
      expect(await done).toMatchObject({ report: { status: 'complete' } });
    } finally {
      events.close();
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);

    // What was written: settings, two archives, an audit bundle, whatever else (logs, caches, temp files).
    const files = filesUnder(dir);
    expect(files.some((f) => f.endsWith('config.json'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.sqlite'))).toHaveLength(2);
    expect(files.some((f) => f.endsWith('SHA256SUMS'))).toBe(true);
    // Debug logging was on and talked about the requests and tokens it handled (the scan below reads real output).
    expect(stderr).toMatch(/\[debug\]/);

    const known = [sim.admin.clientSecret, sim.admin.refreshToken];
    for (const secret of known) expect(secret).toMatch(/^1000\.|^[0-9a-f]{42}$/);
    const leaks: string[] = [];
    for (const [where, text] of [['stdout', stdout], ['stderr', stderr], ...files.map((f) => [f, readFileSync(f).toString('latin1')] as const)] as const) {
      for (const secret of known) if (text.includes(secret)) leaks.push(`${where}: a known secret`);
      for (const match of text.matchAll(tokenShape)) leaks.push(`${where}: token ${match[0].slice(0, 12)}…`);
      // A database's pages cut long hex values (hashes, file ids) where a record overflows and
      // prefix-compress index terms: 42 hex digits between binary bytes there are no secret's
      // shape. Its text values are searched instead (the raw bytes were searched above for every
      // known secret and token).
      const shapeText = where.endsWith('.sqlite') ? databaseText(where) : /\.sqlite-(wal|shm|journal)$/.test(where) ? '' : text;
      for (const match of shapeText.matchAll(simulatorSecretShape)) leaks.push(`${where}: secret-shaped ${match[0].slice(0, 8)}…`);
    }
    expect(leaks).toEqual([]);
  });
});
