import { Command } from 'commander';
import { z } from 'zod';
import { syncArchive } from '../../core/createCore';
import { createLogger } from '../../core/util/log';
import { classifyRun } from '../../../shared/runOutcome';
import { archivePath, credentialsFromEnv, duration, endpointFlags, endpointsFrom, parseFlags, parseQuotaOverrides, positiveNumber } from '../flags';
import { withInterrupt } from '../interrupt';
import { processIo, progressPrinter, renderSyncReport, type Io } from '../output';
import { collect, logLevel } from './shared';

const syncFlags = endpointFlags.extend({
  archive: archivePath,
  quotaScale: positiveNumber.default(1),
  quota: z.array(z.string()).default([]),
  full: z.boolean().default(false),
  json: z.boolean().default(false),
  maxRateWait: duration.prefault('15m'),
  logLevel,
});

export function syncCommand(io: Io = processIo): Command {
  return new Command('sync')
    .summary('archive the org: incremental, resumable, within Cliq rate limits')
    .description(
      'Pulls every chat, channel, thread, member, user and message of the org through the Maintenance ' +
        'export APIs into the archive. Unchanged conversations cost no message call; an interrupted run ' +
        'resumes from its checkpoints. Credentials come from CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET and ' +
        'CLIQ_REFRESH_TOKEN in the environment.\n\n' +
        'Exit codes: 0 complete, 1 failed, 2 usage, 3 archive locked by another process, ' +
        '4 authorization needed, 5 partial (rate-limited or interrupted; run again to resume).',
    )
    .requiredOption('--archive <path>', 'the archive file (created if missing)')
    .option('--dc <dc>', 'data centre: com, eu, in, com.au, com.cn, jp')
    .option('--api-base <url>', 'Cliq API base URL instead of --dc (simulator, proxy)')
    .option('--accounts-base <url>', 'Zoho accounts base URL, with --api-base')
    .option('--network <name>', 'a Cliq network (/network/<name>) for REST calls')
    .option('--full', 'walk every conversation from its first message (finds old edits and deletions)')
    .option('--quota <family=perMinute[/lock]>', "override one family's quota (repeatable)", collect, [])
    .option('--quota-scale <n>', 'TESTS AND SIMULATIONS ONLY: multiply every quota and divide every lock period by n')
    .option('--max-rate-wait <duration>', 'longest rate-limit pause to wait out before stopping partial', '15m')
    .option('--log-level <level>', 'debug, info, warn or error (to stderr)', 'warn')
    .option('--json', 'print one JSON report as the last line of stdout')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(syncFlags, raw, 'sync');
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
        const report = await withInterrupt((signal) => syncArchive(flags.archive, connection, { full: flags.full, signal, onProgress: progress.update }, { log }));
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
              errors: report.errors,
              fatal: report.fatal ?? null,
              durationMs: report.endedAt - report.startedAt,
            })}\n`,
          );
        } else {
          io.out(renderSyncReport(report));
        }
        process.exitCode = classifyRun(report).exitCode;
      } finally {
        progress.done();
      }
    });
}
