import { Command } from 'commander';
import { z } from 'zod';
import { syncArchive } from '../../core/createCore';
import { filesOptionsOf } from '../../core/sync';
import { createLogger } from '../../core/util';
import { classifyRun } from '../../../shared/runOutcome';
import { defineFlags } from '../flagTable';
import { defaultReactionsPerRun } from '../../../shared/scheduleSettings';
import {
  archivePath,
  credentialsFromEnv,
  duration,
  endpointFlagTable,
  endpointsFrom,
  jsonSpec,
  logLevel,
  parseQuotaOverrides,
  positiveNumber,
  reactionsPerRunDescription,
  reactionsPerRunFlag,
  switchFlag,
  keyFileSpec,
} from '../flags';
import { writeRunChanges } from '../../core/changes';
import { withInterrupt } from '../interrupt';
import { processIo, progressPrinter, renderSyncReport, type Io } from '../output';

const syncFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive file (created if missing)', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  ...endpointFlagTable,
  apiBase: { ...endpointFlagTable.apiBase, description: 'Cliq API base URL instead of --dc (simulator, proxy)' },
  full: { flag: '--full', description: 'walk every conversation from its first message (finds old edits and deletions)', schema: switchFlag },
  quota: { flag: '--quota <family=perMinute[/lock]>', description: "override one family's quota (repeatable)", schema: z.array(z.string()), repeatable: true },
  quotaScale: { flag: '--quota-scale <n>', description: 'TESTS AND SIMULATIONS ONLY: multiply every quota and divide every lock period by n', schema: positiveNumber.default(1) },
  maxRateWait: { flag: '--max-rate-wait <duration>', description: 'longest rate-limit pause to wait out before stopping partial', schema: duration, default: '15m' },
  files: {
    flag: '--files <which>',
    description: 'all: download every file shared in the org into the archive; none: only record them (fetched by a later run with all)',
    schema: z.enum(['all', 'none'], { error: 'must be all or none' }),
    default: 'all',
  },
  filesMaxMb: {
    flag: '--files-max-mb <n>',
    description: 'do not download files larger than n MB (1 MB = 1,048,576 bytes); they are listed as too large',
    schema: positiveNumber.optional(),
  },
  reactionsPerRun: { flag: '--reactions-per-run <n>', description: reactionsPerRunDescription, schema: reactionsPerRunFlag, default: String(defaultReactionsPerRun) },
  changesDir: {
    flag: '--changes-dir <dir>',
    description: 'after the run, write what it brought (new, edited, deleted messages, joins, leaves…) to DIR/changes-run-<id>.txt',
    schema: z.string().min(1).optional(),
  },
  logLevel: { flag: '--log-level <level>', description: 'debug, info, warn or error (to stderr)', schema: logLevel, default: 'warn' },
  json: jsonSpec('print one JSON report as the last line of stdout'),
});

export function syncCommand(io: Io = processIo): Command {
  const command = new Command('sync')
    .summary('archive the org: incremental, resumable, within Cliq rate limits')
    .description(
      'Pulls every chat, channel, thread, member, user and message of the org through the Maintenance ' +
        'export APIs into the archive. Unchanged conversations cost no message call; an interrupted run ' +
        'resumes from its checkpoints. Credentials come from CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET and ' +
        'CLIQ_REFRESH_TOKEN in the environment.\n\n' +
        'Exit codes: 0 complete, 1 failed, 2 usage, 3 archive locked by another process, ' +
        '4 authorization needed, 5 partial (rate-limited or interrupted; run again to resume).',
    );
  return syncFlags.register(command).action(async (raw: Record<string, unknown>) => {
    const flags = syncFlags.parse(raw, 'sync');
    // Flags before the environment: a malformed --quota is a usage error whatever the credentials.
    const connection = {
      endpoints: endpointsFrom(flags),
      quotas: parseQuotaOverrides(flags.quota),
      credentials: credentialsFromEnv(io.env),
      quotaScale: flags.quotaScale,
      maxLockWaitMs: flags.maxRateWait,
    };
    const log = createLogger({ level: flags.logLevel, write: io.err });
    const progress = progressPrinter(flags.json ? { ...io, interactive: false } : io);
    try {
      const report = await withInterrupt((signal) =>
        syncArchive(
          flags.archive,
          connection,
          { full: flags.full, signal, onProgress: progress.update, ...filesOptionsOf({ fetch: flags.files, maxMb: flags.filesMaxMb ?? null }), reactionsPerRun: flags.reactionsPerRun },
          { log },
        ),
      );
      progress.done();
      if (flags.json) {
        io.out(
          `${JSON.stringify({
            status: report.status,
            cancelled: report.cancelled,
            runId: report.runId,
            counts: report.counts,
            calls: report.calls,
            callsTotal: report.callsTotal,
            messageCalls: report.messageCalls,
            rateLimited: report.rateLimited,
            rateLimitedTotal: Object.values(report.rateLimited).reduce((a, b) => a + b, 0),
            messagesMode: report.messagesMode ?? null,
            reactionsPerRun: flags.reactionsPerRun,
            errors: report.errors,
            fatal: report.fatal ?? null,
            durationMs: report.endedAt - report.startedAt,
          })}\n`,
        );
      } else {
        io.out(renderSyncReport(report));
        // The counts read "0 messages checked" either way: say it was asked for.
        if (flags.reactionsPerRun === 0) io.out('  Reactions were not checked: --reactions-per-run 0. A run with a higher cap checks them.\n');
      }
      if (flags.changesDir !== undefined) writeChanges(io, flags.archive, report.runId, flags.changesDir);
      process.exitCode = classifyRun(report).exitCode;
    } finally {
      progress.done();
    }
  });
}

/** The run's change report beside the job's log: a failure to write it is said, and never fails the sync. */
function writeChanges(io: Io, archive: string, runId: number, dir: string): void {
  try {
    const path = writeRunChanges(archive, runId, dir, 'UTC');
    io.err(`What this run changed: ${path}\n`);
  } catch (error) {
    io.err(`Could not write what this run changed to ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
