import { VaultError } from '../../shared/errors';
import { createKeyFile, keyFromEnv, readKeyFile, type ArchiveKey } from '../core/cipher';
import { existsSync } from 'node:fs';

/**
 * The key of an encrypted archive, as the CLI takes it: `--key-file F` or CLIQ_VAULT_KEY (a
 * passphrase). Never a flag value: a command line is visible to every user of the machine.
 */
export function cliArchiveKey(keyFile: string | undefined, env: NodeJS.ProcessEnv): ArchiveKey | undefined {
  const fromEnv = keyFromEnv(env);
  if (keyFile !== undefined && fromEnv !== undefined) {
    throw new VaultError('USAGE', 'Both --key-file and CLIQ_VAULT_KEY are set: give the key one way.', { hint: 'Unset CLIQ_VAULT_KEY, or drop --key-file.' });
  }
  return keyFile !== undefined ? readKeyFile(keyFile) : fromEnv;
}

/**
 * The new key of `encrypt` and `rekey`: --new-key-file F (read when F exists, else created with a
 * random key, mode 600) or CLIQ_VAULT_KEY_NEW (a passphrase). `fallback` is the current key flag
 * (encrypt: the key given the usual way is the one to encrypt with).
 */
export function cliNewKey(newKeyFile: string | undefined, env: NodeJS.ProcessEnv, fallback?: ArchiveKey): ArchiveKey | undefined {
  const fromEnv = keyFromEnv(env, 'CLIQ_VAULT_KEY_NEW');
  if (newKeyFile !== undefined && fromEnv !== undefined) {
    throw new VaultError('USAGE', 'Both --new-key-file and CLIQ_VAULT_KEY_NEW are set: give the new key one way.');
  }
  if (newKeyFile !== undefined) return existsSync(newKeyFile) ? readKeyFile(newKeyFile) : createKeyFile(newKeyFile);
  return fromEnv ?? fallback;
}
