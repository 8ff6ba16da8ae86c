import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RunsRepo } from '../../archive/runsRepo';
import { syncArchive } from '../../createCore';
import { filesOptionsOf } from '../../sync';
import { readOnlyArchive, type AppContext } from '../context';
import type { Handlers } from '../dispatch';
import type { JobRunner, RunningJob } from '../jobRunner';
import type { Profiles } from '../profiles';
import { planSync } from '../syncPlan';

/** The core's hints name CLI commands; in the app the way back is the Connect screen. */
const appAuthHints: Partial<Record<string, string>> = {
  AUTH_INVALID_GRANT: 'Re-authorise: the refresh token was revoked or has expired. Connect the org again on the Connect screen with a new self-client grant code.',
  AUTH_MISSING_CREDENTIALS: 'Connect the org again on the Connect screen.',
  AUTH_REJECTED: 'Check the client id and secret, then connect the org again on the Connect screen.',
};

/** Starts a sync of the active org's archive as a job: the Sync screen's button and the schedule. */
export function startSync(ctx: AppContext, profiles: Profiles, jobs: JobRunner<'sync'>, full: boolean): RunningJob<'sync'> {
  jobs.assertIdle();
  const path = ctx.archivePath();
  // Never another org's sync into an archive `serve --archive` opened to read.
  if (ctx.archiveReadOnly()) throw readOnlyArchive(path);
  return jobs.start(async (signal, onProgress) => {
    const connection = await profiles.activeConnection();
    mkdirSync(dirname(path), { recursive: true });
    const settings = ctx.settings();
    const report = await syncArchive(path, connection, { full, signal, onProgress, ...filesOptionsOf(settings.files), reactionsPerRun: settings.reactionsPerRun }, ctx.runtime);
    const hint = report.fatal ? appAuthHints[report.fatal.code] : undefined;
    if (report.fatal && hint) report.fatal = { ...report.fatal, hint };
    return { report };
  });
}

/** The sync's plan, its job (start, cancel, status) and its past runs. */
export function syncHandlers(ctx: AppContext, profiles: Profiles, jobs: JobRunner<'sync'>): Pick<Handlers, 'sync:plan' | 'sync:start' | 'sync:cancel' | 'sync:status' | 'sync:runs'> {
  return {
    'sync:plan': async () => planSync(ctx.readerOrNull(), await profiles.activeConnection(), (connection) => profiles.adminCheck(connection), { policy: ctx.settings().files, now: ctx.clock.now() }),
    'sync:start': ({ full }) => ({ jobId: startSync(ctx, profiles, jobs, full).jobId }),
    'sync:cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'sync:status': () => jobs.status(),
    'sync:runs': ({ limit }) => {
      const db = ctx.readerOrNull();
      return db ? new RunsRepo(db).recent(limit) : [];
    },
  };
}
