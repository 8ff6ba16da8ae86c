/** Time as the simulator sees it: token expiry, rate windows, locks and new-message times. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to. Tests use it to expire tokens and run past rate-limit locks
 * without sleeping.
 */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() takes a non-negative number of milliseconds');
    this.current += ms;
    return this.current;
  }
}

export function isClock(value: unknown): value is Clock {
  return typeof value === 'object' && value !== null && typeof (value as { now?: unknown }).now === 'function';
}
