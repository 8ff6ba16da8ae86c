import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, openSync } from 'node:fs';
import { VaultError, type ErrorCode } from '../../../shared/errors';
import { throwIfAborted } from '../util/clock';

/**
 * Flushes a file to disk. A snapshot is only trusted (renamed into place, listed, rotated against)
 * once its bytes are durable; a rename alone can reach the disk before the data it names.
 */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Flushes a folder's entries (so a rename survives a power cut). Windows cannot open a folder as
 * a file and makes renames durable itself; some file systems refuse fsync on folders: both are
 * fine to skip, the data itself was already flushed by fsyncFile.
 */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The code of a Node (`ENOSPC`) or SQLite (`SQLITE_FULL`) error, if it has one. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What to tell the user about a file system failure, by its code. */
export function hintFor(code: string | undefined, fallback: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return 'The disk is full (or over quota): free some space and try again. Nothing was left behind.';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return 'Check that the folder exists and that this user may write to it.';
    case 'ENOENT':
    case 'ENOTDIR':
      return 'Check that the folder exists (create it first).';
    case undefined:
    default:
      return fallback;
  }
}

/** Wraps a file system or SQLite failure as a VaultError that says what failed and what to do. */
export function fileFailure(code: ErrorCode, what: string, error: unknown, fallbackHint: string): VaultError {
  if (error instanceof VaultError) return error;
  const cause = errorCodeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new VaultError(code, `${what}: ${detail}${cause && !detail.includes(cause) ? ` (${cause})` : ''}.`, {
    cause: error,
    hint: hintFor(cause, fallbackHint),
  });
}

/** SHA-256 of a file, streamed (snapshots can be gigabytes); cancellable between chunks. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    throwIfAborted(signal);
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
