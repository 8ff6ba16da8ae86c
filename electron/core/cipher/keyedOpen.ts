import Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import { fileKey, type ArchiveKey } from './archiveKey';
import { archiveKeys, fileKind, fileSalt, preferArchiveKey } from './keyState';

/** `x'…'`: a raw key (and, when a new file is made, its salt) as SQLite's key pragmas take it. */
function keyLiteral(key: Buffer, salt?: Buffer): string {
  return `"x'${key.toString('hex')}${salt === undefined ? '' : salt.toString('hex')}'"`;
}

/** Selects SQLCipher 4's format (AES-256-CBC, HMAC-SHA512 per page) on a connection. */
export function selectCipher(db: Database.Database): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
}

/**
 * Keys a connection to an encrypted file and proves the key opens it (SQLCipher accepts any key
 * and fails only at the first read). A wrong key is ARCHIVE_KEY_WRONG; nothing was written.
 */
export function applyKey(db: Database.Database, file: string, key: ArchiveKey): void {
  selectCipher(db);
  db.pragma(`key = ${keyLiteral(fileKey(key, fileSalt(file)))}`);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') throw keyWrong(file, key, error);
    throw error;
  }
}

/**
 * Keys a new (empty) file so SQLite creates it encrypted, with a fresh salt: the salt is written as
 * the file's first 16 bytes, where a passphrase's scrypt finds it next time.
 */
export function keyNewFile(db: Database.Database, key: ArchiveKey, salt: Buffer): void {
  selectCipher(db);
  db.pragma(`key = ${keyLiteral(fileKey(key, salt), salt)}`);
}

/** Re-encrypts an open connection's file (DELETE journal mode) under `key`, or decrypts it (undefined). */
export function rekeyFile(db: Database.Database, key: ArchiveKey | undefined, salt: Buffer): void {
  // A plain connection has SQLite3MultipleCiphers' default cipher (sqleet): choose SQLCipher's first.
  if (key !== undefined) selectCipher(db);
  db.pragma(`rekey = ${key === undefined ? "''" : keyLiteral(fileKey(key, salt), salt)}`);
}

export interface KeyedOpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** The key for this file; the process key when absent. */
  key?: ArchiveKey | undefined;
}

/**
 * `new Database(file)` for any archive-like file (an archive, a snapshot, a restore's temp copy):
 * plain files open as before; encrypted ones are keyed first — with the key given, else with each
 * key of the process in turn — or refused with a typed error that says how to give the key.
 */
export function openKeyed(file: string, options: KeyedOpenOptions = {}): Database.Database {
  const keys = options.key !== undefined ? [options.key] : archiveKeys();
  const kind = fileKind(file);
  const open = () => new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? false });
  if (kind !== 'encrypted') return open();
  const [first] = keys;
  if (first === undefined) throw keyRequired(file);
  let refusal: unknown;
  for (const key of keys) {
    const db = open();
    try {
      applyKey(db, file, key);
      if (options.key === undefined) preferArchiveKey(key);
      return db;
    } catch (error) {
      db.close();
      if (!(error instanceof VaultError && error.code === 'ARCHIVE_KEY_WRONG')) throw error;
      refusal = error;
    }
  }
  // One key: its own refusal names where it came from. Several: none of them opens it.
  if (keys.length === 1) throw refusal;
  throw new VaultError('ARCHIVE_KEY_WRONG', `None of the ${keys.length} keys given opens ${file} (wrong keys, or not an archive). Nothing was changed.`, {
    cause: refusal,
    hint: 'Check CLIQ_VAULT_KEY or the --key-file given.',
    ui: { message: `None of the keys kept here opens ${file}.`, hint: 'Unlock it with its passphrase or key. Nothing was changed.' },
  });
}

/** The archive is encrypted and no key was given. */
export function keyRequired(file: string): VaultError {
  return new VaultError('ARCHIVE_KEY_REQUIRED', `${file} is encrypted (or is not an SQLite file): no key was given to open it. Nothing was changed.`, {
    hint: 'Give its key: set CLIQ_VAULT_KEY to its passphrase, or add --key-file FILE. If it is not an archive, check the path.',
    ui: { message: `${file} is encrypted: unlock it with its key or passphrase.`, hint: 'If it is not an archive, check the path. Nothing was changed.' },
  });
}

/** The key given does not open the file. */
export function keyWrong(file: string, key: ArchiveKey, cause?: unknown): VaultError {
  return new VaultError('ARCHIVE_KEY_WRONG', `The key from ${key.origin} does not open ${file} (a wrong key, or not an archive). Nothing was changed.`, {
    ...(cause === undefined ? {} : { cause }),
    hint: 'Check CLIQ_VAULT_KEY or the --key-file given; a key changed with `cliq-vault rekey` no longer opens older snapshots under the new key.',
    ui: { message: `This key does not open ${file}.`, hint: 'Check the key or passphrase. Nothing was changed.' },
  });
}
