import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSnapshot, type SnapshotResult } from '../../../electron/core/backup/snapshot';
import { syncArchive } from '../../../electron/core/createCore';
import { canonicalSnapshot } from '../../helpers/archiveCheck';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** Resolves once the simulator has answered at least `n` requests (polling its counters). */
async function afterRequests(sim: { stats(): { requests: Record<string, number> } }, n: number): Promise<void> {
  for (;;) {
    const total = Object.values(sim.stats().requests).reduce((a, b) => a + b, 0);
    if (total >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What a consistent archive state must satisfy, checked on a scratch copy (FTS checks write). */
function consistency(snapshotPath: string, scratchDir: string): { messages: number } {
  const scratch = join(scratchDir, 'check.sqlite');
  copyFileSync(snapshotPath, scratch);
  const db = new Database(scratch);
  try {
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Every message row has its FTS entry and no entry is stale (FTS5 compares index and content).
    db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run();
    // Counts that are written in the same transaction as the rows they count agree.
    const versions = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages m WHERE m.version - 1 <> (SELECT count(*) FROM message_versions v WHERE v.message_rowid = m.id)').get();
    expect(versions?.n).toBe(0);
    const unknownChat = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM chats c WHERE c.chat_id = m.chat_id)').get();
    expect(unknownChat?.n).toBe(0);
    return { messages: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()?.n ?? -1 };
  } finally {
    db.close();
  }
}

describe('a snapshot taken while a sync writes', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('is consistent, and a sync resumed from it gives the same archive as an uninterrupted one', async () => {
    // Latency keeps the sync mid-flight while snapshots are taken; each page commits on its own.
    const sim = await simulator({ seed: 12, scale: 'small', latencyMs: 3 });
    const reference = join(tempDir(), 'reference.sqlite');
    expect((await syncArchive(reference, connectionTo(sim))).status).toBe('complete');
    const referenceCount = consistency(reference, tempDir()).messages;
    sim.resetStats();

    const live = join(tempDir(), 'live.sqlite');
    const to = tempDir();
    let finished = false;
    // Read through a function: the compiler cannot see the sync finishing during an await.
    const syncDone = () => finished;
    const syncing = syncArchive(live, connectionTo(sim)).finally(() => (finished = true));
    const midFlight: SnapshotResult[] = [];
    for (const at of [30, 80, 130]) {
      await Promise.race([afterRequests(sim, at), syncing]);
      if (syncDone()) break;
      // Small steps: the sync commits between them, so the copy is restarted and must still be whole.
      const snapshot = await createSnapshot({ archivePath: live, toDir: to, pagesPerStep: 4 });
      if (!syncDone()) midFlight.push(snapshot);
    }
    expect((await syncing).status).toBe('complete');
    expect(midFlight.length).toBeGreaterThanOrEqual(2);

    for (const snapshot of midFlight) {
      expect(snapshot.manifest.integrity).toBe('ok');
      expect(snapshot.manifest.lastSyncRun?.status).toBe('running');
      const { messages } = consistency(snapshot.path, tempDir());
      expect(messages).toBeLessThan(referenceCount);
      expect(messages).toBe(snapshot.manifest.counts?.messages);
    }

    // A mid-sync snapshot is a state the archive really was in: a sync resumes from it to the same end.
    const resumed = join(tempDir(), 'resumed.sqlite');
    copyFileSync(midFlight[midFlight.length - 1]?.path ?? '', resumed);
    expect((await syncArchive(resumed, connectionTo(sim))).status).toBe('complete');
    expect(canonicalSnapshot(resumed)).toEqual(canonicalSnapshot(reference));

    // And a snapshot after the sync equals the archive.
    const after = await createSnapshot({ archivePath: live, toDir: to });
    expect(canonicalSnapshot(after.path)).toEqual(canonicalSnapshot(live));
  });
});
