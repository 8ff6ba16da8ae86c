import { Command } from 'commander';
import { z } from 'zod';
import { auditFormats } from '../../../shared/audit';
import { conversationKinds } from '../../../shared/search';
import { createAuditBundle } from '../../core/audit/bundle';
import { archivePath, dateFlag, parseFlags, timeZoneFlag } from '../flags';
import { withInterrupt } from '../interrupt';
import { formatBytes, formatCount, formatDuration, processIo, type Io } from '../output';
import { collect } from './shared';

const auditFlags = z.object({
  archive: archivePath,
  out: z.string({ error: 'is required' }).min(1, 'is required'),
  chat: z.array(z.string()).default([]),
  kind: z.array(z.enum(conversationKinds, { error: `must be one of ${conversationKinds.join(', ')}` })).default([]),
  participant: z.array(z.string()).default([]),
  sender: z.array(z.string()).default([]),
  from: dateFlag.optional(),
  to: dateFlag.optional(),
  tz: timeZoneFlag,
  query: z.string().optional(),
  advanced: z.boolean().default(false),
  type: z.array(z.string()).default([]),
  deleted: z.enum(['include', 'exclude', 'only'], { error: 'must be include, exclude or only' }).default('include'),
  versions: z.boolean().default(false),
  format: z.array(z.enum(auditFormats, { error: `must be ${auditFormats.join(' or ')}` })).default([]),
  ids: z.enum(['excel', 'plain'], { error: 'must be excel or plain' }).default('excel'),
  verifyArchive: z.boolean().default(false),
  json: z.boolean().default(false),
});

export function auditCommand(io: Io = processIo): Command {
  return new Command('audit')
    .summary('write an audit bundle an auditor can open, trust and verify')
    .description(
      'Writes a folder with the chats, channels, threads, membership history, users, messages, earlier ' +
        'versions and tombstones in scope, as Excel-safe CSV and byte-faithful JSONL, with manifest.json, ' +
        'SHA256SUMS, README.txt, a data dictionary and warnings.txt. Without filters: the whole archive. ' +
        'The folder must not exist; it appears only when complete. The export is recorded in the archive.',
    )
    .requiredOption('--archive <path>', 'the archive file')
    .requiredOption('--out <dir>', 'the bundle folder to create')
    .option('--chat <id>', 'this conversation (repeatable; a channel brings its threads)', collect, [])
    .option('--kind <kind>', `conversations of this kind: ${conversationKinds.join(', ')} (repeatable)`, collect, [])
    .option('--participant <id|email>', 'conversations this person was ever a member of (repeatable)', collect, [])
    .option('--sender <id|email>', 'messages sent by (repeatable)', collect, [])
    .option('--from <date>', 'messages from this day (2026-01-31) or instant')
    .option('--to <date>', 'messages to this day, included')
    .option('--tz <zone>', 'time zone of --from/--to and of the times in the CSV files', 'UTC')
    .option('--query <text>', 'messages matching this search')
    .option('--advanced', '--query is FTS5 syntax')
    .option('--type <type>', 'message type (repeatable)', collect, [])
    .option('--deleted <how>', 'include, exclude or only messages deleted on Cliq', 'include')
    .option('--versions', '--query also matches earlier versions of edited messages')
    .option('--format <format>', 'csv or jsonl (repeatable; default both)', collect, [])
    .option('--ids <how>', 'excel (all-digit ids as ="…" so spreadsheets keep every digit) or plain', 'excel')
    .option('--verify-archive', 'recompute every seal of the archive first and record the result')
    .option('--json', 'print a JSON summary')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(auditFlags, raw, 'audit');
      const result = await withInterrupt((signal) =>
        createAuditBundle({
          archivePath: flags.archive,
          outDir: flags.out,
          signal,
          scope: {
            ...(flags.chat.length > 0 ? { conversations: flags.chat } : {}),
            ...(flags.kind.length > 0 ? { kinds: flags.kind } : {}),
            ...(flags.participant.length > 0 ? { participants: flags.participant } : {}),
            ...(flags.sender.length > 0 ? { senders: flags.sender } : {}),
            ...(flags.from !== undefined ? { from: flags.from } : {}),
            ...(flags.to !== undefined ? { to: flags.to } : {}),
            timeZone: flags.tz,
            ...(flags.query !== undefined ? { query: flags.query } : {}),
            queryMode: flags.advanced ? 'advanced' : 'simple',
            ...(flags.type.length > 0 ? { types: flags.type } : {}),
            deleted: flags.deleted,
            includeVersions: flags.versions,
            ...(flags.format.length > 0 ? { formats: [...new Set(flags.format)] } : {}),
            ids: flags.ids,
            verifyArchive: flags.verifyArchive,
          },
          onProgress: io.interactive && !flags.json ? (p) => io.err(`\r\x1b[2K  ${p.dataset}: ${formatCount(p.rows)} rows`) : undefined,
        }),
      );
      if (io.interactive && !flags.json) io.err('\r\x1b[2K');
      if (flags.json) {
        io.out(`${JSON.stringify(result)}\n`);
        return;
      }
      const rows = (dataset: string) =>
        result.files.filter((f) => f.dataset === dataset && (f.format === 'csv' || !result.files.some((g) => g.dataset === dataset && g.format === 'csv'))).reduce((n, f) => n + f.rows, 0);
      const bytes = result.files.reduce((n, f) => n + f.bytes, 0);
      io.out(
        [
          `Audit bundle written in ${formatDuration(result.durationMs)}: ${result.bundlePath}`,
          `  ${formatCount(rows('messages'))} messages, ${formatCount(rows('chats'))} conversations, ${formatCount(rows('memberships'))} membership intervals, ${formatCount(rows('users'))} users (${result.files.length} files, ${formatBytes(bytes)})`,
          `  Bundle SHA-256 (of SHA256SUMS): ${result.bundleHash}`,
          result.warnings.length > 0 ? `  ${result.warnings.length} warning(s): read warnings.txt in the bundle.` : '  No known gaps.',
          `  Check it any time: cliq-vault verify --bundle "${result.bundlePath}"`,
          '',
        ].join('\n'),
      );
    });
}
