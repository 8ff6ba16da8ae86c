import Database from 'better-sqlite3-multiple-ciphers';
import { rmSync } from 'node:fs';
import { fileKind, openKeyed } from '../cipher';
import { throwIfAborted } from '../util/clock';
import { testPausePoint } from '../util/testPause';

export interface CopyProgress {
  totalPages: number;
  remainingPages: number;
}

export interface OnlineCopyOptions {
  signal?: AbortSignal;
  /** Pages copied per step; cancel is checked between steps (default 2048 pages ≈ 8 MB). */
  pagesPerStep?: number;
  onProgress?: (progress: CopyProgress) => void;
}

/** "Everything left, in this step" for better-sqlite3's backup (it caps the rate at 2^31-1). */
const allPages = 0x7fffffff;

/**
 * Copies the database behind `source` into the new file `dest` with SQLite's online backup API,
 * which is consistent while other connections read and write (WAL).
 *
 * SQLite restarts a backup from the first page when another connection writes between two steps,
 * so a long copy of an archive that a sync commits to every few hundred milliseconds could restart
 * forever. After the first restart the rest is copied in one step: a single step reads one WAL
 * snapshot, which never blocks the writer, and cannot be restarted.
 */
export async function copyOnline(source: Database.Database, dest: string, options: OnlineCopyOptions = {}): Promise<{ restarts: number }> {
  if (fileKind(source.name) === 'encrypted') return copyEncrypted(source, dest, options);
  const pagesPerStep = options.pagesPerStep ?? 2048;
  let previousRemaining = Number.POSITIVE_INFINITY;
  let restarts = 0;
  throwIfAborted(options.signal);
  await source.backup(dest, {
    progress: ({ totalPages, remainingPages }) => {
      // Throwing here makes better-sqlite3 finish the backup and reject; the caller removes dest.
      throwIfAborted(options.signal);
      if (remainingPages > previousRemaining) restarts += 1;
      previousRemaining = remainingPages;
      options.onProgress?.({ totalPages, remainingPages });
      testPausePoint('backup:copy');
      return restarts > 0 ? allPages : pagesPerStep;
    },
  });
  return { restarts };
}

/**
 * The copy of an encrypted archive. SQLite's backup API refuses it (its destination, opened by the
 * driver without a key, would be plain: "incompatible source and target"); `VACUUM INTO` writes the
 * copy under the same key and salt, so a snapshot opens with the archive's key. It reads one WAL
 * snapshot in one step: consistent, never blocking the writer, but without progress between pages
 * (cancel is checked before and after).
 */
function copyEncrypted(source: Database.Database, dest: string, options: OnlineCopyOptions): { restarts: number } {
  throwIfAborted(options.signal);
  testPausePoint('backup:copy');
  source.prepare('VACUUM INTO ?').run(dest);
  throwIfAborted(options.signal);
  return { restarts: 0 };
}

export interface CopyFacts {
  /** `ok`, or what integrity_check reported (first lines), or why it could not run. */
  integrity: string;
  schemaVersion: number;
  archiveId: string | null;
  lastSyncRun: { id: number; status: string; startedAt: number; endedAt: number | null } | null;
  counts: { messages: number; conversations: number } | null;
}

/**
 * Makes a fresh copy self-contained and reads what its manifest records.
 *
 * The copy carries the archive's WAL flag; switching it to `journal_mode=DELETE` means the
 * snapshot is one file that opening read-only never changes (no `-wal`/`-shm` beside it), so its
 * SHA-256 stays valid. Anything opened here is closed before returning.
 */
export function finishCopy(path: string): CopyFacts {
  const db = openKeyed(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    return readFacts(db);
  } finally {
    db.close();
  }
}

/** What a snapshot file holds (read-only: the file is not changed). */
export function inspectSnapshotFile(path: string): CopyFacts {
  const db = openKeyed(path, { readonly: true, fileMustExist: true });
  try {
    return readFacts(db);
  } finally {
    db.close();
  }
}

/** What an open database holds, as a manifest records it. */
export function readFacts(db: Database.Database): CopyFacts {
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;
  return {
    integrity: integrityOf(db),
    schemaVersion,
    archiveId: optional(() => db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'archive.id'").get()?.value ?? null),
    lastSyncRun: optional(() => {
      const row = db.prepare<[], { id: number; status: string; started_at: number; ended_at: number | null }>('SELECT id, status, started_at, ended_at FROM sync_runs ORDER BY id DESC LIMIT 1').get();
      return row ? { id: row.id, status: row.status, startedAt: row.started_at, endedAt: row.ended_at } : null;
    }),
    counts: optional(() => ({
      messages: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()?.n ?? 0,
      conversations: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM chats').get()?.n ?? 0,
    })),
  };
}

/** PRAGMA integrity_check as one string: `ok`, or its first findings. */
export function integrityOf(db: Database.Database): string {
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const findings = rows.map((r) => r.integrity_check);
    if (findings.length === 1 && findings[0] === 'ok') return 'ok';
    return findings.slice(0, 5).join('; ') + (findings.length > 5 ? `; … (${findings.length} findings)` : '');
  } catch (error) {
    return `integrity_check failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Facts a manifest records when the schema has them. A snapshot of an archive written by a newer
 * (or an unknown older) Cliq Vault may lack a table; that leaves the fact out, it does not fail.
 */
function optional<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof Database.SqliteError) return null;
    throw error;
  }
}

/** Removes a database file and whatever SQLite may have put beside it. */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
