import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { VaultError } from '../../../shared/errors';
import { readPrivateFile } from '../util/privateFile';

/**
 * Where the key of an encrypted archive comes from. The key itself never appears in a message, a
 * log or a command line: these objects carry it, and `origin` says in words where it came from.
 *
 * - `passphrase`: CLIQ_VAULT_KEY (or a passphrase typed in the app), stretched with scrypt.
 * - `raw`: 32 random bytes, from a key file (`--key-file`) or the desktop app's secret store.
 */
export type ArchiveKey = { kind: 'passphrase'; passphrase: string; origin: string } | { kind: 'raw'; key: Buffer; origin: string };

/** Bytes of a raw key (AES-256) and of SQLCipher's per-file salt (the first 16 bytes of the file). */
export const keyBytes = 32;
export const saltBytes = 16;

/**
 * scrypt's cost, fixed for "passphrase scheme 1": N=2^17, r=8, p=1 (OWASP's recommendation for
 * scrypt; ~128 MiB and a few hundred ms once per process and archive). The salt is not stored
 * beside the archive: it is SQLCipher's own per-file salt, the plain first 16 bytes of the
 * encrypted file, so the archive needs no sidecar and keeps working under any name. Changing the
 * cost would be a scheme 2, tried after this one.
 */
const scryptCost = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;

/** The keys passphrases gave, per salt and passphrase (scrypt runs once per pair and process). */
const derived = new Map<string, Buffer>();

/** The 32-byte key SQLCipher gets for a file with this salt. */
export function fileKey(key: ArchiveKey, salt: Buffer): Buffer {
  if (key.kind === 'raw') return key.key;
  // The map is keyed by a hash of the passphrase, never by the passphrase itself.
  const id = `${salt.toString('hex')}:${createHash('sha256').update(key.passphrase).digest('hex')}`;
  const cached = derived.get(id);
  if (cached !== undefined) return cached;
  const stretched = scryptSync(key.passphrase.normalize('NFC'), salt, keyBytes, scryptCost);
  derived.set(id, stretched);
  return stretched;
}

/** Whether two keys are the same key (compared in constant time). */
export function sameKey(a: ArchiveKey, b: ArchiveKey): boolean {
  if (a.kind !== b.kind) return false;
  const x = a.kind === 'raw' ? a.key : Buffer.from(a.passphrase);
  const y = b.kind === 'raw' ? b.key : Buffer.from(b.passphrase);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A fresh salt for a file about to be encrypted. */
export function newSalt(): Buffer {
  return randomBytes(saltBytes);
}

/** The key from CLIQ_VAULT_KEY (a passphrase), or undefined when it is not set. */
export function keyFromEnv(env: NodeJS.ProcessEnv, name = 'CLIQ_VAULT_KEY'): ArchiveKey | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < 8) {
    throw new VaultError('USAGE', `${name} is too short to protect an archive: use a passphrase of at least 8 characters (better: several words).`, {
      hint: 'Or use a key file: `cliq-vault encrypt --new-key-file FILE` creates one.',
      ui: { message: 'The passphrase is too short to protect an archive: use at least 8 characters (better: several words).' },
    });
  }
  return { kind: 'passphrase', passphrase: value, origin: name };
}

/**
 * Reads a key file: exactly 32 bytes, or their 64 hex digits (a trailing newline allowed). A file
 * that the group or others may read is refused, as ssh refuses such a private key: anyone who can
 * read it can read the archive.
 */
export function readKeyFile(path: string): ArchiveKey {
  const content = readPrivateFile(path, { label: 'key file', flag: '--key-file', maxBytes: 200 });
  if (content.length === keyBytes) return { kind: 'raw', key: Buffer.from(content), origin: `the key file ${path}` };
  const text = content.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return { kind: 'raw', key: Buffer.from(text, 'hex'), origin: `the key file ${path}` };
  throw new VaultError('USAGE', `The key file ${path} does not hold a key (32 bytes, or 64 hex digits).`, {
    hint: 'Create one with `cliq-vault encrypt --new-key-file FILE`.',
    ui: { message: `The key file ${path} does not hold a key (32 bytes, or 64 hex digits).` },
  });
}

/** Writes a new random key file (mode 0600; never over an existing file) and returns its key. */
export function createKeyFile(path: string): ArchiveKey {
  const key = randomBytes(keyBytes);
  try {
    writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new VaultError('USAGE', `${path} already exists; a new key file is never written over a file.`, { hint: 'Choose a new path.' });
    throw new VaultError('IO_ERROR', `Could not write the key file ${path}: ${code ?? String(error)}.`, { cause: error });
  }
  return { kind: 'raw', key, origin: `the key file ${path}` };
}

/** The structured-clone form of a key for a worker's init message (never argv, never env). */
export type KeyMessage = { kind: 'passphrase'; passphrase: string; origin: string } | { kind: 'raw'; keyHex: string; origin: string };

export function keyToMessage(key: ArchiveKey): KeyMessage {
  return key.kind === 'raw' ? { kind: 'raw', keyHex: key.key.toString('hex'), origin: key.origin } : key;
}

export function keyFromMessage(message: KeyMessage): ArchiveKey {
  return message.kind === 'raw' ? { kind: 'raw', key: Buffer.from(message.keyHex, 'hex'), origin: message.origin } : message;
}
