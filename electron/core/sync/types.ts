import type { ErrorCode } from '../../../shared/errors';
import type { Archive } from '../archive/archive';
import type { WriteContext } from '../archive/entityStore';
import type { RunError } from '../archive/runsRepo';
import type { CliqHttp } from '../cliq/http';
import type { RateBudget } from '../cliq/rateBudget';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';

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
  /** How long the lease lasts without a heartbeat. */
  leaseTtlMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

export type SyncPhase = 'starting' | 'inventory' | 'threads' | 'conversations' | 'finishing';

export interface SyncProgress {
  phase: SyncPhase;
  /** The conversation being archived right now, if any. */
  chatId?: string;
  chatTitle?: string | null;
  chatsTotal: number;
  chatsDone: number;
  messagesStored: number;
  calls: number;
  /** Estimated time to finish from the remaining work and the rate budget. */
  etaMs: number;
  /** Set while a family waits out a 429 lock. */
  pausedUntil?: number;
}

export type SyncStatus = 'complete' | 'partial' | 'failed';

export interface SyncCounts {
  chats: number;
  channels: number;
  threads: number;
  users: number;
  conversationsSynced: number;
  conversationsUnchanged: number;
  conversationsFailed: number;
  messagesNew: number;
  messagesChanged: number;
  messagesDeleted: number;
  messagesRestored: number;
  membersJoined: number;
  membersLeft: number;
  goneChats: number;
  goneUsers: number;
  [key: string]: number;
}

export interface SyncReport {
  runId: number;
  status: SyncStatus;
  /** Set when the run stopped because it was cancelled (status is then partial). */
  cancelled: boolean;
  startedAt: number;
  endedAt: number;
  counts: SyncCounts;
  calls: Record<string, number>;
  callsTotal: number;
  messageCalls: number;
  rateLimited: Record<string, number>;
  errors: RunError[];
  messagesMode: string | undefined;
  /** The error that stopped the run, when status is failed. */
  fatal?: { code: ErrorCode; message: string };
}

/** Everything a sync step needs. One per run. */
export interface SyncContext {
  archive: Archive;
  http: CliqHttp;
  budget: RateBudget;
  clock: Clock;
  log: Logger;
  options: Required<Pick<SyncOptions, 'full' | 'overlapMs' | 'membersRefreshMs' | 'reconcileAfterMs' | 'pageLimit' | 'concurrency'>>;
  runId: number;
  signal: AbortSignal;
  counts: SyncCounts;
  errors: RunError[];
  /** A write context stamped now. */
  write(): WriteContext;
  /** Records a non-fatal problem (kept in the run and shown in the report). */
  warn(error: RunError): void;
  progress(update: Partial<SyncProgress>): void;
}
