import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { failedLook, ReviewRecorder, type ReviewLook } from '../core/review';
import { createLogger } from '../core/util';
import type { Io } from './output';

/**
 * Runs one command's look at an archive and records it in the archive's review log (issue 14, part 4):
 * the answer first, then one entry, written before the command returns (a CLI process has no
 * "later"). A look that throws is recorded as refused or failed and the error goes on. Recording
 * never changes the command's answer or exit code: a review log that cannot be written (the file
 * read-only, the archive locked past 5 s) is a warning on stderr with its typed code.
 */
export async function reviewed<T>(
  io: Io,
  archivePath: string,
  action: ReviewLook['action'],
  scope: Record<string, unknown>,
  run: () => T | Promise<T>,
  describe?: (value: T) => Partial<ReviewLook>,
): Promise<T> {
  const path = resolve(archivePath);
  const record = (entry: Partial<ReviewLook>) => {
    // No archive there: nothing was read, and there is nowhere to record it.
    if (!existsSync(path)) return;
    const recorder = new ReviewRecorder({ shell: 'cli', log: createLogger({ level: 'warn', write: io.err }) });
    recorder.record(path, { action, scope, ...entry });
    recorder.close();
  };
  let value: T;
  try {
    value = await run();
  } catch (error) {
    const failed = failedLook(error);
    if (failed !== null) record(failed);
    throw error;
  }
  record(describe ? describe(value) : {});
  return value;
}
