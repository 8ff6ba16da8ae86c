import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { extrasTotals } from '../../../electron/core/archive/extrasReads';
import { syncArchive } from '../../../electron/core/createCore';
import type { SyncOptions } from '../../../electron/core/sync';
import { connectionTo, SharedVirtualClock, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('reactions are paced by their own quota without holding a run open', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  /** A first sync of the tiny org under Cliq's real quotas, in virtual time; how long it took. */
  async function firstSync(path: string, options: SyncOptions) {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 5, scale: 'tiny', clock, quotaScale: 1 });
    const started = clock.now();
    const report = await syncArchive(path, connectionTo(sim), options, virtualRuntime(clock));
    return { sim, clock, report, tookMs: clock.now() - started };
  }
  const due = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return extrasTotals(db)?.messagesDue ?? -1;
    } finally {
      db.close();
    }
  };

  it('a run ends when its other lanes do; the messages left are checked by the next runs, then none', async () => {
    const withReactions = join(tempDir(), 'with.sqlite');
    const a = await firstSync(withReactions, {});
    const b = await firstSync(join(tempDir(), 'without.sqlite'), { reactionsPerRun: 0 });
    expect(a.report.status).toBe('complete');
    // 20 reaction checks a minute would have kept this run open for minutes more (62 messages due).
    expect(a.tookMs).toBeLessThanOrEqual(b.tookMs + 1_000);
    expect(a.report.calls['messages.reactions'] ?? 0).toBeGreaterThan(0);
    // One minute of quota (20 checks) in this run; the rest is due for the next runs.
    expect(a.report.calls['messages.reactions']).toBe(20);

    // Later runs (here a minute apart, as a schedule would be) check what is left, 20 at most each,
    // until a run finds nothing due and makes no reaction call.
    let total = 20;
    let calls = -1;
    for (let run = 0; run < 10 && calls !== 0; run += 1) {
      await a.clock.sleep(60_000);
      const report = await syncArchive(withReactions, connectionTo(a.sim), {}, virtualRuntime(a.clock));
      expect(report.status).toBe('complete');
      calls = report.calls['messages.reactions'] ?? 0;
      expect(calls).toBeLessThanOrEqual(20);
      total += calls;
    }
    expect(calls).toBe(0);
    expect(total).toBeGreaterThan(20);
    expect(due(withReactions)).toBe(0);
  });
});
