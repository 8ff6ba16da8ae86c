import type { Clock } from '../../electron/core/util/clock';

/**
 * A clock whose sleeps complete at once by moving virtual time forward: code that paces or backs
 * off runs in microseconds, and tests read exactly when each step happened. No wall-clock time.
 */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    return Promise.resolve();
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
