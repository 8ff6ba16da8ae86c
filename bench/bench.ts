import { existsSync } from 'node:fs';
import { benchExport } from './sections/export';
import { benchSearch } from './sections/search';
import { printTable, writeResults, type Row } from './results';

/**
 * `npm run bench`: measures Cliq Vault against the limits that matter, in one run on one machine,
 * and prints figures, targets and ratios (never a test: no assertion on time anywhere else).
 *
 *   npm run bench -- --archive PATH     use an existing archive
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const archiveAt = args.indexOf('--archive');
  const archive = archiveAt >= 0 ? args[archiveAt + 1] : undefined;
  if (archive === undefined || !existsSync(archive)) {
    process.stderr.write('Usage: npm run bench -- --archive PATH (an archive to measure)\n');
    process.exitCode = 2;
    return;
  }
  const started = new Date();
  const rows: Row[] = [];
  process.stderr.write('search…\n');
  rows.push(...benchSearch(archive));
  process.stderr.write('export…\n');
  rows.push(...(await benchExport(archive)));
  const table = printTable(rows);
  process.stdout.write(`${table}\n`);
  writeResults(rows, { command: `npm run bench -- ${args.join(' ')}`, archive, scale: 'given', startedAt: started, seconds: (Date.now() - started.getTime()) / 1000 });
}

await main();
