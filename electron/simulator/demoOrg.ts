import { DemoClock, replayDemoDays, type DemoDay } from './demoDays';
import { startSimulator, type RunningSimulator } from './index';
import { defaultNow, type SimulatorOptionsInput } from './options';

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
  /** The days of activity applied so far (demoDays.ts). */
  day(): number;
  /**
   * Brings the org to day `day` (an archive with n sync runs was last synced at day n - 1, so a
   * sync of it catches up to day n). Never goes back: a later day than asked is kept.
   */
  catchUp(day: number): DemoDay[];
  close(): Promise<void>;
}

export async function startDemoOrg(options: Partial<Pick<SimulatorOptionsInput, 'seed' | 'scale'>> = {}): Promise<DemoOrgHandle> {
  const clock = new DemoClock();
  const simulator = await startSimulator({ seed: options.seed ?? 1, scale: options.scale ?? 'small', quotaScale: demoQuotaScale, clock });
  let current = 0;
  return {
    apiBase: simulator.apiBase,
    accountsBase: simulator.accountsBase,
    ...simulator.admin,
    quotaScale: demoQuotaScale,
    simulator,
    day: () => current,
    catchUp(day) {
      const applied = replayDemoDays(simulator, clock, defaultNow, current, day);
      current = Math.max(current, day);
      return applied;
    },
    close: () => simulator.close(),
  };
}
