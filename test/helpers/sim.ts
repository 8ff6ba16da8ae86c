import { afterEach } from 'vitest';
import type { Connection, Runtime } from '../../electron/core/createCore';
import type { Clock } from '../../electron/core/util/clock';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../../electron/simulator';

/**
 * Virtual time shared by the client (which sleeps on it) and the simulator (which reads it), so
 * quotas and 10-minute locks are enforced for real by the simulator, over real HTTP, in no time.
 *
 * A discrete-event clock: sleeps are timers, and time moves only when no request is in flight, to
 * the earliest timer. (Adding each sleep to the clock would let one lane's wait move time while
 * another lane's request travels, so requests would "arrive" long after they were sent.)
 */
export class SharedVirtualClock implements Clock {
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

  /** A fetch that tells the clock when requests are in flight. Give it to the client. */
  readonly fetch: typeof fetch = (input, init) => {
    this.inflight += 1;
    return fetch(input, init).finally(() => {
      this.inflight -= 1;
      this.schedulePump();
    });
  };

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

/** Starts simulators and closes them after each test. */
export function useSimulators(): (options?: SimulatorOptionsInput) => Promise<RunningSimulator> {
  const running: RunningSimulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sim) => sim.close()));
  });
  return async (options = {}) => {
    const sim = await startSimulator({ scale: 'small', quotaScale: 1_000, ...options });
    running.push(sim);
    return sim;
  };
}

/** A connection to `sim` as the admin, quotas scaled like the simulator's unless told otherwise. */
export function connectionTo(sim: RunningSimulator, overrides: Partial<Connection> = {}): Connection {
  return {
    endpoints: { apiBase: sim.apiBase, accountsBase: sim.accountsBase, dataCentre: 'custom', network: undefined },
    credentials: sim.admin,
    quotaScale: sim.options().quotaScale,
    ...overrides,
  };
}

/** Runtime options for a client sharing `clock` with the simulator. */
export function virtualRuntime(clock: SharedVirtualClock): Runtime {
  return { clock, fetch: clock.fetch, random: () => 0.5 };
}
