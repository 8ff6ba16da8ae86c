import { effectiveLimits } from '../../electron/core/cliq/families';
import { CliqHttp } from '../../electron/core/cliq/http';
import { RateBudget } from '../../electron/core/cliq/rateBudget';
import { silentLogger } from '../../electron/core/util/log';
import { VirtualClock } from './virtualClock';

/** A CliqHttp whose requests go to `fetchImpl` (a scripted server), on virtual time, with a fixed token. */
export function scriptedHttp(apiBase: string, fetchImpl: typeof fetch): CliqHttp {
  const clock = new VirtualClock();
  return new CliqHttp({
    endpoints: { apiBase, accountsBase: 'https://accounts.test', dataCentre: 'custom', network: undefined },
    tokens: { accessToken: () => Promise.resolve('secret'), invalidate: () => undefined },
    budget: new RateBudget({ limits: effectiveLimits({}, 1), clock }),
    clock,
    log: silentLogger,
    fetch: fetchImpl,
    retry: { maxAttempts: 2, baseMs: 1, capMs: 1 },
    random: () => 0,
  });
}
