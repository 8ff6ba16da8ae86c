import { hostname, userInfo } from 'node:os';
import { toVaultError } from '../../../shared/errors';
import type { ReviewAction, ReviewOutcome, ReviewShell } from '../../../shared/review';
import type { WarningCode } from '../../../shared/warnings';
import { openArchiveDb } from '../archive/connection';
import { systemClock, type Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';
import { toolVersion } from '../version';
import { writeReviewBatch, type ReviewRecord } from './reviewRepo';

/** One look, as the code that answered it describes it. */
export interface ReviewLook {
  action: ReviewAction;
  /** What was looked at: the query and its filters, the conversation, the export kind and flags… (JSON). */
  scope: Record<string, unknown>;
  /** The one conversation looked at, when there is one. */
  chatId?: string | null;
  /** Hits, messages shown, records written; omitted when the action counts nothing. */
  results?: number | null;
  outcome?: ReviewOutcome;
  /** Why a look failed or was refused (an error's code and message). */
  detail?: string | null;
}

/** Who is looking, beyond the OS user: the app's active profile. */
export interface Reviewer {
  profileId: string | null;
  profileName: string | null;
}

/** Timers, injected so tests drive the quiet time and retries by hand. */
export interface ReviewTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Node's timers, unref'd: a pending flush never keeps a process alive (close() writes what is left). */
export const nodeTimers: ReviewTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Writes one batch of one archive (the default opens a connection of its own for it). */
export type ReviewWrite = (archivePath: string, records: readonly ReviewRecord[], now: number, busyMs: number) => void;

export interface ReviewRecorderOptions {
  shell: ReviewShell;
  /** The system clock unless given. */
  clock?: Pick<Clock, 'now'>;
  reviewer?: () => Reviewer;
  timers?: ReviewTimers;
  log?: Logger;
  /** Write when this many looks are queued (default 50). */
  maxBatch?: number;
  /** …or when nothing was recorded for this long (default 1.5 s: longer than the pauses of typing). */
  quietMs?: number;
  /** …and at the latest this long after the oldest queued look (default 10 s: a burst that never pauses). */
  maxDelayMs?: number;
  /** A search within this long of the previous one, its text extended or cut back, is folded into it (default 2 s). */
  foldMs?: number;
  /** After a failed write, try again after this long, doubling up to a minute (default 2 s). */
  retryMs?: number;
  /** How long a batch write waits for the archive's write lock before trying later (default 100 ms: a reader must not stall). */
  busyMs?: number;
  /** How long the last write, at close, waits for the lock (default 5 s). */
  closeBusyMs?: number;
  write?: ReviewWrite;
}

interface Queued {
  archivePath: string;
  record: ReviewRecord;
}

/** Texts of the folded searches kept in an entry's scope (the count is always whole). */
const maxEarlierTexts = 20;
const maxRetryMs = 60_000;

/**
 * The review log's one writer (issue 14, part 4). Code that answers a look (a search, a transcript read,
 * an export…) calls `record(archivePath, look)`: it queues the entry and returns at once — it never
 * throws and never touches the archive on the answer's path, so search-as-you-type is not slowed.
 *
 * Queued looks are written in one short transaction per archive, under one seal of kind 'audit',
 * on a connection opened for the batch (a reader worker holds no write connection: a restore must
 * be able to close every connection it needs to): when `maxBatch` are queued, after `quietMs` with
 * nothing new, at most `maxDelayMs` after the oldest, and at `close()`.
 *
 * Folding: a search recorded within `foldMs` of the queued search before it, in the same archive,
 * with the same filters and a text that extends or cuts back the earlier one ("fr" → "fra" →
 * "fraud"), replaces it: one entry with the settled query, its result count, `refinements` = how
 * many were folded, `firstAt` = when the first was typed, and their texts in scope.earlierTexts.
 * Another text, other filters, another action in between, or a pause: a new entry. A settled search
 * is never folded away — only the keystrokes before it.
 *
 * A failed write (the archive locked past `busyMs`, a read-only file) keeps the batch queued,
 * warns once with REVIEW_LOG_DEFERRED and tries again with backoff; nothing is dropped while the
 * process lives. What close() still cannot write is logged whole as an error with
 * REVIEW_LOG_UNWRITTEN (the look was answered; its record is in the log, not the archive).
 */
export class ReviewRecorder {
  private queue: Queued[] = [];
  private timer: unknown = null;
  private timerDue = Number.POSITIVE_INFINITY;
  private failing = false;
  private retryMs: number;
  private closed = false;
  private readonly o: Required<Omit<ReviewRecorderOptions, 'reviewer'>> & Pick<ReviewRecorderOptions, 'reviewer'>;
  private readonly me: { osUser: string; host: string };

  constructor(options: ReviewRecorderOptions) {
    this.o = {
      clock: systemClock,
      timers: nodeTimers,
      log: silentLogger,
      maxBatch: 50,
      quietMs: 1500,
      maxDelayMs: 10_000,
      foldMs: 2000,
      retryMs: 2000,
      busyMs: 100,
      closeBusyMs: 5000,
      write: writeToArchive,
      ...options,
    };
    this.retryMs = this.o.retryMs;
    this.me = whoAmI();
  }

  /** Queues one look at `archivePath`. Never throws; returns before anything is written. */
  record(archivePath: string, look: ReviewLook): void {
    try {
      const at = this.o.clock.now();
      const who = this.o.reviewer?.() ?? { profileId: null, profileName: null };
      const record: ReviewRecord = {
        at,
        action: look.action,
        shell: this.o.shell,
        profileId: who.profileId,
        profileName: who.profileName,
        osUser: this.me.osUser,
        host: this.me.host,
        toolVersion,
        scope: look.scope,
        chatId: look.chatId ?? null,
        results: look.results ?? null,
        outcome: look.outcome ?? 'ok',
        detail: look.detail ?? null,
        refinements: 0,
        firstAt: null,
      };
      const last = this.queue.at(-1);
      if (last && last.archivePath === archivePath && folds(last.record, record, this.o.foldMs)) {
        const earlier = Array.isArray(last.record.scope.earlierTexts) ? (last.record.scope.earlierTexts as unknown[]) : [];
        record.scope = { ...record.scope, earlierTexts: [...earlier, last.record.scope.text ?? ''].slice(-maxEarlierTexts) };
        record.refinements = last.record.refinements + 1;
        record.firstAt = last.record.firstAt ?? last.record.at;
        this.queue[this.queue.length - 1] = { archivePath, record };
      } else this.queue.push({ archivePath, record });
      if (this.closed) this.flush(this.o.closeBusyMs);
      else this.schedule();
    } catch (error) {
      // Recording must never fail the look it records; a bug here is logged, not thrown.
      this.o.log.error('Could not queue a review log entry.', { error: toVaultError(error).message, action: look.action });
    }
  }

  /** Looks queued and not yet written. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Writes every queued look now, one transaction per archive. Never throws: what cannot be
   * written stays queued (and a retry is scheduled). True when nothing is left.
   */
  flush(busyMs = this.o.busyMs): boolean {
    this.clearTimer();
    const byPath = new Map<string, ReviewRecord[]>();
    for (const q of this.queue) byPath.set(q.archivePath, [...(byPath.get(q.archivePath) ?? []), q.record]);
    const left: Queued[] = [];
    let firstFailure: { archivePath: string; error: unknown } | null = null;
    for (const [archivePath, records] of byPath) {
      try {
        this.o.write(archivePath, records, this.o.clock.now(), busyMs);
      } catch (error) {
        if (toVaultError(error).code === 'ARCHIVE_NOT_FOUND') {
          // The archive is gone (or never was): there is nowhere to record these looks, ever.
          this.o.log.error('The archive the looks were made in is gone: their review log entries cannot be written.', {
            code: 'REVIEW_LOG_UNWRITTEN' satisfies WarningCode,
            archivePath,
            entries: records,
          });
          continue;
        }
        firstFailure ??= { archivePath, error };
        for (const record of records) left.push({ archivePath, record });
      }
    }
    this.queue = [...left, ...this.queue.filter((q) => !byPath.has(q.archivePath))];
    if (firstFailure === null) {
      if (this.failing) this.o.log.info('The review log is written again.', { code: 'REVIEW_LOG_DEFERRED' satisfies WarningCode });
      this.failing = false;
      this.retryMs = this.o.retryMs;
      return this.queue.length === 0;
    }
    if (!this.failing && !this.closed) {
      this.o.log.warn('Could not write the review log yet; the looks are kept and written at the next try.', {
        code: 'REVIEW_LOG_DEFERRED' satisfies WarningCode,
        archivePath: firstFailure.archivePath,
        pending: left.length,
        error: toVaultError(firstFailure.error).message,
      });
    }
    this.failing = true;
    if (!this.closed) this.arm(this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, maxRetryMs);
    return false;
  }

  /**
   * Writes what is queued (waiting up to `closeBusyMs` for the lock) and stops the timers. What
   * still cannot be written is logged whole, with REVIEW_LOG_UNWRITTEN. Returns how many looks
   * are not on record. A look recorded after close is written at once.
   */
  close(): number {
    this.closed = true;
    this.flush(this.o.closeBusyMs);
    this.clearTimer();
    if (this.queue.length > 0) {
      this.o.log.error('Looks at the archive could not be written to its review log.', {
        code: 'REVIEW_LOG_UNWRITTEN' satisfies WarningCode,
        entries: this.queue.map((q) => ({ archivePath: q.archivePath, ...q.record })),
      });
    }
    const unwritten = this.queue.length;
    this.queue = [];
    return unwritten;
  }

  private schedule(): void {
    if (this.queue.length >= this.o.maxBatch) {
      this.arm(0);
      return;
    }
    if (this.failing) {
      // A retry is armed already; new looks wait for it rather than hammer a locked archive.
      if (this.timer === null) this.arm(this.retryMs);
      return;
    }
    const oldest = this.queue.reduce((min, q) => Math.min(min, q.record.firstAt ?? q.record.at), Number.POSITIVE_INFINITY);
    const now = this.o.clock.now();
    this.arm(Math.max(0, Math.min(this.o.quietMs, oldest + this.o.maxDelayMs - now)), true);
  }

  /** Arms the one timer for `ms` from now; `replace`: a quiet timer is pushed back, never forward past its deadline. */
  private arm(ms: number, replace = false): void {
    const due = this.o.clock.now() + ms;
    if (this.timer !== null && !replace && this.timerDue <= due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timer = this.o.timers.set(() => {
      this.timer = null;
      this.timerDue = Number.POSITIVE_INFINITY;
      this.flush();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.o.timers.clear(this.timer);
    this.timer = null;
    this.timerDue = Number.POSITIVE_INFINITY;
  }
}

/** Whether `next` is the same search typed further (or cut back) soon after `last`. */
function folds(last: ReviewRecord, next: ReviewRecord, foldMs: number): boolean {
  if (last.action !== 'search' || next.action !== 'search' || last.shell !== next.shell || last.profileId !== next.profileId) return false;
  if (next.at < last.at || next.at - last.at > foldMs) return false;
  const a = typeof last.scope.text === 'string' ? last.scope.text : '';
  const b = typeof next.scope.text === 'string' ? next.scope.text : '';
  if (!(b.startsWith(a) || a.startsWith(b))) return false;
  const rest = (scope: Record<string, unknown>) => JSON.stringify(Object.entries(scope).filter(([key]) => key !== 'text' && key !== 'earlierTexts'));
  return rest(last.scope) === rest(next.scope);
}

/** The OS user and host, read once; a system that cannot say (no passwd entry) records so. */
function whoAmI(): { osUser: string; host: string } {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    osUser = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { osUser, host: hostname() };
}

/** The default write: a connection of its own, waiting at most `busyMs` for the lock, closed after. */
function writeToArchive(archivePath: string, records: readonly ReviewRecord[], now: number, busyMs: number): void {
  const db = openArchiveDb(archivePath, { create: false });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyMs))}`);
    writeReviewBatch(db, records, now);
  } finally {
    db.close();
  }
}
