import { join } from 'node:path';
import type { AppService } from '../core/app/appService';
import { createAppService } from '../core/app/createAppService';
import type { SettingsStore } from '../core/app/ports';
import type { Logger } from '../core/util/log';
import { appDataDir } from '../core/util/paths';
import { electronHost } from './host';
import { openSecretStore, type ElectronSecretStore } from './secrets';
import { electronSettingsStore } from './settings';

export interface ComposedApp {
  settings: SettingsStore;
  secrets: ElectronSecretStore;
  service: AppService;
}

/** The desktop app's composition root: electron-store settings, safeStorage secrets, the Electron host. */
export async function composeApp(options: { userData: string; log: Logger }): Promise<ComposedApp> {
  const { userData, log } = options;
  const settings = electronSettingsStore(userData);
  const allowWeak = () => {
    try {
      return settings.read().allowWeakSecretStorage;
    } catch (error) {
      // A damaged settings file: the app shows CONFIG_INVALID; meanwhile, no weak storage.
      log.warn('Settings unreadable; weak secret storage stays off', { error: String(error) });
      return false;
    }
  };
  const secrets = await openSecretStore({ dir: userData, allowWeak, log });
  const service = createAppService({ settings, secrets, host: electronHost({ defaultArchiveDir: join(appDataDir(), 'archives') }), log });
  return { settings, secrets, service };
}
