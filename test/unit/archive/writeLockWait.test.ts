import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { waitForWriteLock } from '../../../electron/core/archive/writeLockWait';
import { useTempDir } from '../../helpers/tempDir';

describe('waitForWriteLock', () => {
  const tempDir = useTempDir();

  it('yields to the event loop while this process holds the write lock, and returns once it is committed', async () => {
    const path = join(tempDir(), 'a.sqlite');
    openArchive(path).close();
    // A writer in this process, as a sync between group commits: it commits from a timer.
    const holder = openArchiveDb(path, { create: false });
    holder.exec('BEGIN IMMEDIATE');
    const events: string[] = [];
    setTimeout(() => {
      holder.exec('COMMIT');
      events.push('committed');
    }, 50);
    await waitForWriteLock(path, 5_000, 5);
    events.push('free');
    expect(events).toEqual(['committed', 'free']);
    // The lock is really free: a write with no busy wait succeeds at once.
    const writer = openArchiveDb(path, { create: false });
    writer.pragma('busy_timeout = 0');
    expect(() => writer.exec('BEGIN IMMEDIATE; ROLLBACK')).not.toThrow();
    writer.close();
    holder.close();
  });

  it('gives up after its limit and leaves the write to report the lock', async () => {
    const path = join(tempDir(), 'a.sqlite');
    openArchive(path).close();
    const holder = openArchiveDb(path, { create: false });
    holder.exec('BEGIN IMMEDIATE');
    await waitForWriteLock(path, 30, 5);
    expect(holder.inTransaction).toBe(true);
    holder.exec('ROLLBACK');
    holder.close();
  });
});
