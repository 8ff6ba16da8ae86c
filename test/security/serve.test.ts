import { request as httpRequest } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStatic } from '../../../electron/server/staticFiles';
import { startBridge, type RunningBridge } from '../../../electron/server/bridge';
import { useTempDir } from '../../helpers/tempDir';
import { useTestApps } from '../../helpers/appService';
import { afterEach } from 'vitest';

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
});

describe('resolveStatic', () => {
  it('resolves only files inside the root', () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'electron', 'server');
    expect(resolveStatic(root, '/bridge.ts')).toBe(join(root, 'bridge.ts'));
    for (const path of ['/../cli/main.ts', '/..%2fcli%2fmain.ts', '/%2e%2e/cli/main.ts', '\\..\\cli', '/bridge.ts%00', '/%E0%A4%A', '/']) {
      expect(resolveStatic(root, path), path).toBeNull();
    }
  });
});
