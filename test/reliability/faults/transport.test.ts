import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import type { FaultKind, RouteFamily, RunningSimulator } from '../../../electron/simulator';
import { canonicalSnapshot, compareWithTruth } from '../../helpers/archiveCheck';
import { SharedVirtualClock, connectionTo, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

const conversationsOf = (sim: RunningSimulator) => {
  const truth = sim.truth();
  return truth.chats.length + truth.channels.length + truth.threads.length;
};

/**
 * Transport faults beyond test/integration/sync/faults.test.ts (which retries two of each kind):
 * bursts as long as the retry budget allows, bursts longer than it, and the CSV and REST families
 * that one leaves out. Each case counts the requests the server saw, so a retry storm fails it.
 */
describe('transport faults: bursts, and every family', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  const burstKinds: FaultKind[] = ['500', '502-html', '503', '504', 'reset', 'truncate', 'malformed', 'wrong-content-type'];

  it.each(burstKinds)('a burst of four %s answers in a row: four retries, no more, and the archive is the truth', async (kind) => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 4, scale: 'tiny', clock, faults: [{ family: 'maint.messages', kind, after: 3, times: 4 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), { concurrency: 1 }, virtualRuntime(clock));
    expect(report.status).toBe('complete');
    expect(report.errors).toEqual([]);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    // One export per conversation, plus the four that failed: the server saw exactly that.
    expect(sim.stats().requests['maint.messages']).toBe(conversationsOf(sim) + 4);
    expect(report.calls['maint.messages']).toBe(conversationsOf(sim) + 4);
  });

  it('a burst longer than the retry budget: that conversation is recorded as failed after five attempts, the rest is archived, the next run fetches only it', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 4, scale: 'tiny', clock, faults: [{ family: 'maint.messages', kind: '503', after: 2, times: 5 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), { concurrency: 1 }, virtualRuntime(clock));
    expect(report.status).toBe('partial');
    const failed = report.errors.filter((e) => e.code === 'SERVER_ERROR');
    expect(failed).toHaveLength(1);
    expect(report.counts.conversationsFailed).toBe(1);
    expect(sim.stats().requests['maint.messages']).toBe(conversationsOf(sim) + 4);
    const chatId = failed[0]?.chatId ?? '';
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT chat_id, status FROM chat_sync_state WHERE status <> 'complete'").all()).toEqual([{ chat_id: chatId, status: 'error' }]);
    db.close();
    // Everything but that conversation's messages is already the truth.
    const { missing } = compareWithTruth(path, sim.truth());
    expect(missing.length).toBe(sim.truth().messages[chatId]?.length ?? -1);
    expect(missing.every((m) => m.chatId === chatId)).toBe(true);

    sim.resetStats();
    const next = await syncArchive(path, connectionTo(sim), { concurrency: 1 }, virtualRuntime(clock));
    expect(next.status).toBe('complete');
    expect(sim.stats().requests['maint.messages']).toBe(1);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });

  it('two hung requests in a row: each times out and is retried once, nothing else is sent twice', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny', faults: [{ family: 'maint.messages', kind: 'hang', after: 1, times: 2 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim, { timeoutMs: 300, exportTimeoutMs: 300 }), { concurrency: 1 });
    expect(report.status).toBe('complete');
    expect(report.errors).toEqual([]);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    expect(sim.stats().requests['maint.messages']).toBe(conversationsOf(sim) + 2);
  });

  const families: { family: RouteFamily; kind: FaultKind }[] = [
    // CSV exports (M1–M3): cut and garbled bodies the existing matrix does not cover.
    { family: 'maint.chats', kind: 'malformed' },
    { family: 'maint.channels', kind: 'truncate' },
    { family: 'maint.channels', kind: 'malformed' },
    { family: 'maint.members', kind: 'reset' },
    { family: 'maint.chats', kind: 'wrong-content-type' },
    // JSON REST listings.
    { family: 'users.list', kind: 'truncate' },
    { family: 'users.list', kind: 'reset' },
    { family: 'channels.list', kind: 'malformed' },
    { family: 'channels.list', kind: 'truncate' },
    { family: 'threads.list', kind: 'malformed' },
    { family: 'threads.list', kind: '504' },
  ];

  it.each(families)('$kind on $family (three in a row): retried, never half-stored, the same archive as a clean run', async ({ family, kind }) => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 4, scale: 'tiny', clock, faults: [{ family, kind, after: 0, times: 3 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(report.status).toBe('complete');
    expect(report.errors).toEqual([]);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    const clean = await simulator({ seed: 4, scale: 'tiny' });
    const reference = join(tempDir(), 'b.sqlite');
    const cleanReport = await syncArchive(reference, connectionTo(clean));
    expect(sim.stats().requests[family]).toBe(clean.stats().requests[family] + 3);
    expect(report.callsTotal).toBe(cleanReport.callsTotal + 3);
    expect(canonicalSnapshot(path)).toEqual(canonicalSnapshot(reference));
  });

  it.each(['users.list', 'channels.list'] as const)('ids above 2^53 sent as bare JSON numbers on %s are kept digit for digit, never rounded', async (family) => {
    const sim = await simulator({ seed: 4, scale: 'tiny', faults: [{ family, kind: 'big-number-id', after: 0, times: 1_000 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    // Parsed losslessly: the ids equal the truth's strings (a rounded id would be a different user or channel).
    expect(report.status).toBe('complete');
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    const db = new Database(path, { readonly: true });
    const ids = db.prepare('SELECT user_id AS id FROM users UNION ALL SELECT channel_id FROM channels UNION ALL SELECT user_id FROM memberships WHERE user_id IS NOT NULL').pluck().all() as string[];
    db.close();
    const truth = sim.truth();
    const known = new Set([
      ...truth.users.map((u) => String(u.id)),
      ...truth.channels.map((c) => c.channel_id),
      ...Object.values(truth.members)
        .flat()
        .map((m) => m.user_id),
    ]);
    expect(ids.filter((id) => !known.has(id))).toEqual([]);
    expect(ids.some((id) => /^\d{19}$/.test(id))).toBe(true);
  });
});
