import { describe, expect, it } from 'vitest';
import { effectiveLimits, families } from '../../../electron/core/cliq/families';
import { RateBudget, type RateLockStore } from '../../../electron/core/cliq/rateBudget';
import { VirtualClock } from '../../helpers/virtualClock';

function memoryStore(): RateLockStore & { locks: Map<string, number> } {
  const locks = new Map<string, number>();
  return { locks, loadLocks: () => [...locks].map(([family, lockedUntil]) => ({ family, lockedUntil })), saveLock: (f, until) => void locks.set(f, until) };
}

/** The most requests in any window of `width` ms (every window that starts at a send). */
function maxInWindow(times: number[], width: number): number {
  let max = 0;
  for (const start of times) max = Math.max(max, times.filter((t) => t >= start && t < start + width).length);
  return max;
}

describe('RateBudget', () => {
  it('never lets more than the documented threshold through in any 60-second window', async () => {
    const clock = new VirtualClock();
    const budget = new RateBudget({ limits: effectiveLimits(), clock });
    const sent: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      await budget.acquire('messages.list');
      sent.push(clock.now());
    }
    expect(families['messages.list'].perMinute).toBe(15);
    expect(maxInWindow(sent, 60_000)).toBeLessThanOrEqual(15);
    // Also under a fixed minute grid, whatever its phase.
    for (const phase of [0, 17_000, 45_500]) {
      const buckets = new Map<number, number>();
      for (const t of sent) buckets.set(Math.floor((t - phase) / 60_000), (buckets.get(Math.floor((t - phase) / 60_000)) ?? 0) + 1);
      expect(Math.max(...buckets.values())).toBeLessThanOrEqual(15);
    }
    // And it is not needlessly slow: 100 calls at 15/min need 6 full windows of waiting.
    expect((sent.at(-1) ?? 0) - (sent[0] ?? 0)).toBeLessThanOrEqual(7 * 61_000);
    expect(budget.callCounts()['messages.list']).toBe(100);
  });

  it('paces families independently', async () => {
    const clock = new VirtualClock();
    const budget = new RateBudget({ limits: effectiveLimits(), clock });
    for (let i = 0; i < 10; i += 1) await budget.acquire('maint.messages');
    const before = clock.now();
    await budget.acquire('users.list');
    expect(clock.now()).toBe(before);
  });

  it('applies quotaScale to thresholds and lock periods, and per-family overrides', () => {
    const limits = effectiveLimits({ 'maint.messages': { perMinute: 6, lockMs: 120_000 } }, 10);
    expect(limits['maint.messages']).toEqual({ perMinute: 60, lockMs: 12_000 });
    expect(limits['users.list']).toEqual({ perMinute: 300, lockMs: 60_000 });
  });

  it('rounds a scaled threshold down to whole calls, as the server counts them, and never below one', () => {
    expect(effectiveLimits({}, 0.55)['maint.messages'].perMinute).toBe(5);
    expect(effectiveLimits({}, 0.01)['maint.messages'].perMinute).toBe(1);
  });

  it('stops a family for its lock period after a 429, persists the lock, and a new budget honours it', async () => {
    const clock = new VirtualClock();
    const store = memoryStore();
    const budget = new RateBudget({ limits: effectiveLimits(), clock, store });
    const until = budget.lock('maint.members');
    expect(until).toBe(clock.now() + 600_000);
    expect(store.locks.get('maint.members')).toBe(until);

    const restarted = new RateBudget({ limits: effectiveLimits(), clock, store });
    expect(restarted.lockedUntil('maint.members')).toBe(until);
    await restarted.acquire('maint.members');
    expect(clock.now()).toBe(until);
    expect(restarted.rateLimitedCounts()).toEqual({});
    expect(budget.rateLimitedCounts()).toEqual({ 'maint.members': 1 });
  });

  it('takes a longer Retry-After over the lock period', () => {
    const clock = new VirtualClock();
    const budget = new RateBudget({ limits: effectiveLimits(), clock });
    expect(budget.lock('users.list', 900_000)).toBe(clock.now() + 900_000);
  });

  it('gives up with RATE_LIMITED when a lock outlasts maxLockWaitMs, without sending', async () => {
    const clock = new VirtualClock();
    const budget = new RateBudget({ limits: effectiveLimits(), clock, maxLockWaitMs: 60_000 });
    budget.lock('maint.messages');
    await expect(budget.acquire('maint.messages')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(budget.callCounts()['maint.messages']).toBeUndefined();
  });

  it('estimates the time left from the pace', async () => {
    const clock = new VirtualClock();
    const budget = new RateBudget({ limits: effectiveLimits(), clock });
    expect(budget.estimateMs('maint.messages', 10)).toBe(0);
    expect(budget.estimateMs('maint.messages', 25)).toBe(2 * 61_000);
    await budget.acquire('maint.messages');
    expect(budget.estimateMs('maint.messages', 9)).toBe(0);
    budget.lock('maint.messages');
    expect(budget.estimateMs('maint.messages', 1)).toBe(600_000);
  });
});
