import { setTimeout as sleep } from 'node:timers/promises';
import { openArchiveDb } from './connection';

/**
 * Waits, yielding to the event loop, until no one holds the archive's write lock, for at most
 * `timeoutMs`. A sync in this same process holds the lock between its group commits and commits
 * from a timer on this event loop (archive/groupCommit.ts): SQLite's own busy wait, synchronous,
 * would stop that timer and so wait out its whole busy_timeout for a lock it keeps held. Call it
 * right before a short synchronous write (nothing in between can take the lock back in this
 * process; another process commits within a second and the write's own busy_timeout covers it).
 */
export async function waitForWriteLock(path: string, timeoutMs = 10_000, pollMs = 20): Promise<void> {
  const db = openArchiveDb(path, { create: false, readonly: false });
  try {
    db.pragma('busy_timeout = 0');
    // Counted in polls, not read from a clock: this only bounds how long to keep yielding.
    for (let waited = 0; ; waited += pollMs) {
      try {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
        return;
      } catch (error) {
        const busy = (error as { code?: unknown }).code === 'SQLITE_BUSY';
        if (!busy || waited >= timeoutMs) return; // the write itself reports what is wrong
      }
      await sleep(pollMs);
    }
  } finally {
    db.close();
  }
}
