import fc from 'fast-check';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { operationNames } from '../../shared/contract';
import { resolveStatic } from '../../electron/server/staticFiles';
import { startBridge, type RunningBridge } from '../../electron/server/bridge';
import { firstLine, spawnCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tempDir';
import { useTestApps } from '../helpers/appService';
import { filesUnder, isolatedHome } from './serveChild';

// The security suite of `cliq-vault serve` (moved here from test/integration/server/bridge.test.ts):
// who may talk to it (loopback, token, Host, Origin), what it never sends (CORS headers, cookies
// without the token, files outside the UI) and what it never writes down (the token).

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests control every header (fetch would not let us set Host). */
function call(bridge: RunningBridge, path: string, options: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      { host: options.host ?? '127.0.0.1', port: bridge.port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${bridge.port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('serve: the HTTP bridge', () => {
  const tempDir = useTempDir('cliq-vault-bridge-');
  const testApp = useTestApps();
  const bridges: RunningBridge[] = [];
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((b) => b.close()));
  });

  async function start() {
    const dir = tempDir();
    const staticDir = join(dir, 'ui');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Cliq Vault</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(dir, 'secret.txt'), 'outside the UI folder');
    const app = testApp(dir);
    const bridge = await startBridge({ service: app.service, staticDir });
    bridges.push(bridge);
    const json = { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` };
    return { app, bridge, json };
  }

  it('listens on 127.0.0.1 only, with a long random token in the URL it prints', async () => {
    const { bridge } = await start();
    expect(bridge.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const other = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (other) await expect(call(bridge, '/', { host: other.address })).rejects.toThrow(/ECONNREFUSED/);
    const { bridge: second } = await start();
    expect(second.token).not.toBe(bridge.token);
  });

  it('answers 401 without the token or with a wrong one, for pages, operations and events', async () => {
    const { bridge } = await start();
    for (const path of ['/', '/index.html', '/assets/app.js', '/api/events']) expect((await call(bridge, path)).status, path).toBe(401);
    const op = await call(bridge, '/api/settings:get', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(op.status).toBe(401);
    expect(JSON.parse(op.body)).toMatchObject({ ok: false, error: { code: 'AUTH_MISSING_CREDENTIALS' } });
    expect((await call(bridge, '/?token=wrong')).status).toBe(401);
    expect((await call(bridge, '/', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await call(bridge, '/', { headers: { cookie: `cliq_vault_${bridge.port}=wrong` } })).status).toBe(401);
    // The token is not accepted in an operation's query string (it would end up in logs and history).
    expect((await call(bridge, `/api/settings:get?token=${bridge.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
  });

  it('trades the token in the link for an HttpOnly SameSite=Strict cookie and cleans the URL', async () => {
    const { bridge } = await start();
    const first = await call(bridge, `/?token=${bridge.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0] ?? '';
    const page = await call(bridge, '/', { headers: { cookie: pair } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Cliq Vault</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const op = await call(bridge, '/api/settings:get', { method: 'POST', headers: { cookie: pair, 'content-type': 'application/json' }, body: '{}' });
    expect(JSON.parse(op.body)).toMatchObject({ ok: true, value: { profiles: [] } });
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    const { bridge, json } = await start();
    for (const host of [`evil.example:${bridge.port}`, '127.0.0.1', `127.0.0.1:${bridge.port + 1}`, `127.0.0.1.evil.example:${bridge.port}`]) {
      const reply = await call(bridge, '/api/settings:get', { method: 'POST', headers: { ...json, Host: host }, body: '{}' });
      expect(reply.status, host).toBe(421);
    }
    expect((await call(bridge, '/api/settings:get', { method: 'POST', headers: { ...json, Host: `localhost:${bridge.port}` }, body: '{}' })).status).toBe(200);
    const foreign = await call(bridge, '/api/settings:get', { method: 'POST', headers: { ...json, origin: 'http://evil.example' }, body: '{}' });
    expect(foreign.status).toBe(403);
    expect((await call(bridge, '/api/settings:get', { method: 'POST', headers: { ...json, origin: bridge.origin }, body: '{}' })).status).toBe(200);
    const preflight = await call(bridge, '/api/settings:get', { method: 'OPTIONS', headers: { ...json, origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('takes operations only as JSON POSTs, refuses bad bodies, and never serves files outside the UI', async () => {
    const { bridge, json } = await start();
    expect((await call(bridge, '/api/settings:get', { method: 'POST', headers: { ...json, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await call(bridge, '/api/settings:get', { headers: json })).status).toBe(405);
    const bad = await call(bridge, '/api/settings:update', { method: 'POST', headers: json, body: '{"theme":' });
    expect(bad.status).toBe(400);
    const huge = await call(bridge, '/api/settings:update', { method: 'POST', headers: json, body: `{"x":"${'a'.repeat(1_100_000)}"}` });
    expect(huge.status).toBe(413);
    const refused = await call(bridge, '/api/settings:update', { method: 'POST', headers: json, body: '{"theme":"purple"}' });
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00index.html', '/nope.js']) {
      expect((await call(bridge, path, { headers: json })).status, path).toBe(404);
    }
    expect((await call(bridge, '/assets/app.js', { headers: json })).headers['content-type']).toContain('text/javascript');
  });

  it('streams events to an authorised listener as server-sent events', async () => {
    const { bridge, json } = await start();
    const received = new Promise<string>((resolvePromise, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: { Host: `127.0.0.1:${bridge.port}`, authorization: json.authorization } }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('event: settings:changed')) {
            resolvePromise(text);
            req.destroy();
          }
        });
        res.once('data', () => {
          // Subscribed: now cause an event.
          call(bridge, '/api/settings:update', { method: 'POST', headers: json, body: '{"theme":"dark"}' }).catch(reject);
        });
      });
      req.on('error', reject);
      req.end();
    });
    const text = await received;
    expect(text.startsWith(': connected')).toBe(true);
    const data = /event: settings:changed\ndata: (.*)\n/.exec(text)?.[1];
    expect(JSON.parse(data ?? 'null')).toMatchObject({ theme: 'dark' });
  });

  it('sends no CORS header on any response, and a cookie only in exchange for the right token', async () => {
    const { bridge, json } = await start();
    const bodyless = { 'content-type': 'application/json' };
    const wrong = 'x'.repeat(bridge.token.length);
    const refused: [string, Parameters<typeof call>[2]][] = [
      ['/', {}],
      [`/?token=${wrong}`, {}],
      [`/?token=${bridge.token.slice(0, -1)}`, {}],
      [`/?token=${bridge.token}x`, {}],
      ['/', { headers: { authorization: `Bearer ${wrong}` } }],
      ['/', { headers: { authorization: bridge.token } }],
      ['/', { headers: { cookie: `cliq_vault_${bridge.port}=${wrong}` } }],
      ['/', { headers: { cookie: `cliq_vault_${bridge.port + 1}=${bridge.token}` } }],
      [`/api/settings:get?token=${bridge.token}`, { method: 'POST', headers: bodyless, body: '{}' }],
      [`/?token=${bridge.token}`, { method: 'POST', headers: bodyless, body: '{}' }],
      [`/?token=${bridge.token}`, { headers: { Host: `evil.example:${bridge.port}` } }],
      [`/?token=${bridge.token}`, { headers: { origin: 'http://evil.example' } }],
      [`/?token=${bridge.token}`, { headers: { origin: 'null' } }],
      ['/api/settings:get', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } }],
      ['/api/events', {}],
    ];
    for (const [path, options] of refused) {
      const reply = await call(bridge, path, options);
      const what = `${options?.method ?? 'GET'} ${path} ${JSON.stringify(options?.headers ?? {})}`;
      expect([401, 403, 421], what).toContain(reply.status);
      expect(reply.headers['set-cookie'], what).toBeUndefined();
      expect(
        Object.keys(reply.headers).filter((h) => h.startsWith('access-control-')),
        what,
      ).toEqual([]);
    }
    // Authorised answers of every kind: still no CORS header, and no cookie (only the link sets one).
    const authorised: [string, Parameters<typeof call>[2]][] = [
      ['/', { headers: json }],
      ['/assets/app.js', { headers: json }],
      ['/nope.js', { headers: json }],
      ['/', { method: 'POST', headers: json, body: '{}' }],
      ['/api/settings:get', { method: 'POST', headers: json, body: '{}' }],
      ['/api/settings:get', { headers: json }],
      ['/api/settings:get', { method: 'POST', headers: { ...json, 'content-type': 'text/plain' }, body: '{}' }],
      ['/api/settings:get', { method: 'POST', headers: json, body: '{' }],
      ['/api/no:such', { method: 'POST', headers: json, body: '{}' }],
      ['/api/settings:get', { method: 'OPTIONS', headers: { ...json, origin: bridge.origin, 'access-control-request-method': 'POST' } }],
    ];
    for (const [path, options] of authorised) {
      const reply = await call(bridge, path, options);
      const what = `${options?.method ?? 'GET'} ${path}`;
      expect(reply.status, what).toBeLessThan(500);
      expect(reply.headers['set-cookie'], what).toBeUndefined();
      expect(
        Object.keys(reply.headers).filter((h) => h.startsWith('access-control-')),
        what,
      ).toEqual([]);
    }
    const traded = await call(bridge, `/?token=${bridge.token}`);
    expect(traded.headers['set-cookie']).toBeDefined();
    expect(Object.keys(traded.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('answers any body to any operation with a JSON refusal or answer, never a server error (property, 500 requests)', async () => {
    const { bridge, json } = await start();
    const names = fc.oneof(fc.constantFrom(...operationNames), fc.string({ maxLength: 20 }).map(encodeURIComponent));
    const bodies = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('', ' ', 'null', '[]', '{"__proto__":{"x":1}}', '{"a":1', '\u0000', '{}'.repeat(1000)),
    );
    await fc.assert(
      fc.asyncProperty(names, bodies, async (name, body) => {
        const reply = await call(bridge, `/api/${name}`, { method: 'POST', headers: json, body });
        expect([200, 400, 404], `${name} ${body.slice(0, 80)}`).toContain(reply.status);
        expect(JSON.parse(reply.body), `${name} ${body.slice(0, 80)}`).toHaveProperty('ok');
      }),
      { numRuns: 500, seed: 6_2026 },
    );
  });

  it('answers a malformed operation path with a clear refusal, never a server error', async () => {
    const { bridge, json } = await start();
    for (const name of ['%E0%A4%A', '%', 'settings%3Aget%00', '..%2F..%2Fsettings:get', '__proto__', 'constructor', 'toString', '']) {
      const reply = await call(bridge, `/api/${name}`, { method: 'POST', headers: json, body: '{}' });
      expect(reply.status, name).toBeLessThan(500);
      const body = JSON.parse(reply.body) as { ok: boolean; error?: { code: string; message: string } };
      expect(body, name).toMatchObject({ ok: false, error: { code: 'USAGE' } });
      expect(body.error?.message, name).toBeTruthy();
    }
  });
});

describe('cliq-vault serve, the real command in a child process', () => {
  const tempDir = useTempDir('cliq-vault-serve-sec-');

  /** LISTEN sockets on `port` in /proc/net/tcp{,6}: their local addresses, as the kernel shows them. */
  function listeners(port: number): { tcp: string[]; tcp6: string[] } {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const read = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
        .map((f) => f[1]?.split(':')[0] ?? '');
    return { tcp: read('/proc/net/tcp'), tcp6: read('/proc/net/tcp6') };
  }

  it('binds 127.0.0.1 only, and its token appears in no log line and no file, at debug level', async () => {
    const dir = tempDir();
    const env = isolatedHome(dir);
    for (const folder of Object.values(env)) mkdirSync(folder ?? '', { recursive: true });
    const child = spawnCli(['serve', '--json', '--log-level', 'debug', '--config-dir', join(dir, 'config'), '--data-dir', join(dir, 'data')], env);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const { url, origin, port } = JSON.parse(await firstLine(child)) as { url: string; origin: string; port: number };
    const token = new URL(url).searchParams.get('token') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The kernel's view: one listening socket on the port, on 127.0.0.1 (0100007F), none on IPv6.
    if (process.platform === 'linux') expect(listeners(port)).toEqual({ tcp: ['0100007F'], tcp6: [] });
    const other = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (other) await expect(fetch(`http://${other.address}:${port}/`)).rejects.toThrow();

    const post = (name: string, body: unknown, bearer = token) =>
      fetch(`${origin}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${origin}/?token=${token}x`, { redirect: 'manual' })).status).toBe(401);
    expect((await post('settings:get', {}, `${token}x`)).status).toBe(401);
    expect((await post('settings:get', {})).status).toBe(200);
    expect(((await (await post('archive:transcript', { chatId: 'nope' })).json()) as { ok: boolean }).ok).toBe(false);
    expect(((await (await post('connect:check', {})).json()) as { ok: boolean }).ok).toBe(false);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    // The service logged its refusals at debug/info level: the scan below reads real log output.
    expect(stderr).toMatch(/refused/);
    expect(stderr).not.toContain(token);
    for (const file of filesUnder(dir)) expect(readFileSync(file).toString('latin1'), file).not.toContain(token);
  });
});

describe('resolveStatic', () => {
  it('resolves only files inside the root', () => {
    const root = join(import.meta.dirname, '..', '..', 'electron', 'server');
    expect(resolveStatic(root, '/bridge.ts')).toBe(join(root, 'bridge.ts'));
    for (const path of ['/../cli/main.ts', '/..%2fcli%2fmain.ts', '/%2e%2e/cli/main.ts', '\\..\\cli', '/bridge.ts%00', '/%E0%A4%A', '/']) {
      expect(resolveStatic(root, path), path).toBeNull();
    }
  });
});
