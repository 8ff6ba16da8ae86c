import { useEffect, useState } from 'react';
import type { RequestOf } from '../../../../shared/contract';
import type { AuditDone, AuditProgress } from '../../../../shared/views';
import { useApi } from '../../api/ApiContext';
import { useEvent } from '../../hooks/useEvent';

export type AuditJob = { state: 'idle'; last: AuditDone | null } | { state: 'starting' } | { state: 'running'; jobId: string | null; progress: AuditProgress | null; cancelling: boolean };

/** The export job: started here or found running (audit:status), followed by its events. */
export function useAuditJob(onDone: () => void) {
  const api = useApi();
  const [job, setJob] = useState<AuditJob>({ state: 'idle', last: null });
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.invoke('audit:status', {}).then(
      (status) => {
        if (live && status !== null) setJob((current) => (current.state === 'idle' ? { state: 'running', jobId: status.jobId, progress: status.progress, cancelling: false } : current));
      },
      (e: unknown) => console.warn('audit:status failed', e),
    );
    return () => {
      live = false;
    };
  }, [api]);

  useEvent('audit:progress', ({ jobId, progress }) => {
    setJob((current) =>
      current.state === 'running' && current.jobId !== null && current.jobId !== jobId ? current : { state: 'running', jobId, progress, cancelling: current.state === 'running' && current.cancelling },
    );
  });

  useEvent('audit:done', (done) => {
    setJob((current) => (current.state === 'running' && current.jobId !== null && current.jobId !== done.jobId ? current : { state: 'idle', last: done }));
    onDone();
  });

  function start(request: RequestOf<'audit:export'>) {
    setError(null);
    setJob({ state: 'starting' });
    api.invoke('audit:export', request).then(
      ({ jobId }) =>
        setJob((current) =>
          current.state === 'idle' && current.last?.jobId === jobId ? current : { state: 'running', jobId, progress: current.state === 'running' ? current.progress : null, cancelling: false },
        ),
      (e: unknown) => {
        setError(e);
        setJob({ state: 'idle', last: null });
      },
    );
  }

  function cancel() {
    if (job.state !== 'running' || job.jobId === null) return;
    const jobId = job.jobId;
    setJob({ ...job, cancelling: true });
    api.invoke('audit:cancel', { jobId }).catch((e: unknown) => setError(e));
  }

  return { job, start, cancel, error };
}
