import { FuseV1Options } from '@electron/fuses';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventNames, operationNames, type Result } from '../../shared/contract';
import { contentSecurityPolicy } from '../../electron/main/protocol';
import { fake, fakeEvent, FakeBrowserWindow, FakeFrame, FakeWebContents, type FakeEvent } from '../electron/fakeElectron';

/**
 * Electron's security checklist ("Security", docs/tutorial/security.md, "Checklist: Security
 * recommendations", items 1–20), walked item by item against the real main process: index.ts runs
 * its whole startup against the fake electron module, and each item is checked on what it built —
 * the window it opened, the handlers on that window's contents, the session, the app: protocol it
 * registered, the IPC handlers, the preload it exposes — and on electron-builder.yml for the fuses.
 * Items that cannot apply say why. Details are tested per module in test/electron/; this file is
 * the one place that answers "which checklist item, and where is it enforced".
 */

vi.mock('electron', async () => (await import('../electron/fakeElectron')).electronModule);

// electron-store imports the real electron: conf in its place (as in test/electron/index.test.ts).
vi.mock('electron-store', async () => (await import('../electron/fakeElectron')).electronStoreAsConf());

// The shell is under test, not the service: a recording stand-in, so item 17 can show that an
// untrusted sender never reaches it.
const service = vi.hoisted(() => ({
  calls: [] as string[],
  dispatch(name: string): Promise<Result<unknown>> {
    this.calls.push(name);
    return Promise.resolve(name === 'schedule:status' ? { ok: true, value: { enabled: false, nextRun: null, lastRun: null, runsInApp: true } } : { ok: true, value: null });
  },
  on: () => () => undefined,
  runScheduledJob: () => Promise.reject(new Error('not in this test')),
  close: () => Promise.resolve(),
  releaseArchive: () => undefined,
  start: () => undefined,
}));
vi.mock('../../electron/core/app/host/servicePool', () => ({ createServicePool: () => service }));

const root = join(import.meta.dirname, '..', '..');
let dir: string;
let window: FakeBrowserWindow;
let prefs: Record<string, unknown>;
let vault: Record<string, unknown>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cliq-vault-checklist-'));
  fake.app.setPath('appData', join(dir, 'appData'));
  fake.app.setPath('logs', join(dir, 'logs'));
  fake.app.appPath = join(dir, 'app');
  mkdirSync(join(dir, 'app', 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'app', 'dist', 'renderer', 'index.html'), '<!doctype html><title>Cliq Vault</title><script type="module" src="./app.js"></script>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  // As packaged (DevTools off, tray icons beside app.asar in process.resourcesPath).
  fake.app.isPackaged = true;
  Object.assign(process, { resourcesPath: join(dir, 'resources') });
  await import('../../electron/main/index');
  await vi.waitFor(() => expect([FakeBrowserWindow.instances.length, fake.dialog.errors]).toEqual([1, []]));
  const [first] = FakeBrowserWindow.instances;
  if (!first) throw new Error('no window');
  window = first;
  prefs = (window.options.webPreferences ?? {}) as Record<string, unknown>;
  // The preload, as the window loads it (by path: test/tsconfig.json does not include the preload layer).
  const entry: string = new URL('../../electron/preload/index.ts', import.meta.url).pathname;
  await import(entry);
  vault = fake.contextBridge.exposed.get('vault') as Record<string, unknown>;
});
afterAll(() => {
  Reflect.deleteProperty(process, 'resourcesPath');
  rmSync(dir, { recursive: true, force: true });
});

/** Emits a web-contents event on our window and says whether the app prevented it. */
function prevented(name: string, url: string, ...rest: unknown[]): boolean {
  const event: FakeEvent = fakeEvent(name === 'will-frame-navigate' ? { url } : {});
  window.webContents.emit(name, event, url, ...rest);
  return event.defaultPrevented;
}

/** A response of the app: protocol handler index.ts registered. */
function appProtocol(url: string): Promise<Response> {
  const handler = fake.protocol.handlers.get('app');
  if (!handler) throw new Error('app: is not served');
  return Promise.resolve(handler(new Request(url)));
}

/** Calls the registered IPC handler of `channel` as Electron would for `sender`/`frame`. */
async function invoke(channel: string, sender: FakeWebContents, frame: FakeFrame | null): Promise<Result<unknown>> {
  const handler = fake.ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler({ sender, senderFrame: frame }, {})) as Result<unknown>;
}

const cspDirectives = () => new Map(contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0] ?? '', d.split(' ').slice(1).join(' ')]));

