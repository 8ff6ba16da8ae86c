import { join } from 'node:path';
import { type AppService, createServicePool, keptSigningKey, openHostKeyring, type SettingsStore } from '../core/app';
import { archiveKeyVault, signingKeyVault } from './archiveKeys';
import { type Logger, appDataDir } from '../core/util';
import { electronHost } from './host';
import { openSecretStore, type ElectronSecretStore } from './secrets';
import { utilityProcessSpawner } from './serviceProcess';
import { electronSettingsStore } from './settings';

export interface ComposedApp {
  settings: SettingsStore;
  secrets: ElectronSecretStore;
  service: AppService;
}

/**
 * The desktop app's composition root: electron-store settings (read here; the workers write the same
 * file through conf), safeStorage secrets (here only: a worker asks for a profile's secrets when it
 * connects to Cliq), the Electron host (dialogs, file manager), and the app service in utility
 * processes started from `workerEntry` (dist/electron/appServiceWorker.mjs).
 */
export async function composeApp(options: { userData: string; workerEntry: string; log: Logger }): Promise<ComposedApp> {
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
  // Archive keys are kept only where the profiles' secrets could be: an OS key store, or weak storage the user allowed.
  const canKeep = () => secrets.kind === 'os' || secrets.kind === 'weak';
  const keys = await openHostKeyring(archiveKeyVault({ dir: userData, canKeep }));
  // The installation's bundle-signing key, made with the first bundle and kept the same way.
  const signingKeys = keptSigningKey(signingKeyVault({ dir: userData, canKeep }), log);
  const host = electronHost({ defaultArchiveDir: join(appDataDir(), 'archives') });
  const service = createServicePool({
    spawn: utilityProcessSpawner(options.workerEntry),
    config: {
      settingsDir: userData,
      archiveOverride: undefined,
      defaultArchiveDir: host.defaultArchiveDir,
      shell: host.shell,
      runsScheduleInApp: host.runsScheduleInApp,
      secretStorage: secrets.kind,
      canReveal: host.reveal !== undefined,
      canPickFolder: host.pickFolder !== undefined,
      canSaveFile: host.saveFile !== undefined,
      canOpenFile: host.openPath !== undefined,
      demo: true,
      logLevel: 'info',
      // Every call brings the keyring's keys as they are then.
      archiveKeys: [],
    },
    secrets,
    keys,
    signingKeys,
    host,
    log,
  });
  service.start();
  return { settings, secrets, service };
}
