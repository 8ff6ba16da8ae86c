import { describe, expect, it } from 'vitest';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import type { SettingsStore } from '../../../electron/core/app/ports';
import { cachedSettings } from '../../../electron/core/app/settingsCache';
import { defaultSettings } from '../../../shared/settings';
import { useTempDir } from '../../helpers/tempDir';

/** A store that counts how often the file is really read. */
function counting(store: SettingsStore): SettingsStore & { reads: number } {
  const counted = { path: store.path, reads: 0, read: () => (counted.reads++, store.read()), write: (next: Parameters<SettingsStore['write']>[0]) => store.write(next) };
  return counted;
}

describe('cachedSettings', () => {
  const tempDir = useTempDir();

  it('reads the file once while it is unchanged, and again after its own write', () => {
    const dir = tempDir();
    const store = counting(confSettingsStore({ dir }));
    const cached = cachedSettings(store);
    cached.write({ ...defaultSettings(), theme: 'dark' });
    for (let i = 0; i < 100; i++) expect(cached.read().theme).toBe('dark');
    expect(store.reads).toBe(1);
    cached.write({ ...defaultSettings(), theme: 'light' });
    expect(cached.read().theme).toBe('light');
    expect(store.reads).toBe(2);
  });

  it('sees a change another process made to the file', () => {
    const dir = tempDir();
    const cached = cachedSettings(confSettingsStore({ dir }));
    expect(cached.read().timeZone).toBe('UTC');
    // Another process (another store on the same file) changes it: size and mtime move.
    confSettingsStore({ dir }).write({ ...defaultSettings(), timeZone: 'Europe/Berlin' });
    expect(cached.read().timeZone).toBe('Europe/Berlin');
  });
});
