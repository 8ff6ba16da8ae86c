import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import type { FaultKind, RouteFamily } from '../../../electron/simulator';
import { canonicalSnapshot, compareWithTruth } from '../../helpers/archiveCheck';
import { SharedVirtualClock, connectionTo, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('transport faults: retried, never half-stored', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  const cases: { family: RouteFamily; kind: FaultKind }[] = [
    { family: 'maint.messages', kind: 'truncate' },
    { family: 'maint.messages', kind: 'malformed' },
    { family: 'maint.messages', kind: 'reset' },
    { family: 'maint.messages', kind: '502-html' },
    { family: 'maint.messages', kind: 'wrong-content-type' },
    { family: 'maint.messages', kind: '500' },
    { family: 'maint.messages', kind: '503' },
    { family: 'maint.messages', kind: '504' },
    { family: 'maint.chats', kind: 'truncate' },
    { family: 'maint.channels', kind: 'reset' },
    { family: 'maint.members', kind: 'truncate' },
    { family: 'maint.members', kind: 'malformed' },
    { family: 'users.list', kind: 'malformed' },
    { family: 'channels.list', kind: '503' },
    { family: 'threads.list', kind: 'truncate' },
    { family: 'chats.list', kind: '503' },
  ];

  it.each(cases)('$kind on $family: retried, and the archive equals the truth', async ({ family, kind }) => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 4, scale: 'tiny', clock, faults: [{ family, kind, after: 0, times: 2 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(report.status).toBe('complete');
    expect(report.errors).toEqual([]);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    // The two failed answers were requests too: each retry is counted.
    const reference = await simulator({ seed: 4, scale: 'tiny' });
    const clean = await syncArchive(join(tempDir(), 'b.sqlite'), connectionTo(reference));
    expect(report.calls[family]).toBe((clean.calls[family] ?? 0) + 2);
  });

  it('a hung request times out and is retried', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny', faults: [{ family: 'maint.messages', kind: 'hang', after: 1, times: 1 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim, { timeoutMs: 300, exportTimeoutMs: 300 }));
    expect(report.status).toBe('complete');
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });

  it('an id above 2^53 sent as a bare JSON number is kept digit for digit', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny', faults: [{ family: 'maint.messages', kind: 'big-number-id', after: 0, times: 3 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    expect(report.status).toBe('complete');
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    const db = new Database(path, { readonly: true });
    const ids = db.prepare('SELECT sender_id FROM messages WHERE length(sender_id) = 19 LIMIT 5').all() as { sender_id: string }[];
    db.close();
    expect(ids.length).toBeGreaterThan(0);
    for (const { sender_id } of ids) expect(sender_id).toMatch(/^\d{19}$/);
  });

  it('a conversation that answers 403 or 404 is recorded and the rest of the org is archived', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny' });
    const truth = sim.truth();
    const [forbidden, missing] = truth.chats.map((c) => c.chat_id);
    sim.configure({ forbidChats: [forbidden ?? ''], missingChats: [missing ?? ''] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    expect(report.status).toBe('complete');
    expect(report.counts.conversationsFailed).toBe(2);
    expect(report.errors.filter((e) => e.chatId === forbidden).map((e) => e.code)).toContain('FORBIDDEN');
    expect(report.errors.filter((e) => e.chatId === missing).map((e) => e.code)).toContain('NOT_FOUND');
    const db = new Database(path, { readonly: true });
    const states = db.prepare('SELECT chat_id, status FROM chat_sync_state WHERE status <> ?').all('complete');
    db.close();
    expect(states).toEqual(
      expect.arrayContaining([
        { chat_id: forbidden, status: 'forbidden' },
        { chat_id: missing, status: 'not_found' },
      ]),
    );
    expect(states).toHaveLength(2);

    // When access comes back, the next run picks them up.
    sim.configure({ forbidChats: [], missingChats: [] });
    const next = await syncArchive(path, connectionTo(sim));
    expect(next.counts.conversationsSynced).toBe(2);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });

  it('when Cliq keeps failing, the run stops (circuit breaker) and a later run completes from the checkpoints', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 4, scale: 'small', clock });
    const path = join(tempDir(), 'a.sqlite');
    sim.configure({ faultRates: { 'maint.messages': { rate: 1, kinds: ['503'] } } });
    const failed = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(failed.status).toBe('failed');
    expect(failed.fatal?.code).toBe('SERVER_ERROR');
    // Three conversations, five attempts each, then it gave up instead of hammering the rest.
    expect(failed.calls['maint.messages']).toBeLessThanOrEqual(3 * 5 + 2 * 5);

    sim.configure({ faultRates: {} });
    const resumed = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(resumed.status).toBe('complete');
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });

  it('a cancelled run is partial and the next one finishes the same archive an uninterrupted run makes', async () => {
    const sim = await simulator({ seed: 4, scale: 'small', latencyMs: 5 });
    const path = join(tempDir(), 'a.sqlite');
    const controller = new AbortController();
    let pages = 0;
    const cancelled = await syncArchive(path, connectionTo(sim), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.messagesStored > 0 && ++pages === 20) controller.abort();
      },
    });
    expect(cancelled.status).toBe('partial');
    expect(cancelled.cancelled).toBe(true);
    const resumed = await syncArchive(path, connectionTo(sim));
    expect(resumed.status).toBe('complete');

    const reference = join(tempDir(), 'ref.sqlite');
    await syncArchive(reference, connectionTo(sim));
    expect(canonicalSnapshot(path)).toEqual(canonicalSnapshot(reference));
  });
});
