import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data folder of the platform (where the desktop app keeps archives too). */
export function appDataDir(app = 'Cliq Vault', env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), app);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app);
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), app);
}
