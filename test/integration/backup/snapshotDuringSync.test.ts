import Database from 'better-sqlite3-multiple-ciphers';
import { once } from 'node:events';
import { copyFileSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSnapshot, type SnapshotResult } from '../../../electron/core/backup/snapshot';
import { syncArchive } from '../../../electron/core/createCore';
import type { Hold } from '../../../electron/simulator';
import { canonicalSnapshot } from '../../helpers/archiveCheck';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** Conversations whose messages the latest sync run has completed. */
const completedSql = "SELECT count(*) AS n FROM chat_sync_state WHERE status = 'complete' AND last_complete_run = (SELECT max(id) FROM sync_runs)";

function completedIn(db: Database.Database): number {
  return db.prepare<[], { n: number }>(completedSql).get()?.n ?? 0;
}

/**
 * Resolves once the archive's committed state holds more than `than` completed conversations. It is
 * read again whenever a file in the archive's folder changes: a commit appends to the WAL, so no
 * commit goes unseen, and nothing here depends on how long the commit takes to come.
 */
async function moreCompletedThan(archivePath: string, than: number): Promise<number> {
  const watcher = watch(dirname(archivePath));
  const db = new Database(archivePath, { readonly: true, fileMustExist: true });
  try {
    for (;;) {
      const changed = once(watcher, 'change');
      const completed = completedIn(db);
      if (completed > than) return completed;
      await changed;
    }
  } finally {
    db.close();
    watcher.close();
  }
}

/**
 * What a consistent archive state must satisfy, checked on a scratch copy (FTS checks write), and
 * that it is a state on the way to `reference`: every message it holds is the reference's, and a
 * conversation whose checkpoint says complete holds all of the reference's messages.
 */
function consistency(snapshotPath: string, scratchDir: string, reference: string): { messages: number; completed: number } {
  const scratch = join(scratchDir, 'check.sqlite');
  copyFileSync(snapshotPath, scratch);
  const db = new Database(scratch);
  try {
    const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()?.n ?? -1;
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Every message row has its FTS entry and no entry is stale (FTS5 compares index and content).
    db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run();
    // Counts that are written in the same transaction as the rows they count agree.
    expect(count('SELECT count(*) AS n FROM messages m WHERE m.version - 1 <> (SELECT count(*) FROM message_versions v WHERE v.message_rowid = m.id)')).toBe(0);
    expect(count('SELECT count(*) AS n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM chats c WHERE c.chat_id = m.chat_id)')).toBe(0);

    db.prepare('ATTACH DATABASE ? AS ref').run(reference);
    expect(
      count(
        'SELECT count(*) AS n FROM main.messages m WHERE NOT EXISTS (SELECT 1 FROM ref.messages r WHERE r.chat_id = m.chat_id AND r.message_id = m.message_id AND r.content_hash = m.content_hash)',
      ),
      'messages that are not the final ones',
    ).toBe(0);
    const short = db
      .prepare<[], { chat_id: string }>(
        `SELECT s.chat_id FROM main.chat_sync_state s WHERE s.status = 'complete'
           AND (SELECT count(*) FROM main.messages m WHERE m.chat_id = s.chat_id) <> (SELECT count(*) FROM ref.messages r WHERE r.chat_id = s.chat_id)`,
      )
      .all();
    expect(short, 'conversations checkpointed complete without all their messages').toEqual([]);
    return { messages: count('SELECT count(*) AS n FROM main.messages'), completed: completedIn(db) };
  } finally {
    db.close();
  }
}

describe('a snapshot taken while a sync writes', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('is a consistent state on the way to the end, and the sync then completes with nothing lost', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const reference = join(tempDir(), 'reference.sqlite');
    expect((await syncArchive(reference, connectionTo(sim))).status).toBe('complete');
    const referenceCount = canonicalSnapshot(reference).messages?.length ?? 0;
    expect(referenceCount).toBeGreaterThan(0);
    const messageCalls = sim.stats().requests['maint.messages'];
    sim.resetStats();

    // The live sync is stopped three times by holding the messages export (at a quarter, half and
    // three quarters of its calls). While it is held, the sync is provably mid-run; the snapshot
    // waits until work done before the hold has been committed, so every snapshot holds finished
    // conversations and lacks others.
    const step = Math.floor(messageCalls / 4);
    expect(step).toBeGreaterThanOrEqual(2);
    const live = join(tempDir(), 'live.sqlite');
    const to = tempDir();
    let hold: Hold = sim.hold('maint.messages', { after: step });
    const syncing = syncArchive(live, connectionTo(sim));
    const ended = syncing.then(() => {
      throw new Error('the sync ended before the messages export was held');
    });
    // Read only by the races below; once the last hold is released, its rejection is expected.
    ended.catch(() => undefined);
    const midFlight: { snapshot: SnapshotResult; completed: number }[] = [];
    for (let n = 1; n <= 3; n++) {
      await Promise.race([hold.reached, ended]);
      const committed = await moreCompletedThan(live, midFlight.at(-1)?.completed ?? 0);
      // Small steps: should the sync commit other work meanwhile (members), the copy restarts and must
      // still be whole (test/unit/backup/snapshot.test.ts makes that restart happen on purpose).
      const snapshot = await createSnapshot({ archivePath: live, toDir: to, pagesPerStep: 4 });
      midFlight.push({ snapshot, completed: committed });
      // The next hold is in place before this one lets the sync go on: no request slips between.
      const held = hold;
      if (n < 3) hold = sim.hold('maint.messages', { after: step });
      held.release();
    }
    expect((await syncing).status).toBe('complete');

    let previous = { messages: 0, completed: 0 };
    for (const { snapshot, completed } of midFlight) {
      expect(snapshot.manifest.integrity).toBe('ok');
      expect(snapshot.manifest.lastSyncRun?.status).toBe('running');
      const state = consistency(snapshot.path, tempDir(), reference);
      expect(state.messages).toBe(snapshot.manifest.counts?.messages);
      // At least what was committed when it was taken; more than the snapshot before; not the end.
      expect(state.completed).toBeGreaterThanOrEqual(completed);
      expect(state.completed).toBeGreaterThan(previous.completed);
      expect(state.messages).toBeGreaterThanOrEqual(previous.messages);
      expect(state.messages).toBeLessThan(referenceCount);
      previous = state;
    }

    // Nothing lost: the held sync ends with the same archive as the uninterrupted one.
    expect(canonicalSnapshot(live)).toEqual(canonicalSnapshot(reference));

    // A mid-sync snapshot is a state the archive really was in: a sync resumes from it to the same end.
    const resumed = join(tempDir(), 'resumed.sqlite');
    copyFileSync(midFlight.at(-1)?.snapshot.path ?? '', resumed);
    expect((await syncArchive(resumed, connectionTo(sim))).status).toBe('complete');
    expect(canonicalSnapshot(resumed)).toEqual(canonicalSnapshot(reference));

    // And a snapshot after the sync equals the archive.
    const after = await createSnapshot({ archivePath: live, toDir: to });
    expect(canonicalSnapshot(after.path)).toEqual(canonicalSnapshot(live));
  });
});
