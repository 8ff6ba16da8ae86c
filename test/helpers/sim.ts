import { afterEach } from 'vitest';
import type { Connection, Runtime } from '../../electron/core/createCore';
import type { Clock } from '../../electron/core/util/clock';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../../electron/simulator';

/**
 * Virtual time shared by the client (which sleeps by moving it) and the simulator (which reads it):
 * quotas and 10-minute locks are enforced for real by the simulator, over real HTTP, in virtual time.
 */
export class SharedVirtualClock implements Clock {
  constructor(public time = Date.UTC(2026, 5, 2)) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    this.time += Math.max(0, Math.ceil(ms));
    return Promise.resolve();
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
  return { clock, random: () => 0.5 };
}
