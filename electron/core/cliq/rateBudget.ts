import { VaultError } from '../../../shared/errors';
import type { Clock } from '../util/clock';
import type { Family, FamilyLimit } from './families';

/** Where 429 locks survive a restart (the archive's `rate_locks` table). */
export interface RateLockStore {
  loadLocks(): { family: string; lockedUntil: number }[];
  saveLock(family: string, lockedUntil: number, reason: string): void;
}

export interface RateBudgetOptions {
  limits: Record<Family, FamilyLimit>;
  clock: Clock;
  store?: RateLockStore | undefined;
  /**
   * Extra width of the pacing window. Cliq counts a request when it arrives, we count it when we send
   * it; latency varies, so two sends exactly 60 s apart can arrive 59.9 s apart. A one-second margin
   * keeps every arrival-time minute under the threshold, whether Cliq's window is fixed or sliding.
   */
  marginMs?: number;
  /** Longest wait for a 429 lock before giving up on the family (the run then ends partial). */
  maxLockWaitMs?: number | undefined;
}

const windowMs = 60_000;

/**
 * Paces requests per endpoint family so the documented per-minute thresholds are never exceeded.
 *
 * A sliding log of send times per family: a request goes out only when fewer than `perMinute` were
 * sent in the last minute (+ margin). If every sliding minute holds at most N sends, so does every
 * fixed minute, so this is safe for either window Cliq might use.
 */
export class RateBudget {
  private readonly sent = new Map<Family, number[]>();
  private readonly locks = new Map<Family, number>();
  private readonly marginMs: number;
  private readonly maxLockWaitMs: number;
  private readonly counts = new Map<Family, number>();
  private readonly rateLimited = new Map<Family, number>();

  constructor(private readonly options: RateBudgetOptions) {
    this.marginMs = options.marginMs ?? 1_000;
    this.maxLockWaitMs = options.maxLockWaitMs ?? 15 * 60_000;
    const now = options.clock.now();
    for (const lock of options.store?.loadLocks() ?? []) {
      if (lock.lockedUntil > now && lock.family in options.limits) this.locks.set(lock.family as Family, lock.lockedUntil);
    }
  }

  /** Waits until `family` may send one request, then records it as sent. */
  async acquire(family: Family, signal?: AbortSignal): Promise<void> {
    const { clock } = this.options;
    for (;;) {
      const now = clock.now();
      const lockedUntil = this.locks.get(family) ?? 0;
      if (lockedUntil > now) {
        const wait = lockedUntil - now;
        if (wait > this.maxLockWaitMs) {
          throw new VaultError('RATE_LIMITED', `Cliq rate-limited "${family}" until ${new Date(lockedUntil).toISOString()}.`, {
            hint: 'Nothing is lost: the next sync resumes where this one stopped. Run it after that time.',
          });
        }
        await clock.sleep(wait, signal);
        continue;
      }
      const wait = this.slotWait(family, now);
      if (wait <= 0) {
        this.log(family).push(now);
        this.counts.set(family, (this.counts.get(family) ?? 0) + 1);
        return;
      }
      await clock.sleep(wait, signal);
    }
  }

  /** Records a 429: stops the family for its lock period (or longer if the server says so) and persists it. */
  lock(family: Family, retryAfterMs?: number): number {
    const now = this.options.clock.now();
    const until = now + Math.max(this.options.limits[family].lockMs, retryAfterMs ?? 0);
    this.locks.set(family, Math.max(until, this.locks.get(family) ?? 0));
    this.rateLimited.set(family, (this.rateLimited.get(family) ?? 0) + 1);
    this.options.store?.saveLock(family, until, 'HTTP 429');
    return until;
  }

  lockedUntil(family: Family): number | undefined {
    const until = this.locks.get(family);
    return until !== undefined && until > this.options.clock.now() ? until : undefined;
  }

  /** Requests sent per family since this budget was created (retries included). */
  callCounts(): Partial<Record<Family, number>> {
    return Object.fromEntries(this.counts);
  }

  rateLimitedCounts(): Partial<Record<Family, number>> {
    return Object.fromEntries(this.rateLimited);
  }

  /** How long until `family` may send one more request (0: at once), its lock included. */
  readyInMs(family: Family): number {
    const now = this.options.clock.now();
    return Math.max(0, (this.locks.get(family) ?? 0) - now, this.slotWait(family, now));
  }

  /** Estimated time until `calls` more requests of `family` have been sent, at the allowed pace. */
  estimateMs(family: Family, calls: number): number {
    if (calls <= 0) return 0;
    const now = this.options.clock.now();
    const limit = this.limit(family);
    const lockWait = Math.max(0, (this.locks.get(family) ?? 0) - now);
    const free = Math.max(0, limit - this.recent(family, now).length);
    if (calls <= free) return lockWait;
    const windows = Math.ceil((calls - free) / limit);
    return lockWait + windows * (windowMs + this.marginMs);
  }

  private slotWait(family: Family, now: number): number {
    const limit = this.limit(family);
    const recent = this.recent(family, now);
    if (recent.length < limit) return 0;
    // With L sends in the window, the (L - limit)th must leave it before one more fits.
    const oldest = recent[recent.length - limit] ?? now;
    return oldest + windowMs + this.marginMs - now;
  }

  /** How many requests of `family` may be sent in one minute (its effective quota). */
  perMinute(family: Family): number {
    return this.limit(family);
  }

  private limit(family: Family): number {
    return Math.max(1, Math.floor(this.options.limits[family].perMinute));
  }

  private recent(family: Family, now: number): number[] {
    const log = this.log(family);
    const horizon = now - windowMs - this.marginMs;
    let drop = 0;
    while (drop < log.length && (log[drop] ?? 0) <= horizon) drop++;
    if (drop > 0) log.splice(0, drop);
    return log;
  }

  private log(family: Family): number[] {
    let log = this.sent.get(family);
    if (!log) {
      log = [];
      this.sent.set(family, log);
    }
    return log;
  }
}
