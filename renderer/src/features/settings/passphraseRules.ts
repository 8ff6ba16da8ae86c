/** The core refuses shorter passphrases (core/cipher/archiveKey: the same count, in UTF-16 units). */
export const minPassphraseLength = 8;

/**
 * What is wrong with a new passphrase typed twice, and in which of the two fields; null when it can
 * be sent. Checked before any call, so a typo never becomes the archive's key.
 */
export function passphraseProblem(passphrase: string, confirmation: string): { field: 'passphrase' | 'confirmation'; text: string } | null {
  if (passphrase === '') return { field: 'passphrase', text: 'Type a passphrase.' };
  if (passphrase.length < minPassphraseLength) return { field: 'passphrase', text: `Use at least ${minPassphraseLength} characters (better: several words).` };
  if (confirmation !== passphrase) return { field: 'confirmation', text: 'The two passphrases differ: type the same passphrase in both fields.' };
  return null;
}
