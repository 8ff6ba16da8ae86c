import { defaultQuotas, type ApiFamily, type FamilyQuota } from '../families';

/**
 * Cliq's per-user, per-endpoint quotas (docs/cliq-api.md §5.1, §10.4): over the threshold within a minute the
 * request gets 429 and the (user, family) key is locked for the lock period — every call during the
 * lock gets 429 too, even once the minute has rolled over. Calls during a lock do not extend it (a
 * simulator choice; the seeds do not say).
 *
 * Keys are independent: exhausting MS1 leaves C1 and U1 alone (§10.4).
 */

export interface RateSettings {
  rateLimitsEnabled: boolean;
  quotaScale: number;
  rateWindow: 'fixed' | 'sliding';
  /** Overrides as options.ts parses them: a family or field left out (or undefined) keeps the default. */
  quotas: Partial<Record<ApiFamily, { perMinute?: number | undefined; lockMs?: number | undefined }>>;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

interface KeyState {
  /** Fixed window: the minute (floor(now / 60 s)) the count belongs to. */
  minute: number;
  count: number;
  /** Sliding window: times of the calls in the last 60 s. */
  hits: number[];
  lockedUntil: number;
}

const MINUTE = 60_000;

export function effectiveQuota(family: ApiFamily, settings: RateSettings): FamilyQuota {
  const base = defaultQuotas[family];
  const override = settings.quotas[family] ?? {};
  return {
    perMinute: Math.max(1, Math.floor((override.perMinute ?? base.perMinute) * settings.quotaScale)),
    lockMs: (override.lockMs ?? base.lockMs) / settings.quotaScale,
  };
}

export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();

  check(user: string, family: ApiFamily, now: number, settings: RateSettings): RateDecision {
    if (!settings.rateLimitsEnabled) return { ok: true };
    const quota = effectiveQuota(family, settings);
    const key = `${user} ${family}`;
    let state = this.keys.get(key);
    if (!state) {
      state = { minute: -1, count: 0, hits: [], lockedUntil: 0 };
      this.keys.set(key, state);
    }
    if (now < state.lockedUntil) return { ok: false, retryAfterMs: state.lockedUntil - now };
    if (state.lockedUntil > 0) {
      // The lock has run out: start afresh.
      state.lockedUntil = 0;
      state.count = 0;
      state.hits = [];
    }
    let used: number;
    if (settings.rateWindow === 'fixed') {
      const minute = Math.floor(now / MINUTE);
      if (minute !== state.minute) {
        state.minute = minute;
        state.count = 0;
      }
      used = ++state.count;
    } else {
      state.hits = state.hits.filter((t) => t > now - MINUTE);
      state.hits.push(now);
      used = state.hits.length;
    }
    if (used > quota.perMinute) {
      state.lockedUntil = now + quota.lockMs;
      return { ok: false, retryAfterMs: quota.lockMs };
    }
    return { ok: true };
  }

  reset(): void {
    this.keys.clear();
  }
}
