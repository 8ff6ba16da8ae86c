import type { ArchiveEncryption } from '../../../../shared/views';

/**
 * What the unlock prompt asks for, in the words of the shell it runs in. The desktop keeps random
 * keys in the OS secret store, perhaps behind a passphrase; `serve` holds only the key it was
 * started with and passphrases typed here, so there a passphrase is the archive's key itself.
 */
export function unlockWords(encryption: ArchiveEncryption): { lead: string; keyring?: string } {
  if (encryption.state !== 'locked') {
    // The archive opens (or is plain), but the kept keys wait for their passphrase: new keys need them.
    return { lead: 'The keys Cliq Vault keeps on this computer are locked by a passphrase. Type it to encrypt the archive or change its keys.' };
  }
  if (encryption.store === 'memory') {
    return { lead: 'This archive is encrypted, and this server holds no key that opens it. Type the archive’s passphrase.' };
  }
  const lead = encryption.keyringLocked
    ? 'This archive is encrypted. Type the passphrase that protects the keys Cliq Vault keeps on this computer, or the archive’s own passphrase.'
    : 'This archive is encrypted, and none of the keys Cliq Vault keeps on this computer opens it. Type the archive’s own passphrase, or the passphrase that protects the kept keys.';
  if (!encryption.keyringUnreadable) return { lead };
  return {
    lead,
    keyring:
      'The operating system’s keyring could not be read, so the keys Cliq Vault keeps there are not available: unlock the keyring and restart Cliq Vault. Nothing kept there was changed, and the archive’s own passphrase still works now.',
  };
}
