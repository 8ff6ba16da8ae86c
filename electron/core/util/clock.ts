import { VaultError } from '../../../shared/errors';

/**
 * Time as the core sees it. Injected so the rate budgeter, backoff and sync can be tested with a
 * manual clock, without sleeping and without asserting on wall-clock time.
 *
 * IMPORTANT: this module is the only place in electron/core that reads the system time (an ESLint
 * rule refuses `Date.now` and `new Date()` elsewhere). Code that only tells the time (the archive,
 * backups, audit bundles) takes `Pick<Clock, 'now'>`: any Clock, or a test's `{ now: () => t }`.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with CANCELLED when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Runs real work (disk I/O) that a simulated clock must wait for before it moves time on: a
   * virtual clock (the simulator's DiscreteEventClock) jumps to its next timer whenever nothing it
   * knows of is in flight. The work must not sleep on this clock. The system clock just runs it.
   */
  hold?<T>(work: () => Promise<T>): Promise<T>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function cancelled(): VaultError {
  return new VaultError('CANCELLED', 'Cancelled.');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}
