import { Command } from 'commander';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { openArchiveDb, readArchiveStats, syncRunCount } from '../../core/archive';
import { appDataDir } from '../../core/util';
import { syncArchive } from '../../core/createCore';
import type { DemoDay } from '../../simulator/demoDays';
import { demoQuotaScale, startDemoOrg } from '../../simulator/demoOrg';
import { classifyRun } from '../../../shared/runOutcome';
import { defineFlags } from '../flagTable';
import { jsonSpec, switchFlag } from '../flags';
import { formatBytes, formatCount, formatDuration, processIo, progressPrinter, renderSyncReport, type Io } from '../output';

const demoFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'where to write the demo archive', schema: z.string().optional() },
  scale: { flag: '--scale <scale>', description: 'tiny | small | medium', schema: z.enum(['tiny', 'small', 'medium'], { error: 'must be tiny, small or medium' }), default: 'small' },
  seed: { flag: '--seed <n>', description: 'org generator seed', schema: z.coerce.number().int(), default: '1' },
  fresh: { flag: '--fresh', description: 'delete the demo archive first', schema: switchFlag },
  json: jsonSpec('print one JSON summary'),
});

export function demoCommand(io: Io = processIo): Command {
  return demoFlags
    .register(
      new Command('demo')
        .summary('archive the built-in demo org: starts the simulator, syncs it, prints a summary')
        .description(
          'Starts the Cliq simulator with a generated org, syncs it into an archive (by default in the ' +
            'Cliq Vault data folder, so a second run shows an incremental sync), prints what was archived ' +
            `and where. The demo scales Cliq's quotas ×${demoQuotaScale} so it takes seconds.`,
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = demoFlags.parse(raw, 'demo');
      const archivePath = resolve(flags.archive ?? join(appDataDir(), 'demo', 'demo-archive.sqlite'));
      mkdirSync(resolve(archivePath, '..'), { recursive: true });
      if (flags.fresh) {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${archivePath}${suffix}`, { force: true });
        // Its downloaded files too: they belong to the archive being deleted (objects are read-only
        // files in writable folders, which rm removes).
        rmSync(`${archivePath}.files`, { recursive: true, force: true });
      }

      const demo = await startDemoOrg({ seed: flags.seed, scale: flags.scale });
      const sim = demo.simulator;
      // Each run after the first finds the org a day further on (simulator/demoDays.ts): one day
      // per run the archive holds.
      const days = demo.catchUp(syncRunCount(archivePath));
      const progress = progressPrinter(flags.json ? { ...io, interactive: false } : io);
      try {
        if (!flags.json) {
          io.err(`Demo org (seed ${flags.seed}, ${flags.scale}) served by the simulator at ${sim.apiBase}\n`);
          const today = days.at(-1);
          if (today) io.err(`${describeDay(today)}\n`);
        }
        const report = await syncArchive(
          archivePath,
          {
            endpoints: { apiBase: sim.apiBase, accountsBase: sim.accountsBase, dataCentre: 'custom', network: undefined },
            credentials: sim.admin,
            quotaScale: demoQuotaScale,
          },
          { onProgress: progress.update },
        );
        progress.done();
        const db = openArchiveDb(archivePath, { readonly: true });
        const stats = readArchiveStats(db, 1);
        db.close();
        const seconds = (report.endedAt - report.startedAt) / 1_000;
        const rate = seconds > 0 ? Math.round(report.counts.messagesNew / seconds) : 0;
        if (flags.json) {
          io.out(
            `${JSON.stringify({ archivePath, demoDay: demo.day(), status: report.status, counts: report.counts, calls: report.calls, callsTotal: report.callsTotal, durationMs: report.endedAt - report.startedAt, archive: stats })}\n`,
          );
        } else {
          io.out(renderSyncReport(report));
          io.out(
            [
              '',
              `Archive: ${archivePath} (${formatBytes(statSync(archivePath).size)})`,
              `  holds ${formatCount(stats.messages.live)} messages in ${formatCount(stats.coverage.conversations)} conversations, ${formatCount(stats.users.live)} users, ${formatCount(stats.memberships.open)} memberships`,
              `  ${formatCount(report.counts.messagesNew)} new messages in ${formatDuration(report.endedAt - report.startedAt)} (${formatCount(rate)}/s with quotas ×${demoQuotaScale})`,
              '',
              'Next:',
              `  npx cliq-vault serve --archive "${archivePath}"   (browse, search and audit it in your browser)`,
              `  npx cliq-vault stats --archive "${archivePath}"`,
              `  npx cliq-vault export --archive "${archivePath}" --what messages --out messages.jsonl`,
              '  npm run demo   (again: a day of activity later — edits, deletions, joins and leaves — synced incrementally)',
              '',
            ].join('\n'),
          );
        }
        process.exitCode = classifyRun(report).exitCode;
      } finally {
        progress.done();
        await sim.close();
      }
    });
}

function describeDay({ day, result }: DemoDay): string {
  const left = result.left.length + result.swapped.length;
  const joined = result.joined.length + result.swapped.length;
  return (
    `Day ${day} of the demo org since the first sync: ${result.edited.length} messages edited, ${result.deleted.length} deleted, ` +
    `${joined} members joined and ${left} left, ${result.reactionsAdded.length} reactions, ${result.directory.length} directory changes.`
  );
}
