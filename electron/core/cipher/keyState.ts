import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { saltBytes, type ArchiveKey } from './archiveKey';

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
