import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import { canonicalSnapshot, compareWithTruth, ownGroupChats, restReadableChannels } from '../../helpers/archiveCheck';
import { SharedVirtualClock, connectionTo, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/**
 * Access changing while a run is under way. (Edits, deletions, clears and members leaving between
 * runs are proven in test/integration/sync/changes.test.ts, for both export modes.)
 */
describe('a conversation that turns 403 or 404 in the middle of a run', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('is recorded with its status, asked once (no retries), and the rest of the org is archived; the next run picks it up', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 4, scale: 'tiny', clock });
    const truth = sim.truth();
    // Threads are archived last, channels before them: both are still ahead when the switch flips.
    const forbidden = truth.channels.at(-1)?.chat_id ?? '';
    const missing = truth.threads.at(-1)?.chat_id ?? '';
    expect(forbidden).not.toBe('');
    expect(missing).not.toBe('');
    const path = join(tempDir(), 'a.sqlite');
    let flipped = false;
    const report = await syncArchive(
      path,
      connectionTo(sim),
      {
        concurrency: 1,
        onProgress: (p) => {
          if (flipped || p.chatsDone < 1) return;
          flipped = true;
          sim.configure({ forbidChats: [forbidden], missingChats: [missing] });
        },
      },
      virtualRuntime(clock),
    );
    expect(flipped).toBe(true);
    expect(report.status).toBe('complete');
    expect(report.errors.filter((e) => e.chatId === forbidden).map((e) => e.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(report.errors.filter((e) => e.chatId === missing).map((e) => e.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(report.errors.filter((e) => e.chatId !== forbidden && e.chatId !== missing)).toEqual([]);
    const conversations = truth.chats.length + truth.channels.length + truth.threads.length;
    // One export and one members listing per conversation: a 403 or 404 is an answer, never retried.
    // Channels the admin reads over REST are listed with C3, their own group chats with H2; a 403
    // of either is answered by M3, once.
    const readable = restReadableChannels(path);
    const own = ownGroupChats(path);
    expect(readable.size).toBeGreaterThan(0);
    expect(sim.stats().requests['maint.messages']).toBe(conversations);
    expect(sim.stats().requests['channels.members']).toBe(readable.size);
    expect(sim.stats().requests['chats.members']).toBe(own.size);
    expect(sim.stats().requests['maint.members']).toBe(conversations - readable.size - own.size + (readable.has(forbidden) || own.has(forbidden) ? 1 : 0));

    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT chat_id, status FROM chat_sync_state WHERE status <> 'complete' ORDER BY status").all()).toEqual([
      { chat_id: forbidden, status: 'forbidden' },
      { chat_id: missing, status: 'not_found' },
    ]);
    // Everything else is archived as Cliq has it; of those two, nothing was stored.
    const archived = new Map(
      (
        db.prepare('SELECT chat_id, group_concat(message_id) AS ids FROM (SELECT chat_id, message_id FROM messages ORDER BY chat_id, message_id) GROUP BY chat_id').all() as {
          chat_id: string;
          ids: string;
        }[]
      ).map((r) => [r.chat_id, r.ids]),
    );
    db.close();
    for (const [chatId, messages] of Object.entries(truth.messages)) {
      const expected =
        chatId === forbidden || chatId === missing
          ? undefined
          : messages
              .map((m) => m.id)
              .sort()
              .join() || undefined;
      expect(archived.get(chatId), chatId).toBe(expected);
    }

    sim.configure({ forbidChats: [], missingChats: [] });
    sim.resetStats();
    const before = canonicalSnapshot(path);
    const next = await syncArchive(path, connectionTo(sim), { concurrency: 1 }, virtualRuntime(clock));
    expect(next.status).toBe('complete');
    expect(next.counts.conversationsSynced).toBe(2);
    expect(sim.stats().requests['maint.messages']).toBe(2);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    // Nothing archived before was lost or changed.
    const after = canonicalSnapshot(path);
    const key = (m: unknown) => JSON.stringify(m);
    const now = new Set((after.messages ?? []).map(key));
    expect((before.messages ?? []).filter((m) => !now.has(key(m)))).toEqual([]);
  });
});
