/**
 * Ctrl-C (SIGINT) and SIGTERM for the CLI's long commands, in one place. The first of either
 * aborts the command's work, which stops cleanly (a sync ends partial, a backup or audit leaves
 * nothing behind); listeners are `once`, so a second Ctrl-C falls through to Node's default and
 * ends the process at once. Listeners are always removed when the work ends, however it ends.
 */

/** The part of `process` used here; tests pass an EventEmitter and emit the signal themselves. */
export interface SignalSource {
  once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

const stopSignals = ['SIGINT', 'SIGTERM'] as const;

/** Runs `work` with a signal that SIGINT or SIGTERM aborts. */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>, source: SignalSource = process): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  for (const name of stopSignals) source.once(name, stop);
  try {
    return await work(controller.signal);
  } finally {
    for (const name of stopSignals) source.off(name, stop);
  }
}

/** Resolves at the first SIGINT or SIGTERM: for commands that serve until stopped (serve, simulate). */
export function untilInterrupted(source: SignalSource = process): Promise<void> {
  return withInterrupt(
    (signal) =>
      new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    source,
  );
}
