import { useEffect, useState } from 'react';
import type { SyncDone, SyncProgress } from '../../../../shared/views';
import { useApi } from '../../api/ApiContext';
import { useEvent } from '../../hooks/useEvent';

export type SyncJob =
  { state: 'checking' } | { state: 'idle'; last: SyncDone | null } | { state: 'starting' } | { state: 'running'; jobId: string | null; progress: SyncProgress | null; cancelling: boolean };

/**
 * The sync job as the screen sees it: reattaches to a running sync (sync:status), follows its
 * progress events, and keeps the final report. A sync started elsewhere (the schedule, another
 * window) is adopted too, since there is only ever one per archive.
 */
export function useSyncJob(onDone: () => void) {
  const api = useApi();
  const [job, setJob] = useState<SyncJob>({ state: 'checking' });
  const [startError, setStartError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.invoke('sync:status', {}).then(
      (status) => {
        if (!live) return;
        // A progress event may have arrived first; keep it rather than going back to idle.
        setJob((current) =>
          current.state !== 'checking' ? current : status === null ? { state: 'idle', last: null } : { state: 'running', jobId: status.jobId, progress: status.progress, cancelling: false },
        );
      },
      () => live && setJob((current) => (current.state === 'checking' ? { state: 'idle', last: null } : current)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  useEvent('sync:progress', ({ jobId, progress }) => {
    setJob((current) => {
      if (current.state === 'running' && current.jobId !== null && current.jobId !== jobId) return current;
      return { state: 'running', jobId, progress, cancelling: current.state === 'running' && current.cancelling };
    });
  });

  useEvent('sync:done', (done) => {
    setJob((current) => (current.state === 'running' && current.jobId !== null && current.jobId !== done.jobId ? current : { state: 'idle', last: done }));
    onDone();
  });

  function start(full: boolean) {
    setStartError(null);
    setJob({ state: 'starting' });
    api.invoke('sync:start', { full }).then(
      ({ jobId }) =>
        setJob((current) =>
          current.state === 'idle' && current.last?.jobId === jobId ? current : { state: 'running', jobId, progress: current.state === 'running' ? current.progress : null, cancelling: false },
        ),
      (error: unknown) => {
        setStartError(error);
        setJob({ state: 'idle', last: null });
      },
    );
  }

  function cancel() {
    if (job.state !== 'running' || job.jobId === null) return;
    const jobId = job.jobId;
    setJob({ ...job, cancelling: true });
    api.invoke('sync:cancel', { jobId }).catch((error: unknown) => {
      setStartError(error);
      setJob((current) => (current.state === 'running' ? { ...current, cancelling: false } : current));
    });
  }

  return { job, start, cancel, startError };
}
