import { safeStorage } from 'electron';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type KeyringVault } from '../core/app';
import { writeAtomically } from './secrets';

/**
 * The desktop app's archive keys on disk: `archive-keys.json` (mode 0600) in userData, whose one
 * field is safeStorage's ciphertext (Keychain, DPAPI, libsecret/KWallet) of the keyring's text —
 * which, when the user set a passphrase, is itself sealed under it (core/cipher/keyring.ts). A key
 * is never written in the clear, and never logged.
 */
export function archiveKeyVault(options: { dir: string; canKeep: () => boolean }): KeyringVault {
  const path = join(options.dir, 'archive-keys.json');
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      // Untrusted JSON: only a version 1 file with a string field is used.
      const parsed: unknown = JSON.parse(text);
      const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
      if (record.version !== 1 || typeof record.keyring !== 'string') throw new Error(`${path} is not a version 1 key file`);
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(record.keyring, 'base64'));
      return result;
    },
    async write(text) {
      const keyring = (await safeStorage.encryptStringAsync(text)).toString('base64');
      await mkdir(options.dir, { recursive: true });
      await writeAtomically(path, `${JSON.stringify({ version: 1, keyring }, null, 2)}\n`);
    },
    canKeep: options.canKeep,
  };
}
