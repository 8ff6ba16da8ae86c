import type { Archive } from '../archive/archive';
import type { WriteContext } from '../archive/entityStore';
import type { RunError } from '../archive/runsRepo';
import type { CliqHttp } from '../cliq/http';
import type { RateBudget } from '../cliq/rateBudget';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';
import type { SyncProgress, SyncCounts } from '../../../shared/sync';
import type { MessageRowParser } from './rowParser';
export type { SyncPhase, SyncProgress, SyncStatus, SyncCounts, SyncReport } from '../../../shared/sync';

export interface SyncOptions {
  /** Re-walk every conversation from its first message (finds old edits and deletions anywhere). */
  full?: boolean;
  /** How far back an incremental fetch re-reads, to catch late edits (default 10 minutes). */
  overlapMs?: number;
  /** Re-list members of an otherwise unchanged chat after this long (default 7 days). */
  membersRefreshMs?: number;
  /** Re-walk a changed chat from the beginning if its last full walk is older than this (default 30 days). */
  reconcileAfterMs?: number;
  /** Messages per windowed request (default and documented maximum: 100). */
  pageLimit?: number;
  /** Concurrent requests per family for members and messages (pacing still applies). */
  concurrency?: number;
  /**
   * Which attachments to download into the archive's file store (default 'all'). Files left out are
   * recorded as skipped by policy and fetched when it widens. A token without
   * ZohoCliq.Attachments.READ stops only the file lane, with a warning: the messages still sync.
   */
  files?: 'all' | 'none';
  /** Attachments larger than this are recorded as too_large, not fetched (default: no limit). */
  filesMaxBytes?: number;
  /**
   * Reactions calls (MS3, one per message) a run may make, this run's new and changed messages
   * first, then older unchecked ones (default 200: ten minutes of MS3's 20 a minute, so reactions add at most
   * that to a run; the rest wait for later runs, and `stats` counts them as due). 0: none are checked.
   * Set by `sync --reactions-per-run` and the app's setting (shared/scheduleSettings.ts).
   */
  reactionsPerRun?: number;
  /** How long the lease lasts without a heartbeat. */
  leaseTtlMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

/** Everything a sync step needs. One per run. */
export interface SyncContext {
  archive: Archive;
  http: CliqHttp;
  budget: RateBudget;
  clock: Clock;
  log: Logger;
  options: Required<Pick<SyncOptions, 'full' | 'overlapMs' | 'membersRefreshMs' | 'reconcileAfterMs' | 'pageLimit' | 'concurrency' | 'reactionsPerRun'>>;
  runId: number;
  signal: AbortSignal;
  /** Where export bodies become rows: the run's parser thread, or this thread (sync/rowParser.ts). */
  rowParser: MessageRowParser;
  counts: SyncCounts;
  errors: RunError[];
  /** A write context stamped now. */
  write(): WriteContext;
  /** Records a non-fatal problem (kept in the run and shown in the report). */
  warn(error: RunError): void;
  progress(update: Partial<SyncProgress>): void;
}
