import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | undefined;

/**
 * Collects this isolate's garbage now, all of it.
 *
 * Why: a download leaves its socket reads behind as garbage, 64 KiB buffers outside V8's heap held
 * by objects so small that they hardly fill the young generation. Nothing else allocates much
 * while a big answer downloads (a whole history runs alone), so a 12.4 MB answer left 7–14 MiB of
 * them (measured at 10M) until the next collection, which came only once its rows were being
 * stored, on top of the answer itself (docs/performance.md). A full collection of the sync's heap
 * takes a few tens of milliseconds, once per big answer.
 *
 * V8 takes such a request only through `gc()`, which a process has only with `--expose-gc`. That
 * flag adds `gc` to the contexts made after it is set, so one small context is made for it, once,
 * whichever way the process was started (the CLI, the app's service process, the bench).
 */
export function collectGarbage(): void {
  collector ??= exposedCollector();
  collector();
}

function exposedCollector(): () => void {
  const exposed: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
