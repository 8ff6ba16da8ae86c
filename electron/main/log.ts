import { createWriteStream, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '../core/util';

/** A log that has reached this size is moved to main.old.log at start-up (one generation kept). */
const rotateAtBytes = 10 * 1024 * 1024;

/**
 * The main process's log: JSON lines in `<logs>/main.log` (mode 0600), through the core's logger,
 * so every line is redacted. `echo` copies lines to stderr (development runs).
 */
export function openMainLog(dir: string, options: { echo: boolean }): { log: Logger; path: string; close(): Promise<void> } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'main.log');
  try {
    if (statSync(path).size >= rotateAtBytes) renameSync(path, join(dir, 'main.old.log'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') process.stderr.write(`Cannot rotate ${path}: ${String(error)}\n`);
  }
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  // A log that cannot be written must not take the app down; say so once on stderr.
  stream.once('error', (error) => process.stderr.write(`Cannot write ${path}: ${error.message}\n`));
  const log = createLogger({
    level: 'info',
    format: 'json',
    write: (line) => {
      if (stream.writable) stream.write(line);
      if (options.echo) process.stderr.write(line);
    },
  });
  return {
    log,
    path,
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}
