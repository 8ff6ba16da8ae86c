import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMainWindow, mainWindowOptions, ourWindows, reveal } from '../../electron/main/window';
import { FakeBrowserWindow, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

beforeEach(() => {
  for (const window of FakeBrowserWindow.instances) if (!window.isDestroyed()) window.close();
  resetFake();
});

describe('main window options', () => {
  const prefs = mainWindowOptions('/opt/cliq-vault/resources/app.asar', { isPackaged: true }).webPreferences ?? {};

  it('isolates the renderer: context isolation, sandbox, no Node anywhere', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses insecure content, <webview> and experiments', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.spellcheck).toBe(false);
  });

  it('loads the bundled preload and no other', () => {
    expect(prefs.preload).toBe('/opt/cliq-vault/resources/app.asar/dist/electron/preload.cjs');
  });

  it('has DevTools only in development', () => {
    expect(prefs.devTools).toBe(false);
    expect(mainWindowOptions('/app', { isPackaged: false }).webPreferences?.devTools).toBe(true);
  });
});

describe('createMainWindow', () => {
  it('loads app://cliq-vault/index.html and shows once ready', () => {
    const window = createMainWindow(() => undefined) as unknown as FakeBrowserWindow;
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(window.options).toEqual(mainWindowOptions('/fake/app', { isPackaged: false }));
    expect(window.loadedUrl).toBe('app://cliq-vault/index.html');
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('tracks its windows until they close', () => {
    const window = createMainWindow(() => undefined) as unknown as FakeBrowserWindow;
    expect(ourWindows()).toEqual([window]);
    window.close();
    expect(ourWindows()).toEqual([]);
  });

  it('reveal restores a minimised window and focuses it', () => {
    const window = createMainWindow(() => undefined) as unknown as FakeBrowserWindow;
    window.minimized = true;
    reveal(window as never);
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focused).toBe(true);
  });
});
