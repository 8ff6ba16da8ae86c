import { Command } from 'commander';
import { resolve } from 'node:path';
import { z } from 'zod';
import { openArchiveDb } from '../../core/archive';
import { exportAll, exportJsonl, exportKinds } from '../../core/export';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec, switchFlag, keyFileSpec } from '../flags';
import { formatCount, processIo, type Io } from '../output';
import { reviewed } from '../review';

const exportFlags = defineFlags(
  {
    archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
    keyFile: keyFileSpec,
    what: { flag: '--what <kind>', description: exportKinds.join(' | '), schema: z.enum(exportKinds, { error: `must be one of ${exportKinds.join(', ')}` }).optional() },
    all: { flag: '--all', description: 'every kind, each to <out>/<kind>.jsonl, with manifest.json', schema: switchFlag },
    out: { flag: '--out <path>', description: 'the JSONL file to write (with --all: a new or empty folder)', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
    format: { flag: '--format <format>', description: 'jsonl', schema: z.literal('jsonl', { error: 'only jsonl for now (CSV audit bundles come with `cliq-vault audit`)' }), default: 'jsonl' },
    json: jsonSpec('print a JSON summary'),
  },
  {
    check: (flags, ctx) => {
      if (flags.all && flags.what !== undefined) ctx.addIssue({ code: 'custom', path: ['all'], message: 'writes every kind: give either --what <kind> or --all, not both' });
      if (!flags.all && flags.what === undefined) ctx.addIssue({ code: 'custom', path: ['what'], message: `is required (one of ${exportKinds.join(', ')}), or use --all` });
    },
  },
);

export function exportCommand(io: Io = processIo): Command {
  return exportFlags
    .register(
      new Command('export')
        .summary('write archived records to lossless JSONL: one kind, or every kind with --all')
        .description(
          'One JSON object per line: ids as strings, times as epoch milliseconds, the payload Cliq sent ' +
            'kept verbatim ("raw" for messages and versions, "source" for chats, channels, threads, users and ' +
            'history), as is the JSON the archive recorded (event details, run counts and calls). Deterministic order, ' +
            'so the same archive always gives the same bytes. Read in one snapshot, written to a temporary ' +
            'file (or folder) and renamed when complete.\n\n' +
            `Kinds: ${exportKinds.join(', ')} (members = current members; memberships = every interval; ` +
            'versions = earlier versions of edited messages; history = earlier metadata of chats, channels, ' +
            'threads, users, departments, designations, roles, teams, calls, call participants and scheduled messages; events = the archive event log; runs = sync runs; seals = the hash chain; ' +
            'audit_log = every audit export; review_log = every look at the archive (searches, transcript reads, exports, bundles, verify, restore: see audit-log); departments, designations, roles, teams = the org directory, and ' +
            '<kind>_members = who belonged to each, as intervals with start_source first_archived or noticed; ' +
            "calls, call_participants = the connected account's calls and meetings; " +
            "call_notifications = calls as the org's call notices record them; scheduled_messages = the connected " +
            "account's scheduled messages and their fate; holds = every legal hold with its criteria and release; purges = a record per message retention purged, with " +
            'its run and policy; retention_runs = every purge run; review_sets = every review set with its source; review_set_items = ' +
            'the messages each froze, with their content hash then; review_codings = every coding action: tag, untag, note, reviewed, who and when).\n\n' +
            '--all --out DIR writes every kind to DIR/<kind>.jsonl and DIR/manifest.json (rows, bytes and ' +
            'SHA-256 of each file); DIR must not exist or be empty.',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = exportFlags.parse(raw, 'export');
      // Every export is on record: the kind (or all), where it went, how many records left the archive.
      const scope = { what: flags.what ?? 'all', out: resolve(flags.out), format: flags.format };
      await reviewed(
        io,
        flags.archive,
        'export',
        scope,
        () => write(io, flags),
        (rows) => ({ results: rows }),
      );
    });
}

/** Writes the export and says so; returns how many records it wrote. */
async function write(io: Io, flags: ReturnType<typeof exportFlags.parse>): Promise<number> {
  const db = openArchiveDb(flags.archive, { readonly: true });
  try {
    if (flags.what === undefined) {
      const result = await exportAll(db, { archivePath: flags.archive, outDir: flags.out });
      const rows = result.files.reduce((n, f) => n + f.rows, 0);
      if (flags.json) io.out(`${JSON.stringify({ all: true, dir: result.dir, files: result.files })}\n`);
      else io.out(`Wrote ${formatCount(rows)} records in ${result.files.length} files and manifest.json to ${result.dir}\n`);
      return rows;
    }
    const result = await exportJsonl(db, flags.what, resolve(flags.out));
    if (flags.json) io.out(`${JSON.stringify({ what: flags.what, rows: result.rows, path: result.path })}\n`);
    else io.out(`Wrote ${formatCount(result.rows)} ${flags.what} to ${result.path}\n`);
    return result.rows;
  } finally {
    db.close();
  }
}
