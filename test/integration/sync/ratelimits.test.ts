import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import { compareWithTruth, ownGroupChats, restReadableChannels } from '../../helpers/archiveCheck';
import { SharedVirtualClock, connectionTo, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('rate limits (real quotas, enforced by the simulator, in virtual time)', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('paces every family under the documented quotas: zero 429s, one call per conversation and family', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 2, quotaScale: 1, clock });
    const path = join(tempDir(), 'a.sqlite');
    const started = clock.now();
    const report = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(report.status).toBe('complete');
    expect(report.rateLimited).toEqual({});
    expect(sim.stats().byStatus['429'] ?? 0).toBe(0);
    const truth = sim.truth();
    const conversations = truth.chats.length + truth.channels.length + truth.threads.length;
    expect(report.calls['maint.messages']).toBe(conversations);
    // Members: C3 for the channels the admin reads over REST, H2 for their own group chats, M3 for
    // every other conversation.
    const readable = restReadableChannels(path).size;
    const own = ownGroupChats(path).size;
    expect(readable).toBeGreaterThan(0);
    expect(own).toBeGreaterThan(0);
    expect(report.calls['channels.members']).toBe(readable);
    expect(report.calls['chats.members']).toBe(own);
    expect(report.calls['maint.members']).toBe(conversations - readable - own);
    // 10 exports a minute: the run cannot be faster than the quota, and pacing should not waste much.
    const minutes = (clock.now() - started) / 60_000;
    expect(minutes).toBeGreaterThanOrEqual(Math.floor(conversations / 10) - 1);
    expect(compareWithTruth(path, truth).missing).toEqual([]);
  });

  it('one F1 call per file even when the run outlives the hour a refused file waits', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 1, scale: 'small', quotaScale: 1, clock });
    const path = join(tempDir(), 'a.sqlite');
    const started = clock.now();
    // Downloads paced at one a minute: the small org's ~300 files take hours of virtual time.
    const report = await syncArchive(path, connectionTo(sim, { quotas: { 'files.get': { perMinute: 1, lockMs: 600_000 } } }), {}, virtualRuntime(clock));
    expect(report.status).toBe('complete');
    expect(clock.now() - started, 'longer than the first backoff').toBeGreaterThan(3_600_000);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare<[], { status: string; attempts: number }>('SELECT status, attempts FROM attachments').all();
    db.close();
    expect(rows.some((r) => r.status === 'forbidden')).toBe(true);
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);
    expect(report.calls['files.get']).toBe(rows.length);
  });

  it('a 429 stops the family for the lock period, persisted, then the run carries on to completion', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 2, scale: 'tiny', quotaScale: 1, clock, faults: [{ family: 'maint.messages', kind: '429', after: 2, times: 1 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(report.status).toBe('complete');
    expect(report.rateLimited).toEqual({ 'maint.messages': 1 });
    const db = new Database(path, { readonly: true });
    const lock = db.prepare("SELECT locked_until - set_at AS ms FROM rate_locks WHERE family = 'maint.messages'").get();
    db.close();
    expect(lock).toEqual({ ms: 600_000 });
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });

  it('a lock longer than --max-rate-wait ends the run partial; a restarted run honours the persisted lock and completes', async () => {
    const clock = new SharedVirtualClock();
    // The client is told it may send 100 exports a minute; the server allows 10 and locks for 10 min.
    const sim = await simulator({ seed: 2, quotaScale: 1, clock });
    const path = join(tempDir(), 'a.sqlite');
    const greedy = connectionTo(sim, { quotas: { 'maint.messages': { perMinute: 100 } }, maxLockWaitMs: 60_000 });
    // No reactions lane: paced at 20 calls a minute it would keep this run going past the lock, and
    // the lock it left is what the second run must honour.
    const first = await syncArchive(path, greedy, { reactionsPerRun: 0 }, virtualRuntime(clock));
    expect(first.status).toBe('partial');
    expect(first.rateLimited['maint.messages']).toBeGreaterThanOrEqual(1);
    expect(first.errors.map((e) => e.code)).toContain('RATE_LIMITED');

    const serverLocks = sim.stats().byStatus['429'];
    const lockedUntil = (() => {
      const db = new Database(path, { readonly: true });
      const row = db.prepare("SELECT locked_until FROM rate_locks WHERE family = 'maint.messages'").get() as { locked_until: number };
      db.close();
      return row.locked_until;
    })();
    expect(lockedUntil).toBeGreaterThan(clock.now());
    // A new process with the right quota: it must read the lock from the archive and send nothing
    // until it ends — any request during the server's lock would draw another 429.
    const second = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(sim.stats().byStatus['429']).toBe(serverLocks);
    expect(second.rateLimited).toEqual({});
    expect(second.status).toBe('complete');
    expect(clock.now()).toBeGreaterThanOrEqual(lockedUntil);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });
});
