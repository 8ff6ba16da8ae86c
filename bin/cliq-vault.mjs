#!/usr/bin/env node
// Entry point of the `cliq-vault` command. Kept in plain JS so it can explain a wrong Node version
// before anything that needs Node 22 (better-sqlite3-multiple-ciphers 13) is loaded.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `cliq-vault needs Node 22 or newer, but this is Node ${process.versions.node}.\n` + 'Run it through npm (npx cliq-vault …, npm run demo), which uses the Node 22 installed in node_modules.\n',
  );
  process.exit(2);
}
// At most two glibc malloc arenas, and big blocks given back when freed (electron/core/util/
// heapPolicy.ts says why: a 1M-message sync peaked at 189 MiB with glibc's default arenas, 159 MiB
// with two). glibc reads its settings only when a process starts, so the launcher replaces itself
// (execve: the same pid, so signals and exit codes reach the same process) with the same command
// and the variables set, once. Only for the commands
// that run long with many threads allocating (a second Node start costs ~86 ms, which a quick
// `search` or `stats` would pay for nothing), only where it means something (Linux), and only where
// nothing but stdio is inherited: an IPC channel would not survive.
const manyArenas = new Set(['sync', 'serve']);
if (
  manyArenas.has(process.argv[2] ?? '') &&
  process.platform === 'linux' &&
  process.env.MALLOC_ARENA_MAX === undefined &&
  process.env.NODE_CHANNEL_FD === undefined &&
  typeof process.execve === 'function'
) {
  try {
    // A sync's young generation capped too, which only a flag at start can do (heapPolicy.ts).
    const young = process.argv[2] === 'sync' ? ['--max-semi-space-size=2'] : [];
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...young, ...process.argv.slice(1)], {
      ...process.env,
      MALLOC_ARENA_MAX: '2',
      // Blocks of 128 KiB and more mapped on their own and given back when freed (heapPolicy.ts).
      MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
    });
  } catch {
    // execve failed and this process is unchanged: run as it is, with glibc's default arenas.
  }
}
// A small heap over speed, before anything is loaded: electron/core/util/heapPolicy.ts says why
// (a 1M-message sync peaked at 343 MiB without it, 198 MiB with it). Process-wide: serve's
// worker threads get it too.
(await import('node:v8')).setFlagsFromString('--optimize-for-size');
try {
  await import('../dist/cli/cliq-vault.mjs');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli')) {
    process.stderr.write('cliq-vault is not built yet. Run `npm run build` (npm install does it too).\n');
    process.exit(2);
  }
  throw error;
}
