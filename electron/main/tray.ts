import { Menu, nativeImage, Notification, Tray } from 'electron';
import { join } from 'node:path';
import type { EventPayloads, OperationName } from '../../shared/contract';
import { screenWords } from '../../shared/errors';
import type { BackupDone, ScheduleStatus } from '../../shared/views';
import { type AppService } from '../core/app';
import { type Logger } from '../core/util';

/**
 * The tray icon: open the window, sync or back up now, quit; its tooltip tells when the nightly
 * job last ran. It stays while the window is closed, which is what lets the in-app schedule run.
 * Actions go through `service.dispatch`, like the renderer's.
 */

/** The tray image's file: a macOS template image (the menu bar colours it), a coloured one elsewhere. */
export function trayIconPath(iconDir: string, platform: NodeJS.Platform): string {
  return join(iconDir, platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}

export function trayTooltip(status: Pick<ScheduleStatus, 'lastRun'> | null, formatTime: (epochMs: number) => string = (ms) => new Date(ms).toLocaleString()): string {
  const last = status?.lastRun;
  if (!last) return 'Cliq Vault';
  return `Cliq Vault — last scheduled run ${formatTime(last.at)}: ${last.ok ? 'OK' : 'failed'} (${last.message})`;
}

export interface TrayOptions {
  service: Pick<AppService, 'dispatch' | 'on'>;
  /** Folder of tray.png / trayTemplate.png (and their @2x). */
  iconDir: string;
  platform: NodeJS.Platform;
  showWindow: () => void;
  quit: () => void;
  log: Logger;
}

export interface AppTray {
  destroy(): void;
}

export function createTray(options: TrayOptions): AppTray {
  const { service, log } = options;
  const image = nativeImage.createFromPath(trayIconPath(options.iconDir, options.platform));
  if (options.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);

  const tell = (title: string, body: string) => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  };
  const run = (name: OperationName, request: object, what: string, done: (value: unknown) => string) => {
    service
      .dispatch(name, request)
      .then((result) => {
        if (result.ok) tell('Cliq Vault', done(result.value));
        else {
          log.warn(`Tray: ${what} refused`, { code: result.error.code, message: result.error.message });
          // A notification is a screen: the app's words, not the CLI's.
          const words = screenWords(result.error);
          tell(`Cliq Vault: ${what} failed`, words.hint !== undefined ? `${words.message} ${words.hint}` : words.message);
        }
      })
      .catch((error: unknown) => log.error(`Tray: ${what} failed`, { error: String(error) }));
  };

  tray.setToolTip(trayTooltip(null));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Cliq Vault', click: options.showWindow },
      { type: 'separator' },
      { label: 'Sync now', click: () => run('sync:start', { full: false }, 'Sync', () => 'Sync started.') },
      { label: 'Back up now', click: () => run('backup:create', {}, 'Backup', (value) => `Snapshot saved: ${(value as BackupDone).path}`) },
      { type: 'separator' },
      { label: 'Quit Cliq Vault', click: options.quit },
    ]),
  );
  // Windows and most Linux trays: a click opens the window (macOS opens the menu).
  tray.on('click', options.showWindow);

  void service.dispatch('schedule:status', {}).then((result) => {
    if (result.ok) tray.setToolTip(trayTooltip(result.value as ScheduleStatus));
  });
  const unsubscribe = service.on((event, payload) => {
    if (event === 'schedule:ran') tray.setToolTip(trayTooltip(payload as EventPayloads['schedule:ran']));
  });

  return {
    destroy() {
      unsubscribe();
      tray.destroy();
    },
  };
}
