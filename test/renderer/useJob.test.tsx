import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditResult } from '../../shared/audit';
import type { SyncProgress, SyncReport } from '../../shared/sync';
import type { JobStarted } from '../../shared/views';
import { ApiError } from '../../renderer/src/api/ApiError';
import { ApiProvider } from '../../renderer/src/api/ApiContext';
import { useJob, type JobKind } from '../../renderer/src/hooks/useJob';
import { deferred, FakeVaultApi } from './fakeApi';

function progress(chatsDone: number): SyncProgress {
  return { phase: 'conversations', chatsTotal: 40, chatsDone, messagesStored: 10 * chatsDone, calls: chatsDone, etaMs: 1_000, filesStored: 0, filesDone: 0, filesRemaining: 0 };
}
const report = { runId: 1, status: 'complete' } as SyncReport;
const result: AuditResult = { bundlePath: '/exports/audit-1', bundleHash: 'a'.repeat(64), files: [], warnings: [], durationMs: 5, signature: { fingerprint: 'ab12', ephemeral: true } };

/** The hook for `kind` on a fake api where no job is running unless the test says otherwise. */
function mount<K extends JobKind>(kind: K, api: FakeVaultApi) {
  const onDone = vi.fn();
  const wrapper = ({ children }: { children: ReactNode }) => <ApiProvider api={api}>{children}</ApiProvider>;
  const hook = renderHook(() => useJob(kind, onDone), { wrapper });
  return { ...hook, onDone };
}

function syncApi() {
  return new FakeVaultApi()
    .handle('sync:status', () => null)
    .handle('sync:start', () => ({ jobId: 'sync-1' }))
    .handle('sync:cancel', () => ({ cancelled: true }));
}

afterEach(() => vi.restoreAllMocks());

