import { app, BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { join } from 'node:path';
import { appEntryUrl } from './origin';

/** The sandboxed preload, bundled by scripts/build.mjs next to main.mjs. */
export function preloadPath(appPath: string): string {
  return join(appPath, 'dist', 'electron', 'preload.cjs');
}

/**
 * The main window's options. Every web preference that matters for security is spelled out, even
 * where it is Electron's default, so a future default change (or a careless edit) shows in review
 * and in test/electron/window.test.ts.
 */
export function mainWindowOptions(appPath: string, options: { isPackaged: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    title: 'Cliq Vault',
    show: false,
    backgroundColor: '#111318',
    webPreferences: {
      preload: preloadPath(appPath),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !options.isPackaged,
    },
  };
}

const windows = new Set<BrowserWindow>();

/** The windows this app made: the only ones IPC answers and events go to. */
export function ourWindows(): BrowserWindow[] {
  return [...windows].filter((window) => !window.isDestroyed());
}

/** Opens the main window on app://cliq-vault/index.html; shown once its first paint is ready. */
export function createMainWindow(onLoadFailed: (error: unknown) => void): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(app.getAppPath(), { isPackaged: app.isPackaged }));
  windows.add(window);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => windows.delete(window));
  window.loadURL(appEntryUrl).catch(onLoadFailed);
  return window;
}

/** Brings a window to the front (a second launch, the tray's Open). */
export function reveal(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