describe("Electron's security checklist, item by item", () => {
  it('1. Only load secure content: the UI comes from our own app: scheme (bundled files), and the CSP allows nothing remote', async () => {
    expect(window.loadedUrl).toBe('app://cliq-vault/index.html');
    expect(fake.protocol.privileged.flat()).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const page = await appProtocol('app://cliq-vault/index.html');
    expect(page.status).toBe(200);
    // No source in the policy names a network scheme or host: every fetch, script, style and image is 'self' (or a data: image).
    for (const [directive, sources] of cspDirectives()) {
      expect(sources, directive).not.toMatch(/https?:|wss?:|\*|ftp:/);
    }
  });

  it('2. Do not enable Node.js integration for remote content: off in the window, its workers and sub-frames', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('3. Enable context isolation', () => {
    expect(prefs.contextIsolation).toBe(true);
  });

  it('4. Enable process sandboxing: in the window, and app-wide before ready', () => {
    expect(prefs.sandbox).toBe(true);
    expect(fake.app.sandboxEnabled).toBe(true);
  });

  it('5. Handle session permission requests: every request and check is denied, in the session of our window', () => {
    const session = window.webContents.session;
    const granted: boolean[] = [];
    const permissions = [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'clipboard-sanitized-write',
      'display-capture',
      'hid',
      'serial',
      'usb',
      'idle-detection',
      'window-management',
      'fileSystem',
      'storage-access',
      'unknown',
    ];
    for (const permission of permissions) {
      session.permissionRequestHandler?.(window.webContents, permission, (ok) => granted.push(ok), { requestingUrl: 'app://cliq-vault/index.html' });
      expect(session.permissionCheckHandler?.(window.webContents, permission, 'app://cliq-vault', {}), permission).toBe(false);
    }
    expect(granted).toEqual(permissions.map(() => false));
    expect(fake.session.defaultSession.permissionRequestHandler).not.toBeNull();
  });

  it('6. Do not disable webSecurity', () => {
    expect(prefs.webSecurity).toBe(true);
  });

  it("7. Define a Content-Security-Policy with restrictive rules: on every app: response, script-src 'self', nothing unsafe", async () => {
    const directives = cspDirectives();
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src') ?? directives.get('default-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-|strict-dynamic|blob:/);
    // Every response carries it as a header (a <meta> tag could not hold frame-ancestors), 404s and refusals included.
    for (const url of ['app://cliq-vault/index.html', 'app://cliq-vault/missing.js', 'app://cliq-vault/..%2f..%2fsecret.txt']) {
      const response = await appProtocol(url);
      expect(response.headers.get('content-security-policy'), url).toBe(contentSecurityPolicy);
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
    }
  });

  it('8. Do not enable allowRunningInsecureContent', () => {
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('9. Do not enable experimental features', () => {
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('10. Do not use enableBlinkFeatures', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(JSON.stringify(window.options)).not.toMatch(/blinkFeatures/i);
  });

  it('11. <webview>: do not use allowpopups — not applicable: the app has no <webview> (the tag is disabled, and any attach is refused)', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(prevented('will-attach-webview', '', { allowpopups: true }, { src: 'https://evil.example/' })).toBe(true);
  });

  it('12. <webview>: verify options and params before creation — every attach is prevented, whatever its options', () => {
    for (const [webPreferences, params] of [
      [{ nodeIntegration: true, preload: '/tmp/evil.js' }, { src: 'https://evil.example/' }],
      [{}, { src: 'app://cliq-vault/index.html' }],
    ]) {
      const event = fakeEvent();
      window.webContents.emit('will-attach-webview', event, webPreferences, params);
      expect(event.defaultPrevented).toBe(true);
    }
  });

  it('13. Disable or limit navigation: only app://cliq-vault, for navigations, redirects and sub-frames', () => {
    expect(prevented('will-navigate', 'app://cliq-vault/index.html#/search')).toBe(false);
    expect(prevented('will-redirect', 'app://cliq-vault/index.html')).toBe(false);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://cliq-vault:1/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
    ]) {
      expect(prevented('will-navigate', url), url).toBe(true);
      expect(prevented('will-redirect', url), url).toBe(true);
      expect(prevented('will-frame-navigate', url), url).toBe(true);
    }
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('14. Disable or limit creation of new windows: window.open and target=_blank are always denied', () => {
    const open = window.webContents.windowOpenHandler;
    expect(open).not.toBeNull();
    for (const url of ['app://cliq-vault/index.html', 'https://accounts.zoho.com/', 'https://evil.example/', 'about:blank', '']) {
      expect(open?.({ url }), url).toEqual({ action: 'deny' });
    }
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });

  it('15. Do not use shell.openExternal with untrusted content: only https Zoho hosts of the allowlist reach it', () => {
    const opened = fake.shell.opened.length;
    const refused = [
      'http://accounts.zoho.com/',
      'https://accounts.zoho.com.evil.com/',
      'https://accounts.zoho.com@evil.com/',
      'https://accounts.zoho.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://evil/share',
      'ms-msdt:/id',
      'https://evil.example/',
    ];
    for (const url of refused) {
      window.webContents.windowOpenHandler?.({ url });
      prevented('will-navigate', url);
    }
    expect(fake.shell.opened.slice(opened)).toEqual([]);
    window.webContents.windowOpenHandler?.({ url: 'https://accounts.zoho.eu/developerconsole' });
    expect(fake.shell.opened.slice(opened)).toEqual(['https://accounts.zoho.eu/developerconsole']);
  });

  it('16. Use a current version of Electron: pinned exactly, and the installed one is that pin (currency itself is a release-time check)', () => {
    // Whether 45 is still supported cannot be known offline; what a test can hold is that the
    // version is deliberate (an exact pin, no range) and that what is installed is what was pinned.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const pinned = pkg.devDependencies.electron ?? '';
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
    expect(installed).toBe(pinned);
    expect(Number(pinned.split('.')[0])).toBeGreaterThanOrEqual(45);
  });

  it('17. Validate the sender of all IPC messages: every operation refuses a sender that is not the top frame of our window on app://cliq-vault', async () => {
    const ours = window.webContents;
    const untrusted: [string, FakeWebContents, FakeFrame | null][] = [
      ['another origin', ours, Object.assign(new FakeFrame('https://evil.example/'), { routingId: ours.mainFrame.routingId })],
      ['a sub-frame of our page', ours, new FakeFrame('app://cliq-vault/index.html', ours.mainFrame)],
      ['a frame that is not our main frame', ours, new FakeFrame('app://cliq-vault/index.html')],
      ['no frame', ours, null],
      ['web contents that are not our window', new FakeWebContents(), ours.mainFrame],
    ];
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...operationNames].sort());
    const before = service.calls.length;
    for (const name of operationNames) {
      for (const [what, sender, frame] of untrusted) {
        expect(await invoke(name, sender, frame), `${name} from ${what}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
    expect(service.calls.length).toBe(before);
    // The trusted sender does get through (so the refusals above are the check, not a broken handler).
    expect(await invoke('app:info', ours, ours.mainFrame)).toEqual({ ok: true, value: null });
    expect(service.calls.slice(before)).toEqual(['app:info']);
  });

  it('18. Avoid the file:// protocol, prefer custom protocols: the UI is app://, file:// pages get no IPC and no navigation, and the file: fuse grants nothing extra', async () => {
    expect(window.loadedUrl?.startsWith('app://')).toBe(true);
    expect(prevented('will-navigate', 'file:///home/user/evil.html')).toBe(true);
    const ours = window.webContents;
    const fileFrame = Object.assign(new FakeFrame('file:///home/user/evil.html'), { routingId: ours.mainFrame.routingId });
    expect(await invoke('settings:get', ours, fileFrame)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The app: handler serves files under dist/renderer only.
    expect((await appProtocol('app://cliq-vault/..%2f..%2fsecret.txt')).status).toBe(404);
    expect((await appProtocol('app://cliq-vault/%2e%2e/%2e%2e/secret.txt')).status).toBe(404);
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    expect(config.electronFuses?.grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('19. Check which fuses you can change: every fuse the installed @electron/fuses knows is set to its safe value in the packaged build', async () => {
    // Safe values, by the fuse's name in @electron/fuses. A fuse added by an Electron upgrade is
    // missing here and fails the test until someone decides its value.
    const safe: Record<string, boolean> = {
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    };
    // Not applicable: it only picks which V8 snapshot file the browser process loads; the app ships no custom snapshot.
    const notApplicable = ['LoadBrowserProcessSpecificV8Snapshot'];
    const known = Object.keys(FuseV1Options).filter((name) => Number.isNaN(Number(name)));
    expect(known.filter((name) => !notApplicable.includes(name)).sort()).toEqual(Object.keys(safe).sort());
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    const configured = (config.electronFuses ?? {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(safe)) expect(configured[name.charAt(0).toLowerCase() + name.slice(1)], name).toBe(value);
    expect(config.asar).toBe(true);
    // DevTools are off in a packaged app too.
    expect(prefs.devTools).toBe(false);
  });

  it('20. Do not expose Electron APIs to untrusted web content: one object, one function per operation, no ipcRenderer, no generic send', () => {
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['vault']);
    expect(Object.keys(vault).sort()).toEqual([...operationNames, 'on'].sort());
    for (const [name, value] of Object.entries(vault)) expect(typeof value, name).toBe('function');
    expect(vault).not.toHaveProperty('send');
    expect(vault).not.toHaveProperty('invoke');
    expect(vault).not.toHaveProperty('ipcRenderer');
    // Calling an operation sends exactly its own channel; a listener gets the payload, never the IpcRendererEvent.
    const invocations = fake.ipcRenderer.invocations.length;
    void (vault['archive:search'] as (request: unknown, extra: unknown) => Promise<unknown>)({ text: 'x' }, 'ignored');
    expect(fake.ipcRenderer.invocations.slice(invocations)).toEqual([{ channel: 'archive:search', args: [{ text: 'x' }] }]);
    const on = vault.on as (event: string, listener: (...args: unknown[]) => void) => () => void;
    expect(() => on('ipc-internal', () => undefined)).toThrow();
    const received: unknown[][] = [];
    const off = on(eventNames[0] ?? 'sync:progress', (...args) => received.push(args));
    fake.ipcRenderer.emit(eventNames[0] ?? 'sync:progress', { sender: fake.ipcRenderer }, { n: 1 });
    off();
    expect(received).toEqual([[{ n: 1 }]]);
  });
});
