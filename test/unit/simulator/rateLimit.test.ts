import { describe, expect, it } from 'vitest';
import { effectiveQuota, RateLimiter, type RateSettings } from '../../../electron/simulator/http/rateLimit';

const MINUTE = 60_000;
const base: RateSettings = { rateLimitsEnabled: true, quotaScale: 1, rateWindow: 'fixed', quotas: {} };

function burst(limiter: RateLimiter, n: number, at: number, settings: RateSettings = base, family: 'messages.list' | 'channels.list' = 'messages.list', user = 'u1'): boolean[] {
  return Array.from({ length: n }, () => limiter.check(user, family, at, settings).ok);
}

describe('rate limiter', () => {
  it('allows the documented threshold per minute, then 429s (MS1: 15/min)', () => {
    const limiter = new RateLimiter();
    const t0 = 10 * MINUTE;
    expect(burst(limiter, 15, t0).every(Boolean)).toBe(true);
    expect(limiter.check('u1', 'messages.list', t0 + 1, base)).toEqual({ ok: false, retryAfterMs: 600_000 });
  });

  it('keeps the key locked for the lock period, past the end of the minute', () => {
    const limiter = new RateLimiter();
    const t0 = 10 * MINUTE;
    burst(limiter, 16, t0);
    expect(limiter.check('u1', 'messages.list', t0 + MINUTE + 1, base).ok).toBe(false);
    expect(limiter.check('u1', 'messages.list', t0 + 9 * MINUTE, base).ok).toBe(false);
    const after = t0 + 10 * MINUTE;
    expect(burst(limiter, 15, after).every(Boolean)).toBe(true);
    expect(limiter.check('u1', 'messages.list', after, base).ok).toBe(false);
  });

  it('fixed window: the count resets at the minute boundary', () => {
    const limiter = new RateLimiter();
    const end = 11 * MINUTE - 1;
    expect(burst(limiter, 15, end).every(Boolean)).toBe(true);
    expect(burst(limiter, 15, end + 1).every(Boolean)).toBe(true);
  });

  it('sliding window: calls count for 60 s from when they were made', () => {
    const limiter = new RateLimiter();
    const settings = { ...base, rateWindow: 'sliding' as const };
    const end = 11 * MINUTE - 1;
    expect(burst(limiter, 15, end, settings).every(Boolean)).toBe(true);
    expect(limiter.check('u1', 'messages.list', end + 1, settings).ok).toBe(false);
    const limiter2 = new RateLimiter();
    burst(limiter2, 15, 0, settings);
    expect(limiter2.check('u1', 'messages.list', MINUTE, settings).ok).toBe(true);
  });

  it('keeps keys independent per family and per user', () => {
    const limiter = new RateLimiter();
    burst(limiter, 16, 0);
    expect(limiter.check('u1', 'channels.list', 0, base).ok).toBe(true);
    expect(limiter.check('u2', 'messages.list', 0, base).ok).toBe(true);
  });

  it('quotaScale multiplies thresholds and divides locks; overrides and the off switch apply', () => {
    expect(effectiveQuota('messages.list', { ...base, quotaScale: 10 })).toEqual({ perMinute: 150, lockMs: 60_000 });
    expect(effectiveQuota('maint.messages', base)).toEqual({ perMinute: 10, lockMs: 600_000 });
    expect(effectiveQuota('maint.messages', { ...base, quotas: { 'maint.messages': { perMinute: 2 } } })).toEqual({ perMinute: 2, lockMs: 600_000 });
    const limiter = new RateLimiter();
    const scaled = { ...base, quotaScale: 10 };
    expect(burst(limiter, 150, 0, scaled).every(Boolean)).toBe(true);
    expect(limiter.check('u1', 'messages.list', 0, scaled).ok).toBe(false);
    expect(limiter.check('u1', 'messages.list', 60_000, scaled).ok).toBe(true);
    expect(burst(new RateLimiter(), 1000, 0, { ...base, rateLimitsEnabled: false }).every(Boolean)).toBe(true);
  });
});
