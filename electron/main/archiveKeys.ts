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
  return secretFileVault({ ...options, file: 'archive-keys.json', field: 'keyring' });
}

/**
 * The installation's bundle-signing key (issue 15): `signing-key.json` (mode 0600) in userData,
 * whose one field is safeStorage's ciphertext of the Ed25519 key's PKCS#8 PEM.
 */
export function signingKeyVault(options: { dir: string; canKeep: () => boolean }): KeyringVault {
  return secretFileVault({ ...options, file: 'signing-key.json', field: 'signingKey' });
}

/** A version 1 JSON file in `dir` whose `field` holds safeStorage's ciphertext of a text, base64. */
function secretFileVault(options: { dir: string; file: string; field: string; canKeep: () => boolean }): KeyringVault {
  const path = join(options.dir, options.file);
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
      const sealed = record[options.field];
      if (record.version !== 1 || typeof sealed !== 'string') throw new Error(`${path} is not a version 1 key file`);
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'));
      return result;
    },
    async write(text) {
      const sealed = (await safeStorage.encryptStringAsync(text)).toString('base64');
      await mkdir(options.dir, { recursive: true });
      await writeAtomically(path, `${JSON.stringify({ version: 1, [options.field]: sealed }, null, 2)}\n`);
    },
    canKeep: options.canKeep,
  };
}
