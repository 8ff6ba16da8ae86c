import { VaultError } from '../../shared/errors';
import { openArchive, type Archive } from './archive/archive';
import type { Endpoints } from './cliq/dataCentres';
import { effectiveLimits, type FamilyOverrides } from './cliq/families';
import { CliqHttp, defaultRetry, type RetryPolicy } from './cliq/http';
import { TokenManager, type ClientCredentials } from './cliq/oauth';
import { RateBudget, type RateLockStore } from './cliq/rateBudget';
import { runSync, type SyncDeps } from './sync/engine';
import type { SyncOptions, SyncReport } from './sync/types';
import { systemClock, type Clock } from './util/clock';
import { silentLogger, type Logger } from './util/log';

export interface Connection {
  endpoints: Endpoints;
  credentials: ClientCredentials & { refreshToken: string };
  /**
   * For tests and simulations only: multiplies every quota threshold and divides every lock period
   * and retry delay by this factor, so a simulated org with scaled quotas syncs in seconds.
   */
  quotaScale?: number;
  /** Per-family quota overrides from settings (requests per minute, lock period). */
  quotas?: FamilyOverrides;
  retry?: Partial<RetryPolicy>;
  /** Longest 429 lock the run waits out before ending partial (default 15 minutes). */
  maxLockWaitMs?: number;
  /** Time allowed for one request (default 60 s). */
  timeoutMs?: number;
  /** Time allowed for one whole-conversation messages export (default 5 min). */
  exportTimeoutMs?: number;
}

export interface Runtime {
  clock?: Clock;
  log?: Logger;
  fetch?: typeof fetch;
  random?: () => number;
}

/** The Cliq client alone: tokens, rate budget (its 429 locks kept in `lockStore` when given) and HTTP. */
export function createCliqClient(connection: Connection, runtime: Runtime = {}, lockStore?: RateLockStore): { http: CliqHttp; budget: RateBudget; tokens: TokenManager } {
  const clock = runtime.clock ?? systemClock;
  const log = runtime.log ?? silentLogger;
  const scale = connection.quotaScale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new VaultError('USAGE', `--quota-scale must be a positive number, not ${scale}.`, { ui: { message: `The quota scale must be a positive number, not ${scale}.` } });
  const tokens = new TokenManager({
    accountsBase: connection.endpoints.accountsBase,
    ...connection.credentials,
    clock,
    log,
    ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
  });
  const budget = new RateBudget({
    limits: effectiveLimits(connection.quotas, scale),
    clock,
    store: lockStore,
    maxLockWaitMs: connection.maxLockWaitMs,
  });
  const retry = { ...defaultRetry, ...connection.retry };
  const http = new CliqHttp({
    endpoints: connection.endpoints,
    tokens,
    budget,
    clock,
    log,
    retry: { ...retry, baseMs: retry.baseMs / scale, capMs: retry.capMs / scale },
    ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
    ...(runtime.random ? { random: runtime.random } : {}),
    ...(connection.timeoutMs !== undefined ? { timeoutMs: connection.timeoutMs } : {}),
    ...(connection.exportTimeoutMs !== undefined ? { exportTimeoutMs: connection.exportTimeoutMs } : {}),
  });
  return { http, budget, tokens };
}

/** The composition root of a sync: client, budget and tokens wired to one open archive. */
export function createSyncDeps(archive: Archive, connection: Connection, runtime: Runtime = {}): SyncDeps & { tokens: TokenManager } {
  const { http, budget, tokens } = createCliqClient(connection, runtime, archive.lease);
  return { archive, http, budget, clock: runtime.clock ?? systemClock, log: runtime.log ?? silentLogger, endpoints: connection.endpoints, tokens };
}

/** Opens (or creates) the archive at `archivePath`, syncs it, closes it. */
export async function syncArchive(archivePath: string, connection: Connection, options: SyncOptions = {}, runtime: Runtime = {}): Promise<SyncReport> {
  const clock = runtime.clock ?? systemClock;
  const archive = openArchive(archivePath, { create: true, clock });
  try {
    return await runSync(createSyncDeps(archive, connection, runtime), options);
  } finally {
    archive.close();
  }
}
