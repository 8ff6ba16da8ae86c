import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../electron/core/archive/archive';
import { openArchiveDb } from '../../electron/core/archive/connection';
import { ReviewRecorder, type ReviewTimers } from '../../electron/core/review';
import { searchMessages } from '../../electron/core/search/search';
import { percentile } from '../proc';
import type { Row } from '../results';
import { queryCases } from './search';

const rounds = 50;

/**
 * Search latency with the review log on against off, in the same run, on the same queries (the
 * search section's set), alternating so drift hits both sides alike. "On" is what the app's
 * archive:search does on the answer path: the search, then `record()` (a push to the queue). The
 * batch write (every maxBatch = 50 looks here: the quiet-time write never comes in a tight loop)
 * runs where the app's timer runs it: between two answers. Its cost is reported apart, and once
 * more charged to the searches as the worst case (a search that arrives while a batch is being
 * written waits for it). The log goes to a scratch archive: a batch's cost (an IMMEDIATE
 * transaction, 50 inserts, one seal, an fsync'ed commit) does not depend on how many messages the
 * archive holds, and the bench's cached archive stays as the sync made it.
 */
export function benchReviewLog(archivePath: string): Row[] {
  const db = openArchiveDb(archivePath, { readonly: true });
  const scratch = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-review-'));
  const logPath = join(scratch, 'log.sqlite');
  openArchive(logPath).close();
  const flushTimes: number[] = [];
  // A full batch's write is run after the answer, as the app's timer runs it; quiet-time writes never come.
  let due: (() => void) | null = null;
  const timers: ReviewTimers = {
    set: (fn, ms) => {
      if (ms === 0) due = fn;
      return null;
    },
    clear: () => undefined,
  };
  const runDue = () => {
    const fn = due;
    due = null;
    if (fn === null) return;
    const start = process.hrtime.bigint();
    fn();
    flushTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  };
  const recorder = new ReviewRecorder({ shell: 'serve', timers, foldMs: -1 });
  try {
    const cases = queryCases(db);
    const off: number[] = [];
    const on: number[] = [];
    const time = (fn: () => void) => {
      const start = process.hrtime.bigint();
      fn();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    // Warm both paths (statements, page cache) before measuring.
    for (const c of cases) searchMessages(db, { ...c.query, limit: 50 });
    for (let round = 0; round < rounds; round += 1) {
      for (const c of cases) {
        const query = { ...c.query, limit: 50 };
        off.push(time(() => searchMessages(db, query)));
        on.push(
          time(() => {
            const page = searchMessages(db, query);
            recorder.record(logPath, { action: 'search', scope: { ...query }, results: page.hits.length });
          }),
        );
        runDue();
      }
    }
    recorder.close();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
    off.sort((a, b) => a - b);
    on.sort((a, b) => a - b);
    flushTimes.sort((a, b) => a - b);
    const [offP95, onP95, offMean, onMean] = [percentile(off, 95), percentile(on, 95), mean(off), mean(on)];
    const worstMean = onMean + flushTimes.reduce((a, b) => a + b, 0) / Math.max(on.length, 1);
    return [
      {
        section: 'review',
        measure: `search with the review log on, ${on.length} searches (${cases.length} queries × ${rounds}): p50 ${percentile(on, 50).toFixed(2)} ms, mean ${onMean.toFixed(2)} ms, p95`,
        figure: onP95,
        unit: 'ms',
        target: '≤ 1.05× off',
        limit: { figure: offP95, label: 'ms p95 logging off' },
        ratio: onP95 / Math.max(offP95, 0.001),
        pass: onP95 <= 1.05 * offP95,
      },
      {
        section: 'review',
        measure: `the same, mean, each of the ${flushTimes.length} batch writes charged to the searches (worst case: every write delays a search)`,
        figure: worstMean,
        unit: 'ms',
        target: '',
        limit: { figure: offMean, label: 'ms mean logging off' },
        ratio: worstMean / Math.max(offMean, 0.001),
      },
      {
        section: 'review',
        measure: `one batch write of 50 looks (one transaction, one seal, fsync'ed): p50 ${percentile(flushTimes, 50).toFixed(2)} ms, max`,
        figure: flushTimes.at(-1) ?? 0,
        unit: 'ms',
        target: '',
      },
    ];
  } finally {
    db.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
