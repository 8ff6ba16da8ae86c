import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// electron-builder.yml, read and checked by electron-builder's own loader and schema (packaging
// itself needs the Electron download, which this machine cannot make).
const root = join(import.meta.dirname, '..', '..');
let config: Awaited<ReturnType<typeof getConfig>>;

beforeAll(async () => {
  config = await getConfig(root, join(root, 'electron-builder.yml'), null);
});

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app', () => {
    expect(config.appId).toBe('com.cliqvault.app');
    expect(config.productName).toBe('Cliq Vault');
  });

  it('flips every security fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the bundles and the renderer into an asar, native SQLite unpacked, no rebuild', () => {
    expect(config.asar).toBe(true);
    // The loader normalises `files` into file sets; the patterns are what matters.
    const files = JSON.stringify(config.files);
    for (const pattern of ['dist/electron/**', 'dist/renderer/**', 'package.json', '!**/*.map']) expect(files).toContain(JSON.stringify(pattern));
    expect(config.asarUnpack).toEqual(['**/node_modules/better-sqlite3-multiple-ciphers/prebuilds/*.node']);
    expect(config.npmRebuild).toBe(false);
  });

  it('builds AppImage + deb, NSIS and a hardened dmg', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(JSON.stringify(config.win?.target)).toContain('nsis');
    expect(JSON.stringify(config.mac?.target)).toContain('dmg');
    expect(config.mac?.hardenedRuntime).toBe(true);
  });

  it('finds its icons', () => {
    expect(existsSync(join(root, 'build', 'icon.png'))).toBe(true);
    expect(existsSync(join(root, 'build', 'tray', 'tray.png'))).toBe(true);
  });
});
