import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError, toVaultError } from '../../../shared/errors';
import { archiveFailure } from './connection';
import { testPausePoint } from '../util/testPause';

/**
 * Group commit: while a sync runs, its many small atomic units (a page of messages with its
 * checkpoint, a conversation's members…) share one SQLite transaction, each unit a savepoint in
 * it, and the group commits every `maxMs`.
 *
 * Why: a sync writes conversation after conversation, and each conversation's messages land all
 * over the time-ordered messages table and its indexes. Committed one by one, every unit rewrote
 * the same index and table pages into the WAL again: 2.1 GB written to ingest a 100 MB archive of
 * 100k messages (docs/performance.md). Committed in groups, each dirty page is written once per
 * group.
 *
 * What it costs: a crash (or power cut) loses at most the last `maxMs` of units — each whole,
 * never half, since every unit is still atomic (a savepoint with its checkpoint) — and the next
 * sync fetches them again. Nothing committed earlier is touched. Other processes keep reading the
 * last committed state and can be kept waiting for the write lock for up to `maxMs`.
 */
export class GroupCommit {
  private timer: NodeJS.Timeout | undefined;
  private failure: VaultError | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly maxMs: number,
    /** Work that belongs to the whole group, done in its transaction just before it commits. */
    private readonly beforeCommit: () => void = () => undefined,
  ) {}

  /** Before a unit: opens the group's transaction unless one is open. */
  enter(): void {
    if (this.failure) throw this.failure;
    if (this.db.inTransaction) return;
    this.db.exec('BEGIN IMMEDIATE');
    // The timer fires between units only: a unit is synchronous from savepoint to release.
    this.timer = setTimeout(() => this.commitFromTimer(), this.maxMs);
    this.timer.unref();
  }

  /** Commits the open group now (the end of a sync, or before something must be durable). */
  commit(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.failure) throw this.failure;
    if (!this.db.inTransaction) return;
    try {
      this.beforeCommit();
      testPausePoint('archive:group-commit');
      this.db.exec('COMMIT');
      testPausePoint('archive:committed');
    } catch (error) {
      throw this.fail(error);
    }
  }

  private commitFromTimer(): void {
    try {
      this.commit();
    } catch {
      // Kept in `failure`: the next unit, or the end of the sync, reports it.
    }
  }

  private fail(error: unknown): VaultError {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    const cause = archiveFailure(error) ?? toVaultError(error);
    return (this.failure = new VaultError('IO_ERROR', `Could not commit the last ${this.maxMs} ms of the sync to the archive: ${cause.message}`, {
      cause: error,
      hint: 'Free some space (or fix the archive folder), then sync again: nothing committed earlier was changed, and the sync fetches what was lost.',
    }));
  }
}
