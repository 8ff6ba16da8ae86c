import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { datasets } from '../../electron/core/audit/datasets';
import { measure } from '../proc';
import type { Row } from '../results';

const cli = 'bin/cliq-vault.mjs';

/**
 * Audit export of the whole archive to Excel-safe CSV + manifest (the CLI, in its own process for
 * its peak memory), against SQLite's own shell dumping the same message rows with `-csv`; then the
 * same bundle with its readable HTML transcripts (issue 13: at most 1.5× the bundle without them);
 * then the RSMF 2.0 production of the same archive (issue 15: its time beside the CSV bundle's).
 */
export async function benchExport(archivePath: string): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-'));
  try {
    const out = join(dir, 'bundle');
    // The data files alone: what sqlite3's dump is compared with (transcripts have their own row).
    const ours = await measure(process.execPath, [cli, 'audit', '--archive', archivePath, '--out', out, '--format', 'csv', '--no-transcripts', '--json']);
    if (ours.code !== 0) throw new Error(`audit failed: ${ours.stderr}`);
    const result = JSON.parse(ours.stdout.trim().split('\n').at(-1) ?? '{}') as { files: { dataset: string; rows: number; bytes: number }[] };
    const messages = result.files.filter((f) => f.dataset === 'messages').reduce((n, f) => n + f.rows, 0);

    // The same message rows and columns as the CSV (the joined form; the payload is JSONL-only).
    const messagesDataset = datasets.find((d) => d.name === 'messages');
    const sql = (messagesDataset?.referenceSql?.(false) ?? messagesDataset?.sql(false) ?? '').replace(/,\s*m\.raw_json AS raw/, '');
    const sink = createWriteStream(join(dir, 'sqlite3.csv'));
    const limit = await measure('sqlite3', ['-readonly', '-csv', '-header', archivePath, sql], { stdoutTo: (chunk) => sink.write(chunk) });
    // Wait for the file to be written and closed: removing the folder under a stream still opening
    // its file failed with ENOTEMPTY (seen once in CI).
    sink.end();
    await finished(sink);
    if (limit.code !== 0) throw new Error(`sqlite3 failed: ${limit.stderr}`);
    const ratio = ours.seconds / limit.seconds;

    const withTranscripts = await measure(process.execPath, [cli, 'audit', '--archive', archivePath, '--out', join(dir, 'bundle-transcripts'), '--format', 'csv', '--json']);
    if (withTranscripts.code !== 0) throw new Error(`audit with transcripts failed: ${withTranscripts.stderr}`);
    const written = JSON.parse(withTranscripts.stdout.trim().split('\n').at(-1) ?? '{}') as { transcripts?: { conversations: number; bytes: number } };
    const transcriptRatio = withTranscripts.seconds / ours.seconds;

    // The production alone: no data files, the attachments inside each .rsmf (none copied to files/).
    const rsmf = await measure(process.execPath, [cli, 'audit', '--archive', archivePath, '--out', join(dir, 'bundle-rsmf'), '--format', 'rsmf', '--no-transcripts', '--json']);
    if (rsmf.code !== 0) throw new Error(`audit --format rsmf failed: ${rsmf.stderr}`);
    const produced = (JSON.parse(rsmf.stdout.trim().split('\n').at(-1) ?? '{}') as { files: { format: string; rows: number; bytes: number }[] }).files.filter((f) => f.format === 'rsmf');
    const rsmfRatio = rsmf.seconds / ours.seconds;
    return [
      {
        section: 'export',
        measure: `${messages.toLocaleString('en-US')} messages + all other files to CSV, manifest, sums`,
        figure: ours.seconds,
        unit: 's',
        // Issue 16: within 1.5× of sqlite3 -csv of the message rows.
        target: '≤ 1.5× sqlite3',
        limit: { figure: limit.seconds, label: 's sqlite3 -csv (messages)' },
        ratio,
        pass: ratio <= 1.5,
      },
      { section: 'export', measure: 'rows/s (messages)', figure: messages / ours.seconds, unit: 'rows/s', target: '', limit: { figure: messages / limit.seconds, label: 'rows/s sqlite3' } },
      { section: 'export', measure: 'peak memory', figure: ours.peakMiB, unit: 'MiB', target: '≤ 200 MiB', pass: ours.peakMiB <= 200 },
      {
        section: 'export',
        measure: `the same bundle with readable transcripts (${(written.transcripts?.conversations ?? 0).toLocaleString('en-US')} HTML files, ${((written.transcripts?.bytes ?? 0) / 1_048_576).toFixed(0)} MiB)`,
        figure: withTranscripts.seconds,
        unit: 's',
        target: '≤ 1.5× without',
        limit: { figure: ours.seconds, label: 's without transcripts' },
        ratio: transcriptRatio,
        pass: transcriptRatio <= 1.5,
      },
      { section: 'export', measure: 'peak memory with transcripts', figure: withTranscripts.peakMiB, unit: 'MiB', target: '≤ 200 MiB', pass: withTranscripts.peakMiB <= 200 },
      {
        section: 'export',
        measure: `RSMF 2.0 production (${produced.length.toLocaleString('en-US')} .rsmf files, ${produced.reduce((n, f) => n + f.rows, 0).toLocaleString('en-US')} events, ${(produced.reduce((n, f) => n + f.bytes, 0) / 1_048_576).toFixed(0)} MiB)`,
        figure: rsmf.seconds,
        unit: 's',
        target: '',
        limit: { figure: ours.seconds, label: 's CSV bundle' },
        ratio: rsmfRatio,
      },
      { section: 'export', measure: 'peak memory of the RSMF production', figure: rsmf.peakMiB, unit: 'MiB', target: '≤ 200 MiB', pass: rsmf.peakMiB <= 200 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
