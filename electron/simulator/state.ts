import type { Clock } from './clock';
import type { RouteFamily } from './families';
import type { AuthStore } from './http/auth';
import type { CursorCodec } from './http/cursor';
import type { DownloadSigner } from './http/downloads';
import type { FaultInjector } from './http/faults';
import type { Holds } from './http/holds';
import type { RateLimiter } from './http/rateLimit';
import type { SimulatorOptions } from './options';
import type { FileIndex } from './org/files';
import type { Org } from './org/model';
import type { TruthContext } from './org/truth';

/** Counters a test reads to see what the server saw. Control endpoints are never counted. */
export interface SimulatorStats {
  /** Requests per route family, whatever their outcome. */
  requests: Record<RouteFamily, number>;
  /** Answers per HTTP status ("200", "429", …), plus "reset" and "hang" for those faults. */
  byStatus: Record<string, number>;
  /** Successful refresh_token grants. */
  refreshes: number;
  /** Successful authorization_code grants. */
  grants: number;
}

/** Everything a request handler may touch. One per running simulator. */
export interface SimState {
  options: SimulatorOptions;
  readonly org: Org;
  readonly clock: Clock;
  readonly auth: AuthStore;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  /** Tests' gates on route families (see http/holds.ts). */
  readonly holds: Holds;
  readonly cursors: CursorCodec;
  /** file id → the message carrying it (F1). */
  readonly files: FileIndex;
  /** Signs and checks the download host's URLs. */
  readonly downloads: DownloadSigner;
  stats: SimulatorStats;
  /** Shape and truth settings derived from the current options. */
  context(): TruthContext;
}

export function emptyStats(families: readonly RouteFamily[]): SimulatorStats {
  const requests = {} as Record<RouteFamily, number>;
  for (const family of families) requests[family] = 0;
  return { requests, byStatus: {}, refreshes: 0, grants: 0 };
}
