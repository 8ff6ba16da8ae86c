import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { spliceRunBlock } from './runBlock';

/** One line of the benchmark table. */
export interface Row {
  section: string;
  measure: string;
  figure: number;
  unit: string;
  /** The target, as text ("≤ 20 ms", "≤ 2.0×"); empty when the row only informs. */
  target: string;
  /** What the figure is compared with (the physical limit), when there is one. */
  limit?: { figure: number; label: string };
  /** figure / limit figure (or the reverse for rates, so lower is always better). */
  ratio?: number;
  pass?: boolean;
  /** Set when the row could not be measured in this run, with why. */
  notMeasured?: string;
}

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));

export function printTable(rows: Row[]): string {
  const lines = rows.map((r) => [
    r.section,
    r.notMeasured ? `${r.measure} (${r.notMeasured})` : r.measure,
    r.notMeasured ? '—' : `${fmt(r.figure)} ${r.unit}`,
    r.target,
    r.limit ? `${fmt(r.limit.figure)} ${r.limit.label}` : '',
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.notMeasured ? 'NOT MEASURED' : r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
  ]);
  const header = ['section', 'measure', 'figure', 'target', 'limit', 'ratio', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
}

/**
 * Writes `bench/results-<key>.json` and the run's block of BENCHMARKS.md (runBlock.ts), where `key`
 * names the kind of run (the org's scale, or `archive`): runs of other kinds keep theirs.
 */
export function writeResults(dir: string, rows: Row[], context: { key: string; command: string; archive: string; scale: string; startedAt: Date; seconds: number }): void {
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
  const { key, ...recorded } = context;
  mkdirSync(join(dir, 'bench'), { recursive: true });
  writeFileSync(join(dir, 'bench', `results-${key}.json`), `${JSON.stringify({ ...recorded, startedAt: context.startedAt.toISOString(), machine, rows }, null, 2)}\n`);
  const table = rows
    .map(
      (r) =>
        `| ${r.section} | ${r.notMeasured ? `${r.measure} (${r.notMeasured})` : r.measure} | ${r.notMeasured ? '—' : `${fmt(r.figure)} ${r.unit}`} | ${r.target} | ${r.limit ? `${fmt(r.limit.figure)} ${r.limit.label}` : ''} | ${r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`} | ${r.notMeasured ? 'NOT MEASURED' : r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS'} |`,
    )
    .join('\n');
  const body = `## \`${context.command}\`: ${context.scale}

Measured ${context.startedAt.toISOString()} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}
(${context.seconds.toFixed(0)} s in all). Archive: ${context.archive}.

Reproduce: \`${context.command}\` (after \`npm install\`). Figures vary with the machine and its load; the
ratios compare with a limit measured in the same run, on the same machine.

| section | measure | figure | target | limit | ratio | |
|---|---|---|---|---|---|---|
${table}
`;
  const path = join(dir, 'BENCHMARKS.md');
  writeFileSync(path, spliceRunBlock(existsSync(path) ? readFileSync(path, 'utf8') : undefined, key, body));
}
