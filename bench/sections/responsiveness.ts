import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Result } from '../../shared/contract';
import type { AppService } from '../../electron/core/app/appService';
import { confSettingsStore } from '../../electron/core/app/confSettings';
import { createAppService } from '../../electron/core/app/createAppService';
import { serveWorkerConfig } from '../../electron/core/app/host/protocol';
import { createServicePool } from '../../electron/core/app/host/servicePool';
import { workerThreadSpawner } from '../../electron/core/app/host/workerThreads';
import { memorySecretStore } from '../../electron/core/app/memorySecrets';
import { silentLogger } from '../../electron/core/util/log';
import type { Row } from '../results';

const workerEntry = resolve('dist/cli/appServiceWorker.mjs');

/**
 * How responsive the app stays while it works: `archive:verify` (every row hash of the archive) is
 * started, and `app:info` is asked again and again until the verify answers. The longest app:info
 * wait is compared with the verify's own duration. In workers (as `serve` and the desktop app run
 * the service now) it should be a few milliseconds; in one thread (as before) it is the whole verify,
 * which the second row measures in the same run.
 */
export async function benchResponsiveness(archivePath: string): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-resp-'));
  try {
    const pool = createServicePool({
      spawn: workerThreadSpawner(pathToFileURL(workerEntry)),
      config: { ...serveWorkerConfig({ settingsDir: join(dir, 'config'), archiveOverride: archivePath, defaultArchiveDir: join(dir, 'archives'), logLevel: 'error' }), demo: false },
      secrets: memorySecretStore(),
      host: {},
      log: silentLogger,
    });
    pool.start();
    let workers: Measured;
    try {
      // Warm: both workers up and the archive open in the one that will answer app:info.
      await pool.dispatch('app:info', {});
      workers = await measure(pool);
    } finally {
      await pool.close();
    }
    const inProcess = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'config') }),
      secrets: memorySecretStore(),
      host: { shell: 'browser', defaultArchiveDir: dir, runsScheduleInApp: false },
      archiveOverride: archivePath,
    });
    let oneThread: Measured;
    try {
      await inProcess.dispatch('app:info', {});
      oneThread = await measure(inProcess);
    } finally {
      await inProcess.close();
    }
    const ratio = workers.longestMs / workers.verifyMs;
    return [
      {
        section: 'ui',
        measure: `longest app:info wait while archive:verify runs, app service in workers (${workers.asked} asked; verify ${(workers.verifyMs / 1000).toFixed(1)} s)`,
        figure: workers.longestMs,
        unit: 'ms',
        target: '≤ 5% of the verify',
        limit: { figure: workers.verifyMs, label: 'ms of archive:verify' },
        ratio,
        pass: ratio <= 0.05,
      },
      {
        section: 'ui',
        measure: `the same in one thread, as before the workers (${oneThread.asked} asked; verify ${(oneThread.verifyMs / 1000).toFixed(1)} s)`,
        figure: oneThread.longestMs,
        unit: 'ms',
        target: '',
        limit: { figure: oneThread.verifyMs, label: 'ms of archive:verify' },
        ratio: oneThread.longestMs / oneThread.verifyMs,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Measured {
  longestMs: number;
  verifyMs: number;
  asked: number;
}

/**
 * A request is wanted every few milliseconds; its wait runs from when it was wanted (as a click
 * would be) to its answer, so a thread busy with the verify cannot hide the wait by not sending.
 */
async function measure(service: Pick<AppService, 'dispatch'>): Promise<Measured> {
  const gapMs = 5;
  const sleep = (ms: number) => new Promise((resolveTick) => setTimeout(resolveTick, ms));
  let started = NaN;
  let verifyMs = NaN;
  const state = { done: false };
  // Started from a timer, after the first request is already wanted: in one thread the verify then
  // runs between that wish and its answer, as it would between a click and its reply.
  const verify = sleep(0)
    .then(() => {
      started = performance.now();
      return service.dispatch('archive:verify', {});
    })
    .then((result: Result<unknown>) => {
      verifyMs = performance.now() - started;
      state.done = true;
      if (!result.ok) throw new Error(`archive:verify failed: ${result.error.message}`);
    });
  let longestMs = 0;
  let asked = 0;
  do {
    const wanted = performance.now();
    await sleep(gapMs);
    const info = await service.dispatch('app:info', {});
    if (!info.ok) throw new Error(`app:info failed: ${info.error.message}`);
    longestMs = Math.max(longestMs, performance.now() - wanted - gapMs);
    asked++;
  } while (!state.done);
  await verify;
  return { longestMs, verifyMs, asked };
}
