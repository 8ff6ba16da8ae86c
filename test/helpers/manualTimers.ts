import type { ReviewTimers } from '../../electron/core/review';

/** A clock and timers moved by hand (the review log's quiet time and retries, without sleeping). */
export function manualTime(start = 1_000_000) {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { due: number; fn: () => void }>();
  const api: ReviewTimers = {
    set: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { due: now + ms, fn });
      return id;
    },
    clear: (handle) => {
      timers.delete(handle as number);
    },
  };
  return {
    clock: { now: () => now },
    timers: api,
    /** Moves time on by `ms`, firing each timer that falls due, in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...timers.entries()].sort((a, b) => a[1].due - b[1].due)[0];
        if (!next || next[1].due > end) break;
        timers.delete(next[0]);
        now = next[1].due;
        next[1].fn();
      }
      now = end;
    },
    /** Fires every armed timer now, whatever its due time. */
    fireAll() {
      for (const [id, timer] of [...timers.entries()]) {
        timers.delete(id);
        timer.fn();
      }
    },
    armed: () => timers.size,
  };
}
