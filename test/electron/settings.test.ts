import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isVaultError, type VaultError } from '../../shared/errors';
import { defaultSettings, type Settings } from '../../shared/settings';
import { confSettingsStore } from '../../electron/core/app/confSettings';
import { electronSettingsStore } from '../../electron/main/settings';
import { fake, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

// electron-store imports the real `electron` from node_modules, which vi.mock does not reach (and
// which cannot load here). Stand in with what it is: conf, with electron-store's options mapped
// the way its constructor maps them, and its sync IPC listener.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  const { fake: electron } = await import('./fakeElectron');
  class ElectronStore extends Conf {
    constructor(options: { name?: string; cwd: string; clearInvalidConfig?: boolean }) {
      electron.ipcMain.on('electron-store-get-data', () => undefined);
      super({ configName: options.name ?? 'config', cwd: options.cwd, clearInvalidConfig: options.clearInvalidConfig ?? false, projectName: 'unused' });
    }
  }
  return { default: ElectronStore };
});

let dir: string;
beforeEach(() => {
  resetFake();
  dir = mkdtempSync(join(tmpdir(), 'cliq-vault-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (error) {
    if (isVaultError(error)) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

const changed = (): Settings => ({ ...defaultSettings(), theme: 'dark', timeZone: 'Europe/Berlin', schedule: { enabled: true, time: '03:15', days: ['mon', 'fri'], keep: 3 } });

describe('electronSettingsStore', () => {
  it('lives in config.json in the folder given (userData)', () => {
    expect(electronSettingsStore(dir).path).toBe(join(dir, 'config.json'));
  });

  it('reads the defaults from an empty folder', () => {
    expect(electronSettingsStore(dir).read()).toEqual(defaultSettings());
  });

  it('writes settings the CLI reads back through conf', () => {
    const store = electronSettingsStore(dir);
    store.write(changed());
    expect(store.read()).toEqual(changed());
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual(changed());
    expect(confSettingsStore({ dir }).read()).toEqual(changed());
  });

  it('refuses to write invalid settings, and writes nothing', () => {
    const store = electronSettingsStore(dir);
    store.write(changed());
    const error = thrown(() => store.write({ ...changed(), schedule: { ...changed().schedule, time: '25:00' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('schedule.time');
    expect(store.read()).toEqual(changed());
  });

  it('answers CONFIG_INVALID, with a hint naming the file, for a file that is not JSON', () => {
    writeFileSync(join(dir, 'config.json'), '{ "theme": "dark", ');
    const error = thrown(() => electronSettingsStore(dir).read());
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.hint).toContain(join(dir, 'config.json'));
  });

  it('answers CONFIG_INVALID for a file the schema refuses, and leaves it as it was', () => {
    const text = JSON.stringify({ theme: 'neon' });
    writeFileSync(join(dir, 'config.json'), text);
    const error = thrown(() => electronSettingsStore(dir).read());
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('theme');
    expect(error.hint).toContain(join(dir, 'config.json'));
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(text);
  });

  it('leaves no IPC listener behind (the IPC surface is the contract only)', () => {
    electronSettingsStore(dir).read();
    expect(fake.ipcMain.eventNames()).toEqual([]);
  });
});
