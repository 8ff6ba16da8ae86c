import { Command } from 'commander';
import { z } from 'zod';
import { reviewActions, reviewActionLabel, reviewScopeWords, type ReviewEntry } from '../../../shared/review';
import { openArchiveDb } from '../../core/archive';
import { readReviewLog } from '../../core/review';
import { formatInZone } from '../../core/util';
import { defineFlags } from '../flagTable';
import { archivePath, dateFlag, dateOrderCheck, jsonSpec, timeZoneSpec } from '../flags';
import { processIo, type Io } from '../output';
import { reviewed } from '../review';
import { terminalSafe } from '../../core/util';

const auditLogFlags = defineFlags(
  {
    archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
    action: {
      flag: '--action <action>',
      description: `only these actions: ${reviewActions.join(', ')} (repeatable)`,
      schema: z.array(z.enum(reviewActions, { error: `must be one of ${reviewActions.join(', ')}` })),
      repeatable: true,
    },
    from: { flag: '--from <date>', description: 'from this day (2026-01-31) or instant', schema: dateFlag.optional() },
    to: { flag: '--to <date>', description: 'to this day, included', schema: dateFlag.optional() },
    tz: timeZoneSpec('time zone of --from/--to and of the times shown'),
    limit: { flag: '--limit <n>', description: 'entries per page, newest first', schema: z.coerce.number().int().min(1).max(1000), default: '100' },
    before: { flag: '--before <id>', description: 'the page of entries older than this entry id', schema: z.coerce.number().int().min(1).optional() },
    json: jsonSpec('print JSON: { entries, nextBefore }'),
  },
  { check: dateOrderCheck },
);

export function auditLogCommand(io: Io = processIo): Command {
  return auditLogFlags
    .register(
      new Command('audit-log')
        .summary('show the review log: every search, transcript read, export, bundle, verify and restore')
        .description(
          'Every look at the archive is on record, sealed like the evidence: when, who (the app profile, the OS ' +
            'user and host), from which shell (desktop, serve, cli), what (the query and filters, the conversation, ' +
            'the export kind), how many results and how it ended. A search typed letter by letter is one entry, ' +
            'its refinements counted. Newest first; --before continues. Reading the log is itself recorded ' +
            '(review_log_view).\n\n' +
            'The audit bundles themselves (files, hashes) are in `export --what audit_log`; this log as JSONL is ' +
            '`export --what review_log`.',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = auditLogFlags.parse(raw, 'audit-log');
      const query = {
        ...(flags.action.length > 0 ? { actions: flags.action } : {}),
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        timeZone: flags.tz,
        limit: flags.limit,
        ...(flags.before !== undefined ? { before: flags.before } : {}),
      };
      await reviewed(
        io,
        flags.archive,
        'review_log_view',
        { ...query },
        () => {
          const db = openArchiveDb(flags.archive, { readonly: true });
          try {
            const page = readReviewLog(db, query);
            if (flags.json) io.out(`${JSON.stringify(page)}\n`);
            else io.out(renderPage(page.entries, page.nextBefore, flags.tz));
            return page.entries.length;
          } finally {
            db.close();
          }
        },
        (shown) => ({ results: shown }),
      );
    });
}

function renderPage(entries: ReviewEntry[], nextBefore: number | null, zone: string): string {
  if (entries.length === 0) return 'No review log entries match.\n';
  const lines = entries.map((e) => {
    const when = formatInZone(e.at, zone).slice(0, 19).replace('T', ' ');
    const who = `${e.profileName !== null ? `${e.profileName} · ` : ''}${e.osUser}@${e.host}`;
    const results = e.results === null ? '' : ` → ${e.results}`;
    const folded = e.refinements > 0 ? ` (${e.refinements} refinement${e.refinements === 1 ? '' : 's'})` : '';
    const outcome = e.outcome === 'ok' ? '' : `  [${e.outcome}${e.detail !== null ? `: ${e.detail}` : ''}]`;
    return terminalSafe(`${when}  ${e.shell.padEnd(7)} ${reviewActionLabel(e.action).padEnd(17)} ${who}  ${reviewScopeWords(e.scope)}${results}${folded}${outcome}  #${e.id}`);
  });
  if (nextBefore !== null) lines.push(`\nMore: add --before ${nextBefore}`);
  return `Times in ${zone}.\n${lines.join('\n')}\n`;
}
