/** What a sync reports while it runs and when it ends, and the runs recorded in the archive. */
import type { ErrorShape } from './errors';
import type { ArchivedRunError, RunErrorCode } from './warnings';

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
  /** Attachments downloaded into the file store by this run. */
  filesStored: number;
  /** Attachments acted on by this run: stored, unavailable or skipped. */
  filesDone: number;
  /** Attachments known to be due and not yet acted on (more appear as conversations are archived). */
  filesRemaining: number;
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
  /**
   * Members who joined since the conversation was first listed. Those its first listing found are
   * `membersFirstArchived` (members when first archived, never "joined"; absent in older reports).
   */
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
  /** The error that stopped the run, when status is failed, with what the user can do about it. */
  fatal?: ErrorShape;
}

export type RunStatus = 'running' | 'complete' | 'partial' | 'failed' | 'cancelled';

/** A run's note: a warning (warnings.ts) or an error met without stopping the run. */
export interface RunError {
  code: RunErrorCode;
  message: string;
  chatId?: string;
  family?: string;
  /** The dataset an optional source would have filled (SOURCE_NOT_GRANTED), e.g. `departments`. */
  dataset?: string;
  /** The OAuth scope that would add it. */
  scope?: string;
}

export interface RunSummary {
  id: number;
  startedAt: number;
  endedAt: number | null;
  status: RunStatus;
  toolVersion: string;
  counts: Record<string, number>;
  calls: Record<string, number>;
  rateLimited: Record<string, number>;
  /** As recorded: runs of older versions may carry codes the vocabulary does not know. */
  errors: ArchivedRunError[];
}
