import { randomUUID } from 'node:crypto';
import type { EventPayloads } from '../../../shared/contract';
import { toVaultError, VaultError } from '../../../shared/errors';
import type { JobState } from '../../../shared/views';
import type { Clock } from '../util/clock';
import type { Emit } from './context';

/** The kinds of long work the app runs as jobs; each has `<kind>:progress` and `<kind>:done` events. */
export type JobKind = JobState<unknown>['kind'];
export type JobProgress<K extends JobKind> = EventPayloads[`${K}:progress`]['progress'];
/** The done event: the job's id with its outcome or its error. */
export type JobDone<K extends JobKind> = EventPayloads[`${K}:done`];
/** What a job's work resolves with: its done event without the id and the error (`{ report }`, `{ result }`). */
export type JobOutcome<K extends JobKind> = Omit<JobDone<K>, 'jobId' | 'error'>;
export type JobWork<K extends JobKind> = (signal: AbortSignal, onProgress: (progress: JobProgress<K>) => void) => Promise<JobOutcome<K>>;

export interface RunningJob<K extends JobKind> {
  readonly jobId: string;
  /** Resolves with the done event once it has gone out (the runner is free by then). Never rejects. */
  readonly finished: Promise<JobDone<K>>;
}

/** Runs one job of a kind at a time, with its progress and done events. */
export interface JobRunner<K extends JobKind> {
  /** The running job (id, start, latest progress), or null when none runs: how a reloaded screen reattaches. */
  status(): JobState<JobProgress<K>> | null;
  /** Throws ARCHIVE_LOCKED (with a hint) while a job of this kind runs. */
  assertIdle(): void;
  /**
   * Starts `work` as a job (ARCHIVE_LOCKED if one is running). Its progress goes out as
   * `<kind>:progress` at most once per `progressEveryMs` of the clock, the latest always before
   * the done event; what it resolves with, or the shape of what it throws, goes out as `<kind>:done`.
   */
  start(work: JobWork<K>): RunningJob<K>;
  /** Asks the running job to stop if it has this id; false when it has not (finished, or another job). */
  cancel(jobId: string): boolean;
  /** Cancels the running job, if any, and waits until it has finished. */
  stop(): Promise<void>;
}

export interface JobRunnerOptions<K extends JobKind> {
  kind: K;
  clock: Clock;
  emit: Emit;
  /** The refusal while a job runs, e.g. "A sync is already running." */
  busyMessage: string;
  /** Default 100: ten progress events a second at most. */
  progressEveryMs?: number;
}

interface Job<K extends JobKind> {
  state: JobState<JobProgress<K>>;
  controller: AbortController;
  finished: Promise<JobDone<K>>;
}

export function createJobRunner<K extends JobKind>(options: JobRunnerOptions<K>): JobRunner<K> {
  const { kind, clock, emit } = options;
  const progressEveryMs = options.progressEveryMs ?? 100;
  const progressEvent = `${kind}:progress` as const;
  const doneEvent = `${kind}:done` as const;
  let current: Job<K> | null = null;

  function assertIdle(): void {
    if (current) throw new VaultError('ARCHIVE_LOCKED', options.busyMessage, { hint: 'Wait for it to finish, or cancel it.' });
  }

  function start(work: JobWork<K>): RunningJob<K> {
    assertIdle();
    const controller = new AbortController();
    const state: JobState<JobProgress<K>> = { jobId: `${kind}-${randomUUID()}`, kind, startedAt: clock.now(), progress: null };
    const { jobId } = state;
    let lastSentAt: number | null = null;
    let unsent = false;
    let ended = false;
    const sendProgress = (progress: JobProgress<K>) => {
      lastSentAt = clock.now();
      unsent = false;
      // TypeScript cannot pair the generic K's event name with its payload; K fixes both.
      emit(progressEvent, { jobId, progress } as EventPayloads[typeof progressEvent]);
    };
    const onProgress = (progress: JobProgress<K>) => {
      if (ended) return;
      state.progress = progress;
      if (lastSentAt !== null && clock.now() - lastSentAt < progressEveryMs) unsent = true;
      else sendProgress(progress);
    };
    const run = async (): Promise<JobDone<K>> => {
      let done: JobDone<K>;
      try {
        done = { ...(await work(controller.signal, onProgress)), jobId };
      } catch (error) {
        done = { jobId, error: toVaultError(error).toShape() };
      }
      ended = true;
      if (unsent && state.progress !== null) sendProgress(state.progress);
      if (current === job) current = null;
      emit(doneEvent, done);
      return done;
    };
    // Registered before the work starts, so a job that fails at once still frees the runner.
    let resolveFinished: (done: JobDone<K>) => void = () => undefined;
    const job: Job<K> = { state, controller, finished: new Promise((resolve) => (resolveFinished = resolve)) };
    current = job;
    void run().then(resolveFinished);
    return { jobId, finished: job.finished };
  }

  return {
    status: () => (current ? { ...current.state } : null),
    assertIdle,
    start,
    cancel(jobId) {
      if (current?.state.jobId !== jobId) return false;
      current.controller.abort();
      return true;
    },
    async stop() {
      const job = current;
      if (!job) return;
      job.controller.abort();
      await job.finished;
    },
  };
}
