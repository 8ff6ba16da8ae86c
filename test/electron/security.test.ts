import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../electron/core/util/log';
import { externalHosts, guardWebContents, installSecurityHandlers, isAllowedExternal } from '../../electron/main/security';
import { fake, fakeEvent, FakeSession, FakeWebContents, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

beforeEach(() => resetFake());

function guarded(): FakeWebContents {
  const contents = new FakeWebContents();
  guardWebContents(contents as never, silentLogger);
  return contents;
}

/** Emits `name` with a fresh event (and `args`), returning whether the handler prevented it. */
function prevented(contents: FakeWebContents, name: string, ...args: unknown[]): boolean {
  const event = fakeEvent(name === 'will-frame-navigate' ? { url: String(args[0]) } : {});
  contents.emit(name, event, ...args);
  return event.defaultPrevented;
}

describe('isAllowedExternal', () => {
  it.each([
    'https://accounts.zoho.com/developerconsole',
    'https://accounts.zoho.eu/',
    'https://accounts.zoho.in/oauth/v2/auth?x=1',
    'https://accounts.zoho.com.au/',
    'https://accounts.zoho.com.cn/',
    'https://accounts.zoho.jp/',
    'https://cliq.zoho.com/',
    'https://cliq.zoho.com.au/company/1',
    'https://www.zoho.com/cliq/help/restapi/v2/',
    'https://ACCOUNTS.ZOHO.COM/upper-case-host',
  ])('allows %s', (url) => {
    expect(isAllowedExternal(url)).toBe(true);
  });

  it.each([
    'http://accounts.zoho.com/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'app://cliq-vault/index.html',
    'https://accounts.zoho.com.evil.com/',
    'https://evil.com/accounts.zoho.com',
    'https://accounts.zoho.com@evil.com/',
    'https://user:pass@accounts.zoho.com/',
    'https://accounts.zoho.com:8443/',
    'https://accounts.zoho.com./',
    'https://zoho.com/',
    'https://accounts-zoho.com/',
    'https://accounts.zoho.co/',
    '//accounts.zoho.com/',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedExternal(url)).toBe(false);
  });

  it('knows all six data centres', () => {
    expect(externalHosts.size).toBe(13);
  });
});

describe('navigation', () => {
  it('stays on app://cliq-vault', () => {
    const contents = guarded();
    expect(prevented(contents, 'will-navigate', 'app://cliq-vault/index.html#/search')).toBe(false);
    expect(prevented(contents, 'will-redirect', 'app://cliq-vault/other.html')).toBe(false);
    expect(prevented(contents, 'will-frame-navigate', 'app://cliq-vault/index.html')).toBe(false);
  });

  it('refuses any other origin, and opens only allowlisted ones in the browser', () => {
    const contents = guarded();
    expect(prevented(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(prevented(contents, 'will-navigate', 'app://other-host/index.html')).toBe(true);
    expect(prevented(contents, 'will-navigate', 'https://www.zoho.com/cliq/help/')).toBe(true);
    expect(fake.shell.opened).toEqual(['https://www.zoho.com/cliq/help/']);
    expect(prevented(contents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented(contents, 'will-frame-navigate', 'https://evil.example/')).toBe(true);
  });

  it('refuses <webview>', () => {
    expect(prevented(guarded(), 'will-attach-webview', {}, {})).toBe(true);
  });
});

describe('new windows', () => {
  it('are always denied; allowlisted https links go to the browser', () => {
    const contents = guarded();
    const open = (url: string) => contents.windowOpenHandler?.({ url });
    expect(open('https://accounts.zoho.eu/developerconsole')).toEqual({ action: 'deny' });
    for (const url of ['http://accounts.zoho.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'https://accounts.zoho.com.evil.com/', 'app://cliq-vault/index.html']) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(fake.shell.opened).toEqual(['https://accounts.zoho.eu/developerconsole']);
  });

  it("open a message's http, https or mailto link only once the user confirms, the address shown whole", async () => {
    const contents = guarded();
    const open = (url: string) => contents.windowOpenHandler?.({ url });
    fake.dialog.nextMessageBox = 1; // Cancel
    expect(open('https://docs.example.org/d/1a2b')).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(fake.dialog.asked).toHaveLength(1));
    expect(fake.dialog.asked[0]?.options).toMatchObject({ buttons: ['Open in browser', 'Cancel'], cancelId: 1, defaultId: 1 });
    expect(String(fake.dialog.asked[0]?.options.detail)).toContain('https://docs.example.org/d/1a2b');
    expect(fake.shell.opened).toEqual([]);

    fake.dialog.nextMessageBox = 0; // Open in browser
    open('mailto:dana@example.org');
    await vi.waitFor(() => expect(fake.shell.opened).toEqual(['mailto:dana@example.org']));

    // Never even offered: scripts, files, other schemes, and addresses hiding credentials.
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>1</script>', 'https://bank.example@evil.example/', 'zohoid:123']) open(url);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.dialog.asked).toHaveLength(2);
    expect(fake.shell.opened).toEqual(['mailto:dana@example.org']);
  });
});

describe('permissions', () => {
  it('denies every request and check in the contents’ session', () => {
    const session = new FakeSession();
    guardWebContents(new FakeWebContents(session) as never, silentLogger);
    const granted: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'hid']) {
      session.permissionRequestHandler?.({}, permission, (ok) => granted.push(ok), {});
      expect(session.permissionCheckHandler?.({}, permission, 'app://cliq-vault', {})).toBe(false);
    }
    expect(granted).toEqual([false, false, false, false, false, false]);
  });
});

describe('installSecurityHandlers', () => {
  it('guards every web contents the app creates', () => {
    installSecurityHandlers(silentLogger);
    const contents = new FakeWebContents();
    fake.app.emit('web-contents-created', fakeEvent(), contents);
    expect(contents.windowOpenHandler).not.toBeNull();
    expect(prevented(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.session.defaultSession.permissionRequestHandler).not.toBeNull();
  });
});
