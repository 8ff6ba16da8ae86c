/**
 * Virtual time for running a client and the simulator together: quotas, lock periods and backoff
 * are enforced for real by the simulator, over real HTTP, but an hour of pacing takes no time.
 *
 * A discrete-event clock: sleeps are timers, and time moves only when no request is in flight, to
 * the earliest timer. (Adding each sleep to the clock would let one lane's wait move time while
 * another lane's request travels, so requests would "arrive" long after they were sent.) Give the
 * client `clock` (now + sleep) and `fetch` (so the clock knows what is in flight), and the
 * simulator the same object as its clock.
 */
export class DiscreteEventClock {
  private timers: { at: number; resolve: () => void }[] = [];
  private inflight = 0;
  private pumpScheduled = false;

  constructor(public time = Date.UTC(2026, 5, 2)) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    return new Promise((resolve) => {
      this.timers.push({ at: this.time + Math.max(0, Math.ceil(ms)), resolve });
      this.schedulePump();
    });
  }

  /** A fetch that tells the clock when requests are in flight. */
  readonly fetch: typeof fetch = (input, init) => {
    this.inflight += 1;
    return fetch(input, init).finally(() => {
      this.inflight -= 1;
      this.schedulePump();
    });
  };

  /** Real work (a file written to disk) the clock waits for, like a request in flight. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.inflight += 1;
    try {
      return await work();
    } finally {
      this.inflight -= 1;
      this.schedulePump();
    }
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // After the current synchronous work and its microtasks: whatever can start a request has.
    setImmediate(() => {
      this.pumpScheduled = false;
      if (this.inflight > 0 || this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) return;
      this.time = Math.max(this.time, next.at);
      next.resolve();
      if (this.timers.length > 0) this.schedulePump();
    });
  }
}
