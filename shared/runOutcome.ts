/**
 * How a sync run ended, decided in one place: the engine records this status in the archive and
 * reports it, and the CLI (and the scheduled job through it) exits with this code.
 */
import type { ErrorCode } from './errors';
import { exitCodeForError, exitCodes, type ExitCode } from './exitCodes';
import type { SyncStatus } from './sync';
import { makesRunPartial, type RunErrorCode } from './warnings';

/** What decides a run's outcome; a {@link SyncReport} has this shape. */
export interface RunFacts {
  /** The run was cancelled (Ctrl-C, the app's cancel): partial, and the next run resumes. */
  cancelled: boolean;
  /** The error that stopped the run, if one did. A `CANCELLED` error counts as cancelled. */
  fatal?: { code: ErrorCode } | undefined;
  /** Everything the run noted (the fatal error may be among them). */
  errors: readonly { code: RunErrorCode }[];
}

export interface RunOutcome {
  status: SyncStatus;
  cancelled: boolean;
  exitCode: ExitCode;
}

/**
 * complete (exit 0): nothing stopped the run and every note describes the org (warnings.ts).
 * partial (exit 5): cancelled, or a note says another run may do better (rate-limited, a network
 * failure on one conversation, an interrupted run). failed: an error stopped the run; its exit
 * code is that error's (4 for authorization, 3 for a lock, 1 otherwise).
 */
export function classifyRun(run: RunFacts): RunOutcome {
  const cancelled = run.cancelled || run.fatal?.code === 'CANCELLED';
  if (cancelled) return { status: 'partial', cancelled, exitCode: exitCodes.partial };
  if (run.fatal !== undefined) return { status: 'failed', cancelled, exitCode: exitCodeForError(run.fatal.code) };
  if (run.errors.some((e) => makesRunPartial(e.code))) return { status: 'partial', cancelled, exitCode: exitCodes.partial };
  return { status: 'complete', cancelled, exitCode: exitCodes.ok };
}
