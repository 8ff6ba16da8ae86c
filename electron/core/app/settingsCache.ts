import { statSync } from 'node:fs';
import type { Settings } from '../../../shared/settings';
import type { SettingsStore } from './ports';

/**
 * The settings store read through a cache that holds while the file is unchanged (its mtime and
 * size): nearly every operation consults the settings (the active org, the time zone), a search
 * does at every keystroke, and the file changes rarely. Checking the stamp rather than caching
 * outright keeps a change made by another process (the desktop app beside `serve`) visible.
 */
export function cachedSettings(store: SettingsStore): SettingsStore {
  let cached: { stamp: string; value: Settings } | null = null;
  const stamp = (): string => {
    try {
      const stat = statSync(store.path);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return 'missing';
    }
  };
  return {
    path: store.path,
    read() {
      const now = stamp();
      if (cached?.stamp === now) return cached.value;
      const value = store.read();
      cached = { stamp: now, value };
      return value;
    },
    write(next) {
      cached = null;
      store.write(next);
    },
  };
}
