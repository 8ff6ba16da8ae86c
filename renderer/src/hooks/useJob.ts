import { useEffect, useState } from 'react';
import type { EventPayloads, RequestOf } from '../../../shared/contract';
import type { JobState } from '../../../shared/views';
import { useApi } from '../api/ApiContext';
import { useEvent } from './useEvent';

/** The kinds of job the app runs; each has `<kind>:status`, `<kind>:cancel` and `<kind>:progress` / `<kind>:done`. */
export type JobKind = JobState<unknown>['kind'];

/** The operation that starts each kind of job (the only name that does not follow `<kind>:verb`). */
const startOperations = { sync: 'sync:start', audit: 'audit:export' } as const;
type StartOperation<K extends JobKind> = (typeof startOperations)[K];

/** The status and cancel requests of each kind, spelt per kind so that the compiler checks them against the contract. */
const requests: { [Kind in JobKind]: { status: RequestOf<`${Kind}:status`>; cancel: (jobId: string) => RequestOf<`${Kind}:cancel`> } } = {
  sync: { status: {}, cancel: (jobId) => ({ jobId }) },
  audit: { status: {}, cancel: (jobId) => ({ jobId }) },
};

export type JobProgress<K extends JobKind> = EventPayloads[`${K}:progress`]['progress'];
export type JobDone<K extends JobKind> = EventPayloads[`${K}:done`];

/**
 * A job as a screen sees it: `checking` until the app says whether one is running, `starting`
 * while a start is on its way, `running` (jobId null only until the first event or reply names
 * it), and `idle` with the last done event seen here, if any.
 */
export type Job<K extends JobKind> =
  { state: 'checking' } | { state: 'idle'; last: JobDone<K> | null } | { state: 'starting' } | { state: 'running'; jobId: string | null; progress: JobProgress<K> | null; cancelling: boolean };

export interface UseJob<K extends JobKind> {
  job: Job<K>;
  start: (request: RequestOf<StartOperation<K>>) => void;
  /** Cancels the job being followed (by its id); nothing while none is. */
  cancel: () => void;
  /** Why the last start or cancel failed; null after a new start. */
  error: unknown;
}

/**
 * Follows the job of one kind (there is only ever one per archive): reattaches to a running job
 * on mount (`<kind>:status`), adopts a job started elsewhere (the schedule, another window) from
 * its events, ignores the events of any other job while following one, and keeps the last done
 * event, even one that arrives before the start's reply. `onDone` runs on every done event.
 */
export function useJob<K extends JobKind>(kind: K, onDone: () => void): UseJob<K> {
  const api = useApi();
  const [job, setJob] = useState<Job<K>>({ state: 'checking' });
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    const status: Promise<JobState<JobProgress<K>> | null> = api.invoke(`${kind}:status`, requests[kind].status);
    status.then(
      (running) => {
        if (!live) return;
        // An event may have arrived first; keep what it said rather than going back.
        setJob((current) =>
          current.state !== 'checking' ? current : running === null ? { state: 'idle', last: null } : { state: 'running', jobId: running.jobId, progress: running.progress, cancelling: false },
        );
      },
      (failure: unknown) => {
        console.warn(`${kind}:status failed`, failure);
        if (live) setJob((current) => (current.state === 'checking' ? { state: 'idle', last: null } : current));
      },
    );
    return () => {
      live = false;
    };
  }, [api, kind]);

  useEvent(`${kind}:progress`, ({ jobId, progress }: { jobId: string; progress: JobProgress<K> }) => {
    setJob((current) => {
      if (current.state === 'running' && current.jobId !== null && current.jobId !== jobId) return current;
      return { state: 'running', jobId, progress, cancelling: current.state === 'running' && current.cancelling };
    });
  });

  useEvent(`${kind}:done`, (done: JobDone<K>) => {
    setJob((current) => (current.state === 'running' && current.jobId !== null && current.jobId !== done.jobId ? current : { state: 'idle', last: done }));
    onDone();
  });

  function start(request: RequestOf<StartOperation<K>>) {
    setError(null);
    setJob({ state: 'starting' });
    const started: Promise<{ jobId: string }> = api.invoke(startOperations[kind], request);
    started.then(
      ({ jobId }) =>
        setJob((current) =>
          // Its done event may already have come: then it is over, not running.
          current.state === 'idle' && current.last?.jobId === jobId ? current : { state: 'running', jobId, progress: current.state === 'running' ? current.progress : null, cancelling: false },
        ),
      (failure: unknown) => {
        setError(failure);
        setJob({ state: 'idle', last: null });
      },
    );
  }

  function cancel() {
    if (job.state !== 'running' || job.jobId === null) return;
    const jobId = job.jobId;
    setJob({ ...job, cancelling: true });
    api.invoke(`${kind}:cancel`, requests[kind].cancel(jobId)).catch((failure: unknown) => {
      setError(failure);
      setJob((current) => (current.state === 'running' ? { ...current, cancelling: false } : current));
    });
  }

  return { job, start, cancel, error };
}
