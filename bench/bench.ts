import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestSchemaVersion } from '../electron/core/archive/migrations';
import { printTable, writeResults, type Row } from './results';
import { benchApiEfficiency } from './sections/apiEfficiency';
import { benchCipher } from './sections/cipher';
import { benchExport } from './sections/export';
import { benchFiles } from './sections/files';
import { benchHolds } from './sections/holds';
import { benchIngest } from './sections/ingest';
import { benchResponsiveness } from './sections/responsiveness';
import { benchReviewLog } from './sections/reviewLog';
import { benchSearch } from './sections/search';
import { benchSources } from './sections/sources';
import { benchSync } from './sections/syncPipeline';
import { benchUi } from './sections/ui';

/**
 * `npm run bench`: measures Cliq Vault against the limits that matter, in one run on one machine,
 * and prints each figure with its target, the limit it is compared with and the ratio. Benchmarks
 * never run in `npm test`, and no test asserts on time.
 *
 *   npm run bench                 1M messages (the simulator's large org), ~15 minutes
 *   npm run bench -- --quick      ~100k messages (medium), for day-to-day work
 *   npm run bench -- --archive P  measure search and export on an existing archive only
 *   npm run bench -- --only ingest,search   run only these sections (of sync, ingest, search,
 *                                 holds, review, export, api, sources, files, ui, cipher; sync is skipped
 *                                 when its archive is cached); the results files are left as they were
 *   npm run bench -- --quota-scale N        the API row's quotas multiplied by N (default 1)
 *   npm run bench -- --reps N               ingest runs per side, best kept (default 3 quick, 1 full)
 *   npm run bench -- --scale tiny|small|medium|large   the simulator org (--quick is medium)
 *   npm run bench -- --out DIR --cache DIR  where results and the cached archive go (default: here)
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const given = option('--archive');
  const only = option('--only')?.split(',');
  const runs = (section: string) => only === undefined || only.includes(section);
  const quotaScale = Number(option('--quota-scale') ?? '1');
  const reps = Number(option('--reps') ?? (quick ? '3' : '1'));
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps takes a whole number of repetitions, e.g. --reps 3');
  if (!(quotaScale > 0)) throw new Error('--quota-scale takes a positive number, e.g. --quota-scale 0.5');
  requireSqliteShell();
  const started = new Date();
  const rows: Row[] = [];
  const step = (name: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${name}…\n`);
  const scale = option('--scale') ?? (quick ? 'medium' : 'large');
  if (!['tiny', 'small', 'medium', 'large'].includes(scale)) throw new Error('--scale takes tiny, small, medium or large');
  const out = option('--out') ?? '.';
  const cache = option('--cache') ?? 'bench/cache';
  let archive: string;

  if (given !== undefined) {
    if (!existsSync(given)) throw new Error(`No archive at ${given}`);
    archive = given;
  } else {
    // The archive the other rows measure is the one the sync row makes, kept between runs.
    mkdirSync(cache, { recursive: true });
    archive = join(cache, `${scale}-seed1-schema${latestSchemaVersion}.sqlite`);
    if (runs('sync') || !existsSync(archive)) {
      const work = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-'));
      try {
        step(`sync: the simulator's ${scale} org, end to end`);
        const synced = join(work, 'synced.sqlite');
        rows.push(...(await benchSync(scale, synced)));
        if (!existsSync(archive)) copyFileSync(synced, archive);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
    if (runs('ingest')) {
      step('ingest: raw pages against sqlite3 import');
      rows.push(...(await benchIngest(archive, reps)));
    }
    if (runs('cipher')) {
      step('cipher: ingest, search and export, encrypted against plain');
      rows.push(...(await benchCipher(archive, reps)));
    }
  }
  if (runs('search')) {
    step('search');
    rows.push(...benchSearch(archive));
  }
  if (runs('holds')) {
    step('holds: the legal hold scope on a copy with five holds');
    rows.push(...benchHolds(archive));
  }
  if (runs('review')) {
    step('review: search latency with the review log on and off');
    rows.push(...benchReviewLog(archive));
  }
  if (runs('export')) {
    step('export');
    rows.push(...(await benchExport(archive)));
  }
  if (given === undefined && runs('api')) {
    // A medium org unless a smaller one was asked for (the smoke test).
    const apiScale = scale === 'tiny' || scale === 'small' ? scale : 'medium';
    step(`api: the ${apiScale} org, real quotas × ${quotaScale}, virtual time`);
    rows.push(...(await benchApiEfficiency(apiScale, quotaScale)));
  }
  if (given === undefined && runs('sources')) {
    step(`sources: the ${scale} org's directory, reactions, pins, calls and scheduled messages, virtual time`);
    rows.push(...(await benchSources(scale as 'tiny' | 'small' | 'medium' | 'large')));
  }
  if (given === undefined && runs('files')) {
    step('files: attachments end to end, then against a plain copy');
    rows.push(...(await benchFiles(scale === 'tiny' ? 'smoke' : 'full')));
  }
  if (runs('ui')) {
    step('ui: Chromium against serve');
    rows.push(...(await benchUi(archive)));
    step('ui: app:info while archive:verify runs (workers, then one thread)');
    rows.push(...(await benchResponsiveness(archive)));
  }

  process.stdout.write(`${printTable(rows)}\n`);
  if (only !== undefined) return;
  writeResults(out, rows, {
    command: `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
    archive,
    scale: given === undefined ? `${scale} (simulator seed 1)` : 'given archive',
    startedAt: started,
    seconds: (Date.now() - started.getTime()) / 1000,
  });
}

/** The limits are measured with SQLite's own shell; without it half the table would be empty. */
function requireSqliteShell(): void {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      "The bench compares with SQLite's command-line shell, `sqlite3`, which was not found. Install it (Debian/Ubuntu: sudo apt-get install -y sqlite3; macOS: it ships with the system) and run again.",
    );
  }
}

await main();