describe('useJob', () => {
  it('asks the kind’s own status on mount and reattaches to a running job', async () => {
    const api = new FakeVaultApi().handle('audit:status', () => ({ jobId: 'audit-9', kind: 'audit', startedAt: 0, progress: { dataset: 'messages', rows: 12 } }));
    const { result: hook } = mount('audit', api);
    expect(hook.current.job).toEqual({ state: 'checking' });
    await waitFor(() => expect(hook.current.job).toEqual({ state: 'running', jobId: 'audit-9', progress: { dataset: 'messages', rows: 12 }, cancelling: false }));
    expect(api.calls.map((call) => call.name)).toEqual(['audit:status']);
  });

  it('adopts a job started elsewhere from its events, and keeps its done event', async () => {
    const api = syncApi();
    const { result: hook, onDone } = mount('sync', api);
    await waitFor(() => expect(hook.current.job).toEqual({ state: 'idle', last: null }));
    act(() => api.emit('sync:progress', { jobId: 'sync-scheduled', progress: progress(3) }));
    expect(hook.current.job).toEqual({ state: 'running', jobId: 'sync-scheduled', progress: progress(3), cancelling: false });
    act(() => api.emit('sync:done', { jobId: 'sync-scheduled', report }));
    expect(hook.current.job).toEqual({ state: 'idle', last: { jobId: 'sync-scheduled', report } });
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('keeps an event that came before the status reply', async () => {
    const api = syncApi();
    const status = deferred<null>();
    api.handle('sync:status', () => status.promise);
    const { result: hook } = mount('sync', api);
    await waitFor(() => expect(api.listenerCount('sync:progress')).toBe(1));
    act(() => api.emit('sync:progress', { jobId: 'sync-1', progress: progress(1) }));
    await act(() => {
      status.resolve(null);
      return status.promise;
    });
    expect(hook.current.job).toMatchObject({ state: 'running', jobId: 'sync-1' });
  });

  it('ignores the progress and done events of another job while following one', async () => {
    const api = syncApi();
    const { result: hook, onDone } = mount('sync', api);
    await waitFor(() => expect(hook.current.job.state).toBe('idle'));
    act(() => hook.current.start({ full: false }));
    await waitFor(() => expect(hook.current.job).toMatchObject({ state: 'running', jobId: 'sync-1' }));
    act(() => api.emit('sync:progress', { jobId: 'sync-1', progress: progress(5) }));
    act(() => api.emit('sync:progress', { jobId: 'sync-other', progress: progress(39) }));
    expect(hook.current.job).toEqual({ state: 'running', jobId: 'sync-1', progress: progress(5), cancelling: false });
    act(() => api.emit('sync:done', { jobId: 'sync-other', report }));
    expect(hook.current.job).toMatchObject({ state: 'running', jobId: 'sync-1' });
    // The screen still reloads what another job's end may have changed.
    expect(onDone).toHaveBeenCalledTimes(1);
    // Events of the other kind are not this hook's business at all.
    act(() => api.emit('audit:progress', { jobId: 'sync-1', progress: { dataset: 'messages', rows: 1 } }));
    expect(hook.current.job).toEqual({ state: 'running', jobId: 'sync-1', progress: progress(5), cancelling: false });
  });

  it('stays done when the done event comes before the start’s reply', async () => {
    const api = syncApi();
    const reply = deferred<JobStarted>();
    api.handle('sync:start', () => reply.promise);
    const { result: hook, onDone } = mount('sync', api);
    await waitFor(() => expect(hook.current.job.state).toBe('idle'));
    act(() => hook.current.start({ full: true }));
    expect(hook.current.job).toEqual({ state: 'starting' });
    await waitFor(() => expect(api.requestsOf('sync:start')).toEqual([{ full: true }]));
    act(() => api.emit('sync:done', { jobId: 'sync-1', report }));
    await act(() => {
      reply.resolve({ jobId: 'sync-1' });
      return reply.promise;
    });
    expect(hook.current.job).toEqual({ state: 'idle', last: { jobId: 'sync-1', report } });
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('starts with the kind’s start operation, and reports a failed start until the next one', async () => {
    const refused = new ApiError({ code: 'ARCHIVE_LOCKED', message: 'An audit export is already running.' });
    const api = new FakeVaultApi().handle('audit:status', () => null).handle('audit:export', () => Promise.reject(refused));
    const { result: hook } = mount('audit', api);
    await waitFor(() => expect(hook.current.job.state).toBe('idle'));
    act(() => hook.current.start({ scope: { deleted: 'exclude' }, destination: '/exports' }));
    await waitFor(() => expect(hook.current.error).toBe(refused));
    expect(api.requestsOf('audit:export')).toEqual([{ scope: { deleted: 'exclude' }, destination: '/exports' }]);
    expect(hook.current.error).toBe(refused);
    expect(hook.current.job).toEqual({ state: 'idle', last: null });

    api.handle('audit:export', () => ({ jobId: 'audit-2' }));
    act(() => hook.current.start({ scope: {} }));
    expect(hook.current.error).toBeNull();
    await waitFor(() => expect(hook.current.job).toMatchObject({ state: 'running', jobId: 'audit-2' }));
    act(() => api.emit('audit:done', { jobId: 'audit-2', result }));
    expect(hook.current.job).toEqual({ state: 'idle', last: { jobId: 'audit-2', result } });
  });

  it('cancels by job id, and when the cancel fails says so and can cancel again', async () => {
    const api = syncApi();
    const answer = deferred<{ cancelled: boolean }>();
    api.handle('sync:status', () => ({ jobId: 'sync-7', kind: 'sync', startedAt: 0, progress: null }));
    api.handle('sync:cancel', () => answer.promise);
    const { result: hook } = mount('sync', api);
    await waitFor(() => expect(hook.current.job.state).toBe('running'));
    act(() => hook.current.cancel());
    expect(hook.current.job).toMatchObject({ state: 'running', jobId: 'sync-7', cancelling: true });
    await waitFor(() => expect(api.requestsOf('sync:cancel')).toEqual([{ jobId: 'sync-7' }]));
    const failure = new ApiError({ code: 'INTERNAL', message: 'The app did not answer.' });
    await act(() => {
      answer.reject(failure);
      return answer.promise.catch(() => undefined);
    });
    expect(hook.current.error).toBe(failure);
    expect(hook.current.job).toMatchObject({ state: 'running', jobId: 'sync-7', cancelling: false });

    api.handle('sync:cancel', () => ({ cancelled: true }));
    act(() => hook.current.cancel());
    await waitFor(() => expect(api.requestsOf('sync:cancel')).toHaveLength(2));
  });

  it('treats an unanswered status as no job running', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const api = new FakeVaultApi().handle('sync:status', () => Promise.reject(new ApiError({ code: 'INTERNAL', message: 'down' })));
    const { result: hook } = mount('sync', api);
    await waitFor(() => expect(hook.current.job).toEqual({ state: 'idle', last: null }));
    expect(warn).toHaveBeenCalledWith('sync:status failed', expect.any(ApiError));
  });
});
