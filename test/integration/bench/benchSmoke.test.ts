import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../helpers/tempDir';

/**
 * The bench itself never runs in the suite and no test asserts a time. This only checks that
 * `npm run bench` still works end to end, on the tiny org, and prints and records every row.
 */
const benchEntry = resolve(import.meta.dirname, '../../../dist/bench/bench.mjs');

interface ResultRow {
  section: string;
  measure: string;
  figure: number;
  notMeasured?: string;
  pass?: boolean;
  limit?: { figure: number; label: string };
}

describe('npm run bench (smoke, tiny org)', () => {
  const tempDir = useTempDir('cliq-vault-bench-');

  it('runs every section, prints every row and writes its results and its block of BENCHMARKS.md', () => {
    const dir = tempDir();
    const run = spawnSync(process.execPath, [benchEntry, '--scale', 'tiny', '--reps', '1', '--out', dir, '--cache', join(dir, 'cache')], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);

    const results = JSON.parse(readFileSync(join(dir, 'bench', 'results-tiny.json'), 'utf8')) as { rows: ResultRow[]; command: string };
    const sections = new Set(results.rows.map((r) => r.section));
    expect([...sections].sort()).toEqual(['api', 'audit', 'cipher', 'export', 'files', 'holds', 'ingest', 'review', 'search', 'snapshot', 'sources', 'sync', 'ui', 'verify']);
    expect(results.rows.filter((r) => r.section === 'review')).toHaveLength(3);
    // Ten search queries, plus the "all together" row.
    expect(results.rows.filter((r) => r.section === 'search')).toHaveLength(11);
    for (const row of results.rows) {
      if (row.notMeasured === undefined) expect(Number.isFinite(row.figure), `${row.section}: ${row.measure}`).toBe(true);
      // Every row is in the printed table too.
      expect(run.stdout).toContain(row.measure);
    }
    // Figures that are counts, not times, are deterministic and have targets worth holding here.
    const reSyncCalls = results.rows.find((r) => r.section === 'sync' && r.measure.includes('message calls'));
    expect(reSyncCalls?.figure).toBe(0);
    expect(results.rows.find((r) => r.section === 'api' && r.measure.includes('429'))?.figure).toBe(0);
    const perFile = results.rows.find((r) => r.section === 'files' && r.measure.includes('per file referenced'));
    expect(perFile?.figure, 'one F1 call per file referenced').toBe(perFile?.limit?.figure);
    expect(results.rows.find((r) => r.section === 'files' && r.measure === 'F1 calls on a re-sync')?.figure).toBe(0);
    // Each evidence source's re-sync calls are its minimum (counted from the simulator's truth);
    // reactions, within one minute of their quota.
    const reSync = results.rows.filter((r) => r.section === 'sources' && r.measure.startsWith('no-change re-sync:'));
    expect(reSync).toHaveLength(5);
    for (const row of reSync) {
      if (row.measure.includes('reactions')) expect(row.figure).toBeLessThanOrEqual(row.limit?.figure ?? -1);
      else expect([row.measure, row.figure]).toEqual([row.measure, row.limit?.figure]);
    }

    const markdown = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    expect(markdown).toContain('npm run bench -- --scale tiny');
    expect(markdown).toContain('<!-- bench run: tiny');
    expect(markdown).toContain('<!-- /bench run: tiny -->');
    expect(markdown.match(/^\| (sync|ingest|cipher|search|holds|review|export|audit|verify|snapshot|api|sources|files|ui) \|/gm)).toHaveLength(results.rows.length);
    expect(existsSync(join(dir, 'cache'))).toBe(true);
    // Longer than the run's own 120 s: on a loaded machine the tiny bench alone takes about a minute.
  }, 150_000);

  it('refuses a bad option with a message that says what to pass', () => {
    const run = spawnSync(process.execPath, [benchEntry, '--scale', 'enormous'], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('--scale takes tiny, small, medium (100k), large (1m) or huge (10m)');
  });
});
