import { setFlagsFromString } from 'node:v8';

/**
 * Asks V8 to favour a small heap over speed, for the whole process (workers included).
 *
 * Why: a sync allocates a conversation's rows, keeps them through a few young-generation
 * collections while they are stored, then drops them. Promoted, they are garbage in the old
 * generation, which V8 lets grow to about four times what survives before it collects it: on the
 * medium org 29 MB survived each full collection while the heap committed 141 MB, and the 1M-message
 * sync peaked at 343 MiB. With --optimize-for-size V8 grows the heap less eagerly and keeps a
 * smaller young generation: the medium sync peaked at 143 MiB instead of 247, in the same time,
 * and the 1M sync at 198 MiB (docs/performance.md). The flag is read as the heap grows, so setting
 * it at startup, before the work, is enough.
 *
 * Called first thing by each entry that does heavy work: the CLI (bin/cliq-vault.mjs does it before
 * loading anything) and the app service worker (a utility process in the desktop app).
 */
export function favourSmallHeap(): void {
  setFlagsFromString(smallHeapFlag);
}

/** The flag. bin/cliq-vault.mjs, plain JS that runs before the bundle loads, spells it too (a test keeps them equal). */
export const smallHeapFlag = '--optimize-for-size';

/**
 * The young generation of a process that syncs, capped at two 2 MiB semi-spaces.
 *
 * Why: storing a big answer allocates fast, and V8 grows the young generation with the rate, up to
 * two 8 MiB semi-spaces: at 1M messages the sync's heap went from 33 to 50 MiB in each big answer,
 * most of it young. Capped, its heap peaked at 40 MiB (docs/performance.md). V8 sizes the young
 * generation when the isolate is made, so this is a flag the process starts with: the CLI launcher
 * (bin/cliq-vault.mjs, which spells it too: a test keeps them equal) gives it to a sync as it
 * replaces itself. Not yet to the desktop app's service processes: Electron's utility processes
 * take `execArgv`, but whether they hand a V8 flag to V8 cannot be tried here (no Electron binary),
 * and a flag refused there would stop the app's service from starting.
 */
export const youngGenerationFlag = '--max-semi-space-size=2';

/**
 * glibc's malloc for a process that syncs, in two settings; a value the user set is kept, and other
 * C libraries ignore both. glibc reads them once, when a process starts, so they are set in the
 * environment of the processes we start (the desktop app's service workers), and the CLI launcher
 * (bin/cliq-vault.mjs, plain JS) replaces itself once with them set.
 *
 * - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates an arena of its own (up to eight per
 *   core), and memory freed in one stays there: the 1M-message sync peaked at 189 MiB with the
 *   default and 159 MiB with two, in the same time.
 * - MALLOC_MMAP_THRESHOLD_=131072: every block of 128 KiB or more is mapped on its own and given
 *   back when freed. By default glibc raises that threshold to the largest block freed so far, so
 *   once the parser thread's batches (about 1.5 MB each, as they cross between threads) had been
 *   freed, the next ones came from the arenas, which keep what they grew to: the 1M sync peaked at
 *   175 MiB with the default and 165 with the threshold fixed (docs/performance.md).
 */
export function withLeanMalloc(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? leanMalloc.MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ ?? leanMalloc.MALLOC_MMAP_THRESHOLD_ };
}

/** The settings. bin/cliq-vault.mjs, plain JS, spells them too (a test keeps them equal). */
export const leanMalloc = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;
