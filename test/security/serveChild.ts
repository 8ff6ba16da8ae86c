import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Environment that keeps a child process inside `dir`: its own HOME, XDG folders and TMPDIR, so
 * every file it writes (settings, archives, logs, caches, temp files) is under `dir` and can be
 * scanned afterwards.
 */
export function isolatedHome(dir: string): NodeJS.ProcessEnv {
  return {
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_DATA_HOME: join(dir, 'xdg-data'),
    XDG_STATE_HOME: join(dir, 'xdg-state'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    TMPDIR: join(dir, 'tmp'),
  };
}

/** Every file below `dir` (recursively), as absolute paths. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
