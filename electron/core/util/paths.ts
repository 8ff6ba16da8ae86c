import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data folder of the platform (where the desktop app keeps archives too). */
export function appDataDir(app = 'Cliq Vault', env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), app);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app);
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), app);
}

/**
 * The folder Electron calls `userData` for the app (where electron-store keeps `config.json`):
 * %APPDATA%\Cliq Vault, ~/Library/Application Support/Cliq Vault, $XDG_CONFIG_HOME/Cliq Vault.
 * The CLI and `serve` read the app's settings file there.
 */
export function appConfigDir(app = 'Cliq Vault', env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), app);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), app);
}
