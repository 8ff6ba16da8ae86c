import type { AppService, AppServiceDeps } from './appService';
import { createAttachmentFiles } from './attachmentFiles';
import { createAppContext } from './context';
import { createDispatch, type Handlers } from './dispatch';
import { auditHandlers } from './handlers/audit';
import { archiveHandlers } from './handlers/archive';
import { backupHandlers, backupNow } from './handlers/backup';
import { asOfHandlers } from './handlers/asOf';
import { changesHandlers } from './handlers/changes';
import { cipherHandlers } from './handlers/cipher';
import { connectHandlers } from './handlers/connect';
import { filesHandlers } from './handlers/files';
import { holdsHandlers } from './handlers/holds';
import { reviewSetsHandlers } from './handlers/reviewSets';
import { retentionHandlers } from './handlers/retention';
import { insightsHandlers } from './handlers/insights';
import { callsHandlers } from './handlers/calls';
import { reviewHandlers } from './handlers/review';
import { settingsHandlers } from './handlers/settings';
import { shellHandlers } from './handlers/shell';
import { startSync, syncHandlers } from './handlers/sync';
import { createJobRunner } from './jobRunner';
import { createProfiles } from './profiles';
import { createScheduledRun } from './scheduledRun';

/**
 * The app behind the contract (see AppService). Holds one read-only connection to the active
 * profile's archive for the screens, and runs sync, audit export and backup as the CLI does, on
 * connections of their own, so reads never wait for a sync. This is the composition: the shared
 * context, the connections to orgs, one job runner per kind of job, and the handlers per domain.
 */
export function createAppService(deps: AppServiceDeps): AppService {
  const ctx = createAppContext(deps);
  const profiles = createProfiles(ctx);
  const jobs = {
    sync: createJobRunner({ kind: 'sync', clock: ctx.clock, emit: ctx.emit, busyMessage: 'A sync is already running.' }),
    audit: createJobRunner({ kind: 'audit', clock: ctx.clock, emit: ctx.emit, busyMessage: 'An audit export is already running.' }),
  };
  const files = createAttachmentFiles(ctx);
  const schedule = createScheduledRun(ctx, { syncJobs: jobs.sync, startSync: () => startSync(ctx, profiles, jobs.sync, false), backup: () => backupNow(ctx) });

  // Typed as the whole mapped type: an operation of the contract without a handler does not compile.
  const handlers: Handlers = {
    ...settingsHandlers(ctx),
    ...connectHandlers(ctx, profiles, jobs.sync),
    ...archiveHandlers(ctx, files),
    ...filesHandlers(ctx, files),
    ...insightsHandlers(ctx),
    ...callsHandlers(ctx),
    ...syncHandlers(ctx, profiles, jobs.sync),
    ...auditHandlers(ctx, jobs.audit),
    ...holdsHandlers(ctx),
    ...reviewSetsHandlers(ctx),
    ...retentionHandlers(ctx),
    ...changesHandlers(ctx),
    ...asOfHandlers(ctx),
    ...reviewHandlers(ctx),
    ...backupHandlers(ctx, jobs, schedule),
    ...cipherHandlers(ctx, jobs),
    ...shellHandlers(ctx),
  };

  return {
    dispatch: createDispatch(handlers, ctx.log),
    on: (listener) => ctx.on(listener),
    runScheduledJob: () => schedule.run(),
    releaseArchive: () => {
      ctx.closeReader();
      // Before a restore replaces the archive: the looks made in it go into it, not its successor.
      ctx.review.flush(2000);
    },
    async close() {
      await Promise.allSettled([jobs.sync.stop(), jobs.audit.stop()]);
      ctx.closeReader();
      ctx.review.close();
      await files.close();
      await profiles.close();
    },
  };
}
