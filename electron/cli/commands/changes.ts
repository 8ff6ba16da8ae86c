import { Command } from 'commander';
import { z } from 'zod';
import type { ChangeReport } from '../../../shared/changes';
import { openArchiveDb } from '../../core/archive';
import { changeRange, changeReport, changesBetweenSnapshots, renderChangeReport } from '../../core/changes';
import { defineFlags } from '../flagTable';
import { archivePath, dateFlag, jsonSpec, timeZoneSpec } from '../flags';
import { processIo, type Io } from '../output';
import { reviewed } from '../review';

const changesFlags = defineFlags(
  {
    archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
    sinceRun: { flag: '--since-run <n>', description: 'changes made by the sync runs after run N (0: everything)', schema: z.coerce.number().int().min(0).optional() },
    since: { flag: '--since <date>', description: 'changes made by the sync runs started on or after this day (2026-03-31) or instant', schema: dateFlag.optional() },
    betweenSnapshots: {
      flag: '--between-snapshots <snapshot...>',
      description: 'two snapshots of the archive, the earlier first: what the later one holds that the earlier does not',
      schema: z.array(z.string().min(1)).length(2, 'takes two snapshots, the earlier first').optional(),
    },
    tz: timeZoneSpec('time zone of --since and of the times shown'),
    limit: { flag: '--limit <n>', description: 'items listed per kind of change, newest first', schema: z.coerce.number().int().min(1).max(100_000), default: '200' },
    json: jsonSpec('print the report as JSON: { range, counts, items, truncated }'),
  },
  {
    check: (flags, ctx) => {
      const given = [flags.sinceRun !== undefined, flags.since !== undefined, flags.betweenSnapshots !== undefined].filter(Boolean).length;
      if (given !== 1) ctx.addIssue({ code: 'custom', path: ['sinceRun'], message: 'give one of --since-run N, --since DATE or --between-snapshots S1 S2' });
    },
  },
);

/**
 * `cliq-vault changes`: what the archive's sync runs brought — new, edited and deleted messages,
 * joins and leaves, renamed or archived conversations, people changed or gone, directory moves,
 * attachments that could not be stored — read from the run markers every archived row keeps.
 */
export function changesCommand(io: Io = processIo): Command {
  return changesFlags
    .register(
      new Command('changes')
        .summary('what changed: new, edited and deleted messages, joins and leaves, renames, directory moves…')
        .description(
          'A change report over sync runs: every archived row records the run that first saw it, changed it or ' +
            'noticed it gone, so the report is exact for what the archive saw (a change made and undone between two ' +
            'syncs is not seen). --since-run N covers the runs after N; --since DATE the runs started from that day ' +
            '(in --tz); --between-snapshots S1 S2 the runs the later snapshot holds and the earlier does not (both are ' +
            'read, never changed). Counts of every kind, then the newest --limit items of each, with their conversation ' +
            'and message ids (open one with `cliq-vault transcript --chat ID --around MESSAGE`). Recorded in the review log.\n\n' +
            'Example: cliq-vault changes --archive org.sqlite --since 2026-03-01 --tz Europe/Berlin',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = changesFlags.parse(raw, 'changes');
      const scope = {
        ...(flags.sinceRun !== undefined ? { sinceRun: flags.sinceRun } : {}),
        ...(flags.since !== undefined ? { since: flags.since, timeZone: flags.tz } : {}),
        ...(flags.betweenSnapshots !== undefined ? { betweenSnapshots: flags.betweenSnapshots } : {}),
      };
      await reviewed(
        io,
        flags.archive,
        'change_report',
        scope,
        () => {
          const report = readReport(flags);
          io.out(flags.json ? `${JSON.stringify(report)}\n` : renderChangeReport(report, flags.archive, flags.tz));
          return report;
        },
        (report) => ({ results: Object.values(report.counts).reduce((a, b) => a + b, 0) }),
      );
    });
}

function readReport(flags: { archive: string; sinceRun?: number | undefined; since?: string | undefined; betweenSnapshots?: string[] | undefined; tz: string; limit: number }): ChangeReport {
  const [earlier, later] = flags.betweenSnapshots ?? [];
  if (earlier !== undefined && later !== undefined) return changesBetweenSnapshots(earlier, later, flags.limit);
  const db = openArchiveDb(flags.archive, { readonly: true });
  try {
    const asked = flags.sinceRun !== undefined ? { sinceRun: flags.sinceRun } : { since: flags.since ?? '', timeZone: flags.tz };
    return changeReport(db, changeRange(db, asked), flags.limit);
  } finally {
    db.close();
  }
}
