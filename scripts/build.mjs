// Bundles the plain-Node entry points with esbuild. Type checking is separate (`tsc -b`), so the
// build stays fast enough to run on every `npm install` (the `prepare` script) and before tests.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: { 'cli/cliq-vault': 'electron/cli/main.ts', 'bench/bench': 'bench/bench.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Dependencies stay in node_modules: better-sqlite3 is native, and the rest resolve normally.
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
