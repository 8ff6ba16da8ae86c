import { app, dialog, session } from 'electron';
import { join } from 'node:path';
import { defaultSettings, type AppSchedule } from '../../shared/settings';
import { composeApp, type ComposedApp } from './compose';
import { registerIpc } from './ipc';
import { openMainLog } from './log';
import { registerAppScheme, serveAppScheme } from './protocol';
import { startScheduler, type Scheduler } from './scheduler';
import { hardenSession, installSecurityHandlers } from './security';
import { createTray, type AppTray } from './tray';
import { createMainWindow, ourWindows, reveal } from './window';

/**
 * The Electron main process: lifecycle only. What each piece does lives in its module; this file
 * decides when: before ready (sandbox, scheme, guards, single instance), at ready (protocol,
 * composition, IPC, schedule, tray, window) and at quit (stop the schedule, close the service,
 * flush secrets, then really quit).
 */

const productName = 'Cliq Vault';

app.enableSandbox();
// One userData folder whatever the launch (`electron .` would name it after package.json's
// "cliq-vault"): `<appData>/Cliq Vault`, where settings, secrets and logs live.
app.setPath('userData', join(app.getPath('appData'), productName));
if (process.platform === 'win32') app.setAppUserModelId('com.cliqvault.app');

const mainLog = openMainLog(app.getPath('logs'), { echo: !app.isPackaged });
const { log } = mainLog;
registerAppScheme();
installSecurityHandlers(log);

let composed: ComposedApp | null = null;
let scheduler: Scheduler | null = null;
let tray: AppTray | null = null;
let unregisterIpc: (() => void) | null = null;
let shutdown: Promise<void> | null = null;
let closed = false;

function showWindow(): void {
  const [window] = ourWindows();
  if (window) reveal(window);
  else if (composed) createMainWindow((error) => log.error('The window failed to load', { error: String(error) }));
}

function currentSchedule(): AppSchedule {
  try {
    return composed?.settings.read().schedule ?? defaultSettings().schedule;
  } catch (error) {
    log.warn('Settings unreadable; the in-app schedule stays off until they are fixed', { error: String(error) });
    return defaultSettings().schedule;
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  serveAppScheme(join(app.getAppPath(), 'dist', 'renderer'), log);
  hardenSession(session.defaultSession, log);
  composed = await composeApp({ userData: app.getPath('userData'), workerEntry: join(app.getAppPath(), 'dist', 'electron', 'appServiceWorker.mjs'), log });
  const { service } = composed;
  unregisterIpc = registerIpc({ service, windows: ourWindows, log });
  scheduler = startScheduler({ service, schedule: currentSchedule(), log });
  tray = createTray({
    service,
    iconDir: app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'build', 'tray'),
    platform: process.platform,
    showWindow,
    quit: () => app.quit(),
    log,
  });
  showWindow();
  log.info('Cliq Vault started', { version: app.getVersion(), packaged: app.isPackaged });
}

async function stop(): Promise<void> {
  scheduler?.stop();
  unregisterIpc?.();
  tray?.destroy();
  try {
    await composed?.service.close();
    await composed?.secrets.flush();
  } catch (error) {
    log.error('Shutting down did not finish cleanly', { error: String(error) });
  }
  log.info('Cliq Vault stopped');
  await mainLog.close();
}

if (!app.requestSingleInstanceLock()) {
  // Another Cliq Vault is running: it shows its window (second-instance), this one leaves.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  // macOS: clicking the Dock icon with no window open.
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    // While the in-app schedule is on, the app stays in the tray so the nightly job still runs.
    if (!currentSchedule().enabled && process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (closed) return;
    // Jobs are cancelled and the archive closed before Electron is allowed to exit.
    event.preventDefault();
    shutdown ??= stop().finally(() => {
      closed = true;
      app.quit();
    });
  });
  start().catch((error: unknown) => {
    log.error('Cliq Vault could not start', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    dialog.showErrorBox('Cliq Vault could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
