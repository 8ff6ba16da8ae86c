import { describeIssue } from '../../shared/validation';
import { ipcMain } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import { VaultError } from '../../shared/errors';
import { settingsSchema } from '../../shared/settings';
import { parseSettings, type SettingsStore } from '../core/app';

/**
 * The settings file, `config.json` in the app's userData folder, through electron-store. The CLI
 * and `serve` open the same file through conf (electron/core/app/confSettings.ts) and the same
 * schema; neither trusts the file: it is parsed on every read, and what is written is parsed first.
 */
export function electronSettingsStore(dir: string): SettingsStore {
  const path = join(dir, 'config.json');
  let store: Store | undefined;

  const unreadable = (error: unknown) =>
    new VaultError('CONFIG_INVALID', `The settings file ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: `Fix or delete ${path} (deleting it starts from the default settings; archives are not affected).`,
    });

  // Opened on first use, not at construction: electron-store reads the file in its constructor,
  // and a damaged file should be a CONFIG_INVALID the app can show, not a crash at start-up.
  const open = (): Store => {
    if (store) return store;
    try {
      store = new Store({ name: 'config', cwd: dir, clearInvalidConfig: false });
    } catch (error) {
      throw unreadable(error);
    }
    // electron-store listens on a sync IPC channel for renderer-side stores; we have none, and the
    // IPC surface stays exactly the contract (ipc.ts).
    ipcMain.removeAllListeners('electron-store-get-data');
    return store;
  };

  return {
    path,
    read() {
      const opened = open();
      let raw: unknown;
      try {
        raw = opened.store;
      } catch (error) {
        throw unreadable(error);
      }
      return parseSettings(raw, path);
    },
    write(next) {
      const parsed = settingsSchema.safeParse(next);
      if (!parsed.success) {
        throw new VaultError('CONFIG_INVALID', `Refused to save settings that are not valid: ${describeIssue(parsed.error, { subject: 'settings' })}.`, {
          hint: `Nothing was written to ${path}.`,
        });
      }
      open().store = parsed.data;
    },
  };
}
