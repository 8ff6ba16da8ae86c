import { startSimulator, type RunningSimulator } from './index';
import type { SimulatorOptionsInput } from './options';

/**
 * The demo org's quotas are scaled by this factor (the simulator's and the client's alike), so the
 * demo shows real pacing and still finishes in seconds. A real org runs at the documented rates.
 */
export const demoQuotaScale = 60;

/** The built-in demo org as the app and `cliq-vault demo` use it: seed 1, small, quotas ×60. */
export interface DemoOrgHandle {
  apiBase: string;
  accountsBase: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  quotaScale: number;
  simulator: RunningSimulator;
  close(): Promise<void>;
}

export async function startDemoOrg(options: Partial<Pick<SimulatorOptionsInput, 'seed' | 'scale'>> = {}): Promise<DemoOrgHandle> {
  const simulator = await startSimulator({ seed: options.seed ?? 1, scale: options.scale ?? 'small', quotaScale: demoQuotaScale });
  return {
    apiBase: simulator.apiBase,
    accountsBase: simulator.accountsBase,
    ...simulator.admin,
    quotaScale: demoQuotaScale,
    simulator,
    close: () => simulator.close(),
  };
}
