// Builds everything that runs: the plain-Node entry points (CLI, bench) and the Electron main and
// preload with esbuild, the renderer with Vite. Type checking is separate (`tsc -b`), so the build
// stays fast enough to run on every `npm install` (the `prepare` script) and before tests.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { build as viteBuild } from 'vite';

rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  // The app service's worker, beside each shell that starts it: serve's worker threads (dist/cli)
  // and the desktop app's utility processes (dist/electron, which is what gets packaged).
  entryPoints: {
    'cli/cliq-vault': 'electron/cli/main.ts',
    'cli/appServiceWorker': 'electron/worker/appServiceEntry.ts',
    'electron/appServiceWorker': 'electron/worker/appServiceEntry.ts',
    'bench/bench': 'bench/bench.ts',
    // The sync's parser thread, beside each bundle that syncs (sync/rowParser.ts).
    'cli/rowParser': 'electron/worker/rowParserEntry.ts',
    'electron/rowParser': 'electron/worker/rowParserEntry.ts',
    'bench/rowParser': 'electron/worker/rowParserEntry.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  // Dependencies stay in node_modules: better-sqlite3-multiple-ciphers is native, and the rest resolve normally.
  packages: 'external',
});

if (existsSync('electron/main/index.ts')) {
  // The Electron main process: ESM, dependencies from node_modules (electron-builder packs them).
  await build({ ...common, entryPoints: { 'electron/main': 'electron/main/index.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' }, format: 'esm', packages: 'external' });
  // A sandboxed preload cannot load modules: one self-contained CommonJS file, electron external.
  await build({
    ...common,
    entryPoints: { 'electron/preload': 'electron/preload/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    platform: 'browser',
    target: 'chrome140',
    external: ['electron'],
  });
}

if (existsSync('renderer/index.html')) {
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
}
