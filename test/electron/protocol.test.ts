import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../electron/core/util/log';
import { contentSecurityPolicy, createAppProtocolHandler, mimeTypeOf, registerAppScheme, resolveRendererFile, serveAppScheme } from '../../electron/main/protocol';
import { fake, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

beforeEach(() => resetFake());

const root = '/srv/app/dist/renderer';

describe('resolveRendererFile', () => {
  it.each([
    ['app://cliq-vault/', 'index.html'],
    ['app://cliq-vault/index.html', 'index.html'],
    ['app://cliq-vault/assets/index-Bx1.js', 'assets/index-Bx1.js'],
    ['app://cliq-vault/assets/a%20b.css', 'assets/a b.css'],
    ['app://cliq-vault/index.html?x=1#/search', 'index.html'],
  ])('%s → %s', (url, file) => {
    expect(resolveRendererFile(root, url)).toBe(join(root, file));
  });

  it.each([
    'app://cliq-vault/../../etc/passwd',
    'app://cliq-vault/%2e%2e/%2e%2e/etc/passwd',
    'app://cliq-vault/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    'app://cliq-vault/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://cliq-vault/assets/%2e/x.js',
    'app://cliq-vault/%2Fetc%2Fpasswd',
    'app://cliq-vault//etc/passwd',
    'app://cliq-vault/assets%5C..%5C..%5Csecret',
    'app://cliq-vault/..\\..\\secret',
    'app://cliq-vault/C:/Windows/win.ini',
    'app://cliq-vault/C%3A%5CWindows%5Cwin.ini',
    'app://cliq-vault/index.html%00.png',
    'app://cliq-vault/assets/',
    'app://cliq-vault/%E0%A4%A',
    'app://other-host/index.html',
    'app://user@cliq-vault/index.html',
    'app://cliq-vault:8080/index.html',
    'file:///srv/app/dist/renderer/index.html',
    'https://cliq-vault/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveRendererFile(root, url)).toBeNull();
  });
});

describe('mime types', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.CSS', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.woff2', 'font/woff2'],
    ['a.unknown', 'application/octet-stream'],
  ])('%s is %s', (file, type) => {
    expect(mimeTypeOf(file)).toBe(type);
  });
});

describe('the app: handler', () => {
  let dir: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cliq-vault-protocol-'));
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Cliq Vault</title>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'not for the renderer');
    handler = createAppProtocolHandler(join(dir, 'renderer'), silentLogger);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a file with its type and the CSP', async () => {
    const response = await handler(new Request('app://cliq-vault/index.html'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Cliq Vault</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await handler(new Request('app://cliq-vault/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('has a strict CSP: nothing inline, nothing remote, no framing', () => {
    const directives = new Map(contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(contentSecurityPolicy).not.toContain('unsafe');
  });

  it('answers 404 (with the CSP) for a missing file, a folder and a path outside the renderer', async () => {
    for (const url of ['app://cliq-vault/missing.js', 'app://cliq-vault/assets', 'app://cliq-vault/..%2fsecret.txt', 'app://cliq-vault/%2e%2e/secret.txt']) {
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await handler(new Request('app://cliq-vault/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handler(new Request('app://cliq-vault/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });
});

describe('registration', () => {
  it('declares app: standard, secure and fetch-capable, and serves it', () => {
    registerAppScheme();
    expect(fake.protocol.privileged).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    serveAppScheme('/srv/renderer', silentLogger);
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
  });
});
