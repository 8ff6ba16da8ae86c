import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppService } from '../../../electron/core/app/appService';
import { openHostKeyring, sessionKeyring, type KeyringVault } from '../../../electron/core/app/archiveKeyring';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import { createAppService } from '../../../electron/core/app/createAppService';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import type { ArchiveKeyStore } from '../../../electron/core/app/ports';
import type { AppInfo } from '../../../shared/views';
import { useTempDir } from '../../helpers/tempDir';

const keptPassphrase = 'the kept keys phrase';

/** A desktop keyring vault in memory: what archive-keys.json would hold, as text. */
function memoryVault(): KeyringVault {
  let text: string | undefined;
  return {
    read: () => Promise.resolve(text),
    write: (next) => {
      text = next;
      return Promise.resolve();
    },
    canKeep: () => true,
  };
}

/**
 * The desktop's kept keys, sealed with a passphrase, stay locked while the open archive is plain:
 * nothing asks for them, yet encrypting that archive needs them. cipher:unlock takes their
 * passphrase then too (and only theirs: there is no archive for another one to open).
 */
describe('cipher:unlock with a plain archive open', () => {
  const tempDir = useTempDir('cliq-vault-unlock-kept-');
  const services: AppService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()));
  });

  function serviceFor(dir: string, keys: ArchiveKeyStore): AppService {
    const archive = join(dir, 'plain.sqlite');
    const db = new Database(archive);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const service = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'config') }),
      secrets: memorySecretStore(),
      keys,
      archiveOverride: archive,
      host: { shell: 'electron', defaultArchiveDir: dir, runsScheduleInApp: false, startDemo: () => Promise.reject(new Error('no demo here')) },
    });
    services.push(service);
    return service;
  }

  it('unlocks the kept keys with their passphrase, and refuses any other', async () => {
    const dir = tempDir();
    const vault = memoryVault();
    await (await openHostKeyring(vault)).create({ passphrase: keptPassphrase });
    const service = serviceFor(dir, await openHostKeyring(vault));

    const before = await service.dispatch('app:info', {});
    expect(before.ok && (before.value as AppInfo).archiveEncryption).toMatchObject({ state: 'plain', store: 'os', passphrase: true, keyringLocked: true, keysHeld: 0 });

    const wrong = await service.dispatch('cipher:unlock', { passphrase: 'not the kept one' });
    expect(wrong.ok ? null : wrong.error.code).toBe('ARCHIVE_KEY_WRONG');

    const right = await service.dispatch('cipher:unlock', { passphrase: keptPassphrase });
    expect(right.ok && right.value).toMatchObject({ state: 'plain', passphrase: true, keyringLocked: false, keysHeld: 1 });
  });

  it('still refuses when no kept keys wait for a passphrase (serve, or none set)', async () => {
    const service = serviceFor(tempDir(), sessionKeyring());
    const refused = await service.dispatch('cipher:unlock', { passphrase: keptPassphrase });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'USAGE', message: 'This archive is not encrypted: there is nothing to unlock.' });
  });
});
