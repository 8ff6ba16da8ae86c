import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { VaultError } from '../../../shared/errors';
import { fileKey, saltBytes, type ArchiveKey } from './archiveKey';

/**
 * The key this process opens encrypted archives with. One process serves one user's archive: the
 * CLI sets it from CLIQ_VAULT_KEY or --key-file before a command runs, `serve` and the desktop app
 * hand it to their workers in the init message. Plain archives ignore it.
 */
let processKey: ArchiveKey | undefined;

export function useArchiveKey(key: ArchiveKey | undefined): void {
  processKey = key;
}

export function archiveKey(): ArchiveKey | undefined {
  return processKey;
}

const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

/** What the first bytes of a file say it is. */
export type FileKind = 'missing' | 'empty' | 'folder' | 'plain' | 'encrypted' | 'other';

/**
 * Tells a plain SQLite file from an encrypted one (and both from anything else) without SQLite. An
 * SQLCipher file starts with its random salt instead of SQLite's header and is whole pages long
 * (512 bytes at least): anything else without the header — a text file, a short file — is not an
 * archive at all, key or no key. Random bytes of whole pages cannot be told from an encrypted file
 * without its key: those are "encrypted", and a key that does not open them says so.
 */
export function fileKind(path: string): FileKind {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return 'folder';
    size = stat.size;
  } catch {
    return 'missing';
  }
  if (size === 0) return 'empty';
  const head = readHead(path, sqliteHeader.length);
  if (head.equals(sqliteHeader)) return 'plain';
  // A salt is random: 16 printable characters (a text file) are not one (odds ~1e-7).
  const text = head.every((byte) => (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d);
  return size >= 512 && size % 512 === 0 && !text ? 'encrypted' : 'other';
}

function readHead(path: string, length: number): Buffer {
  const head = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, head, 0, length, 0);
    return head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** SQLCipher's salt of an encrypted file: its first 16 bytes, stored in the clear. */
export function fileSalt(path: string): Buffer {
  return readHead(path, saltBytes);
}

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
 * plain files open as before; encrypted ones are keyed first, or refused with a typed error that
 * says how to give the key.
 */
export function openKeyed(file: string, options: KeyedOpenOptions = {}): Database.Database {
  const key = options.key ?? processKey;
  const kind = fileKind(file);
  if (kind === 'encrypted' && key === undefined) throw keyRequired(file);
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? false });
  if (kind !== 'encrypted' || key === undefined) return db;
  try {
    applyKey(db, file, key);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
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
