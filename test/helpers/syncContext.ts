import type { Archive } from '../../electron/core/archive/archive';
import { effectiveLimits } from '../../electron/core/cliq/families';
import { CliqHttp } from '../../electron/core/cliq/http';
import { RateBudget } from '../../electron/core/cliq/rateBudget';
import { emptyCounts } from '../../electron/core/sync/engine';
import type { SyncContext } from '../../electron/core/sync/types';
import { silentLogger } from '../../electron/core/util/log';
import { VirtualClock } from './virtualClock';
import { inThreadRowParser } from '../../electron/core/sync/rowParser';

/**
 * A sync step's context over a scripted `fetch`, on a virtual clock, with the run started in the
 * archive: for unit tests of one lane or step without a simulator.
 */
export function testSyncContext(archive: Archive, fetchImpl: typeof fetch, options: Partial<SyncContext['options']> = {}, clock = new VirtualClock(Date.UTC(2026, 5, 1))): SyncContext {
  const budget = new RateBudget({ limits: effectiveLimits({}, 1_000), clock });
  const http = new CliqHttp({
    endpoints: { apiBase: 'http://cliq.test', accountsBase: 'http://accounts.test', dataCentre: 'custom', network: undefined },
    tokens: { accessToken: () => Promise.resolve('token'), invalidate: () => undefined },
    budget,
    clock,
    log: silentLogger,
    fetch: fetchImpl,
    retry: { maxAttempts: 2, baseMs: 1, capMs: 1 },
    random: () => 0,
  });
  const runId = archive.runs.start(clock.now(), 'test', {}, 1, 'h');
  const ctx: SyncContext = {
    archive,
    http,
    budget,
    clock,
    log: silentLogger,
    options: { full: false, overlapMs: 600_000, membersRefreshMs: 7 * 86_400_000, reconcileAfterMs: 30 * 86_400_000, pageLimit: 100, concurrency: 1, reactionsPerRun: 0, ...options },
    runId,
    signal: new AbortController().signal,
    rowParser: inThreadRowParser,
    counts: emptyCounts(),
    errors: [],
    write: () => ({ runId, now: clock.now() }),
    warn: (e) => ctx.errors.push(e),
    progress: () => undefined,
  };
  return ctx;
}
