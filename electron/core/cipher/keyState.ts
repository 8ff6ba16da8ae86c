import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { sameKey, saltBytes, type ArchiveKey } from './archiveKey';

/**
 * The keys this process opens encrypted archives with. One process serves one user's archives:
 * the CLI sets one from CLIQ_VAULT_KEY or --key-file before a command runs; `serve` and the
 * desktop app hand their workers every key they hold with each call (the desktop keeps earlier
 * keys after a key change, so snapshots made before it still open). The first is the one that
 * last opened an archive here: it is tried first, and it is the key new files get.
 */
let processKeys: ArchiveKey[] = [];

/** Sets the single key (or none) of this process: the CLI's way. */
export function useArchiveKey(key: ArchiveKey | undefined): void {
  processKeys = key === undefined ? [] : [key];
}

/**
 * Sets every key this process may try, newest first. The key that last opened an archive stays
 * first while it is still among them, so a list handed over again with each call costs no retries.
 */
export function useArchiveKeys(keys: readonly ArchiveKey[]): void {
  const preferred = processKeys[0];
  const next = [...keys];
  const at = preferred === undefined ? -1 : next.findIndex((key) => sameKey(key, preferred));
  if (at > 0) next.unshift(...next.splice(at, 1));
  processKeys = next;
}

/** The key new encrypted files get, and the one tried first. */
export function archiveKey(): ArchiveKey | undefined {
  return processKeys[0];
}

/** Every key this process may try, the preferred first. */
export function archiveKeys(): readonly ArchiveKey[] {
  return processKeys;
}

/** Remembers that `key` opened an archive: it is tried first from now on. */
export function preferArchiveKey(key: ArchiveKey): void {
  const at = processKeys.findIndex((candidate) => sameKey(candidate, key));
  if (at > 0) processKeys = [key, ...processKeys.slice(0, at), ...processKeys.slice(at + 1)];
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
