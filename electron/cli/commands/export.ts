import { Command } from 'commander';
import { resolve } from 'node:path';
import { z } from 'zod';
import { openArchiveDb } from '../../core/archive';
import { exportJsonl, exportKinds } from '../../core/export';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec } from '../flags';
import { formatCount, processIo, type Io } from '../output';

const exportFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
  what: { flag: '--what <kind>', description: exportKinds.join(' | '), schema: z.enum(exportKinds, { error: `must be one of ${exportKinds.join(', ')}` }), required: true },
  out: { flag: '--out <file>', description: 'the JSONL file to write', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
  format: { flag: '--format <format>', description: 'jsonl', schema: z.literal('jsonl', { error: 'only jsonl for now (CSV audit bundles come with `cliq-vault audit`)' }), default: 'jsonl' },
  json: jsonSpec('print a JSON summary'),
});

export function exportCommand(io: Io = processIo): Command {
  return exportFlags
    .register(
      new Command('export')
        .summary('write one kind of archived record to a lossless JSONL file')
        .description(
          'One JSON object per line: ids as strings, times as epoch milliseconds, the payload Cliq sent ' +
            'kept verbatim ("raw" for messages, "source" for the rest). Deterministic order, so the same ' +
            'archive always gives the same bytes. Written to a temporary file and renamed when complete.\n\n' +
            `Kinds: ${exportKinds.join(', ')} (members = current members; memberships = every interval).`,
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = exportFlags.parse(raw, 'export');
      const db = openArchiveDb(flags.archive, { readonly: true });
      try {
        const result = await exportJsonl(db, flags.what, resolve(flags.out));
        if (flags.json) io.out(`${JSON.stringify({ what: flags.what, rows: result.rows, path: result.path })}\n`);
        else io.out(`Wrote ${formatCount(result.rows)} ${flags.what} to ${result.path}\n`);
      } finally {
        db.close();
      }
    });
}
