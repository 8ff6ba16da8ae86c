import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { EventName, EventPayloads, OperationName, RequestOf, ResponseOf, Result } from '../../shared/contract';
import type { AppService } from '../../electron/core/app/appService';
import { confSettingsStore } from '../../electron/core/app/confSettings';
import { createAppService } from '../../electron/core/app/createAppService';
import { memorySecretStore } from '../../electron/core/app/memorySecrets';
import type { DemoOrg } from '../../electron/core/app/ports';
import type { ReviewTimers } from '../../electron/core/review';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../../electron/simulator';
import { DemoClock, replayDemoDays } from '../../electron/simulator/demoDays';
import { defaultNow } from '../../electron/simulator/options';

export interface TestApp {
  service: AppService;
  dir: string;
  /** The demo simulator, once connect:demo started it. */
  sim(): RunningSimulator | undefined;
  /** The demo day the app last asked the demo org to reach (it moves only with `demoDays`). */
  demoDayAsked(): number | undefined;
  call<N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>>;
  raw(name: string, request: unknown): Promise<Result<unknown>>;
  next<E extends EventName>(event: E, match?: (payload: EventPayloads[E]) => boolean): Promise<EventPayloads[E]>;
}

/**
 * The app service as `serve` composes it (conf settings file in a temp folder, secrets in memory),
 * with the demo org served by a real simulator over HTTP (tiny unless told otherwise).
 */
export function useTestApps(): (dir: string, demo?: SimulatorOptionsInput, options?: TestAppOptions) => TestApp {
  const open: { service: AppService }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map(({ service }) => service.close()));
  });
  return (dir, demoOptions = {}, options = {}) => {
    const app = createTestApp(dir, demoOptions, options);
    open.push(app);
    return app;
  };
}

/** One test app (see useTestApps), for a caller that closes it itself (`service.close()`). */
export interface TestAppOptions {
  /**
   * Whether the demo org has its days of activity between syncs, as the real one does
   * (simulator/demoDays.ts). Off by default: most tests compare one sync with the next.
   */
  demoDays?: boolean;
  /** The archive `serve --archive` would open, whatever the profiles say. */
  archiveOverride?: string;
  /** The review log's timers, driven by the test. */
  reviewTimers?: ReviewTimers;
}

export function createTestApp(dir: string, demoOptions: SimulatorOptionsInput = {}, options: TestAppOptions = {}): TestApp {
  let simulator: RunningSimulator | undefined;
  let dayAsked: number | undefined;
  const service = createAppService({
    settings: confSettingsStore({ dir: join(dir, 'config') }),
    secrets: memorySecretStore(),
    ...(options.archiveOverride !== undefined ? { archiveOverride: options.archiveOverride } : {}),
    ...(options.reviewTimers !== undefined ? { reviewTimers: options.reviewTimers } : {}),
    host: {
      shell: 'browser',
      defaultArchiveDir: join(dir, 'archives'),
      runsScheduleInApp: false,
      startDemo: async (): Promise<DemoOrg> => {
        const quotaScale = 1_000;
        const clock = new DemoClock();
        simulator = await startSimulator({ scale: 'tiny', seed: 1, quotaScale, clock, ...demoOptions });
        const sim = simulator;
        let day = 0;
        const catchUp = (wanted: number) => {
          dayAsked = wanted;
          if (options.demoDays !== true || wanted <= day) return;
          replayDemoDays(sim, clock, defaultNow, day, wanted);
          day = wanted;
        };
        return { apiBase: sim.apiBase, accountsBase: sim.accountsBase, ...sim.admin, quotaScale: sim.options().quotaScale, catchUp, close: () => sim.close() };
      },
    },
  });
  const app: TestApp = {
    service,
    dir,
    sim: () => simulator,
    demoDayAsked: () => dayAsked,
    async call(name, request) {
      const result = await service.dispatch(name, request);
      if (!result.ok) throw Object.assign(new Error(`${name}: ${result.error.code} ${result.error.message}`), { shape: result.error });
      return result.value as never;
    },
    raw: (name, request) => service.dispatch(name, request),
    next: (event, match) =>
      new Promise((resolvePromise) => {
        const off = service.on((name: EventName, payload) => {
          if (name !== event) return;
          const typed = payload as EventPayloads[typeof event];
          if (match && !match(typed)) return;
          off();
          resolvePromise(typed);
        });
      }),
  };
  return app;
}
