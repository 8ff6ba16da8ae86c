import { afterEach } from 'vitest';
import { exchangeGrantCode } from '../../electron/core/cliq/oauth';
import type { Connection, Runtime } from '../../electron/core/createCore';
import { startSimulator, type DiscreteEventClock, type RunningSimulator, type SimulatorOptionsInput } from '../../electron/simulator';

/** Virtual time shared by client and simulator (see electron/simulator/virtualTime.ts). */
export { DiscreteEventClock as SharedVirtualClock } from '../../electron/simulator';

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
export function virtualRuntime(clock: DiscreteEventClock): Runtime {
  return { clock, fetch: clock.fetch, random: () => 0.5 };
}

/** The admin's credentials with a refresh token granted exactly `scopes` (their Self Client). */
export async function grantedCredentials(sim: RunningSimulator, scopes: readonly string[]): Promise<Connection['credentials']> {
  const client = { clientId: sim.admin.clientId, clientSecret: sim.admin.clientSecret };
  const { refreshToken } = await exchangeGrantCode({ accountsBase: sim.accountsBase, credentials: client, code: sim.issueGrantCode([...scopes]) });
  return { ...client, refreshToken };
}
