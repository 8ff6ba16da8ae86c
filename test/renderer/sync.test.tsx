import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SyncProgress, SyncReport } from '../../shared/sync';
import type { JobState } from '../../shared/views';
import { SyncScreen } from '../../renderer/src/features/sync/SyncScreen';
import { fakeApi, infoFixture, renderWithVault } from './fixtures';

function progress(patch: Partial<SyncProgress> = {}): SyncProgress {
  return {
    phase: 'conversations',
    chatId: 'CT_9',
    chatTitle: 'Finance',
    chatsTotal: 40,
    chatsDone: 10,
    messagesStored: 1234,
    calls: 56,
    etaMs: 125_000,
    filesStored: 0,
    filesDone: 0,
    filesRemaining: 0,
    ...patch,
  };
}

const report: SyncReport = {
  runId: 7,
  status: 'partial',
  cancelled: false,
  startedAt: Date.UTC(2026, 2, 31, 2, 30),
  endedAt: Date.UTC(2026, 2, 31, 2, 45),
  counts: {
    chats: 3,
    channels: 2,
    threads: 1,
    users: 9,
    conversationsSynced: 5,
    conversationsUnchanged: 30,
    conversationsFailed: 1,
    messagesNew: 321,
    messagesChanged: 4,
    messagesDeleted: 2,
    messagesRestored: 0,
    membersFirstArchived: 57,
    membersJoined: 1,
    membersLeft: 0,
    goneChats: 0,
    goneUsers: 0,
  },
  calls: { messages: 40 },
  callsTotal: 60,
  messageCalls: 40,
  rateLimited: {},
  errors: [{ code: 'FORBIDDEN', message: 'Cliq refused the messages of this chat.', chatId: 'CT_77' }],
  messagesMode: undefined,
};

function setup(status: JobState<SyncProgress> | null = null, info = infoFixture()) {
  const api = fakeApi()
    .handle('sync:plan', () => ({ knownConversations: 40, firstSync: false, estimatedCalls: 120, estimatedMs: 240_000, filesDue: 12, budget: ['messages: 30 requests a minute'], lastRun: null }))
    .handle('sync:runs', () => [])
    .handle('sync:status', () => status)
    .handle('sync:start', () => ({ jobId: 'job-1' }))
    .handle('sync:cancel', () => ({ cancelled: true }))
    .handle('archive:sources', () => []);
  renderWithVault(<SyncScreen />, { api, info });
  return api;
}

describe('Sync', () => {
  it('tells a demo org apart: it has a day of activity between syncs', async () => {
    const demo = infoFixture();
    setup(null, { ...demo, activeProfile: demo.activeProfile === null ? null : { ...demo.activeProfile, demo: true } });
    expect((await screen.findByRole('note')).textContent).toMatch(/demo org\. It has a day of activity between syncs/);
    // After its first sync, the demo's button says that it moves the org a day on.
    expect(await screen.findByRole('button', { name: 'Simulate a day of activity and sync' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start sync' })).toBeNull();
  });

  it('says nothing of demo days for a real org', async () => {
    setup();
    expect(await screen.findByText('messages: 30 requests a minute')).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('starts a sync and follows its progress events on a real progress bar', async () => {
    const api = setup();
    expect(await screen.findByText('messages: 30 requests a minute')).toBeTruthy();
    await userEvent.click(screen.getByLabelText(/Full re-read/));
    await userEvent.click(screen.getByRole('button', { name: 'Start sync' }));
    expect(api.requestsOf('sync:start')).toEqual([{ full: true }]);

    await waitFor(() => expect(api.listenerCount('sync:progress')).toBe(1));
    act(() => api.emit('sync:progress', { jobId: 'job-1', progress: progress() }));
    const bar = await screen.findByRole('progressbar', { name: 'Conversations and files archived' });
    expect(bar.getAttribute('value')).toBe('10');
    expect(bar.getAttribute('max')).toBe('40');
    expect(screen.getByText('Archiving conversations')).toBeTruthy();
    expect(screen.getByText('Finance')).toBeTruthy();
    expect(screen.getByText('1,234')).toBeTruthy();

    act(() => api.emit('sync:progress', { jobId: 'job-1', progress: progress({ chatsDone: 30 }) }));
    expect(screen.getByRole('progressbar').getAttribute('value')).toBe('30');
  });

  it('counts the files on the same bar: done and still to fetch', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Start sync' }));
    await waitFor(() => expect(api.listenerCount('sync:progress')).toBe(1));
    act(() => api.emit('sync:progress', { jobId: 'job-1', progress: progress({ chatsDone: 40, filesStored: 7, filesDone: 9, filesRemaining: 51 }) }));
    const bar = await screen.findByRole('progressbar', { name: 'Conversations and files archived' });
    expect(bar.getAttribute('value')).toBe('49');
    expect(bar.getAttribute('max')).toBe('100');
    expect(screen.getByText('7 stored, 51 to go')).toBeTruthy();
  });

  it('explains a rate-limit pause in plain words with the time it resumes', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Start sync' }));
    act(() => api.emit('sync:progress', { jobId: 'job-1', progress: progress({ pausedUntil: Date.UTC(2026, 2, 31, 14, 32) }) }));
    expect(await screen.findByText('Cliq asked us to slow down; resuming at 14:32 — nothing is lost.')).toBeTruthy();
  });

  it('reattaches to a running sync on load and cancels it by job id', async () => {
    const api = setup({ jobId: 'job-9', kind: 'sync', startedAt: 0, progress: progress({ chatsDone: 5 }) });
    const bar = await screen.findByRole('progressbar');
    expect(bar.getAttribute('value')).toBe('5');
    expect(api.requestsOf('sync:start')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel sync' }));
    expect(api.requestsOf('sync:cancel')).toEqual([{ jobId: 'job-9' }]);
    expect(screen.getByRole('button', { name: 'Cancelling…' })).toBeTruthy();
  });

  it('shows the report when the sync is done, with each error and its conversation', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Start sync' }));
    act(() => api.emit('sync:progress', { jobId: 'job-1', progress: progress() }));
    act(() => api.emit('sync:done', { jobId: 'job-1', report }));
    const heading = await screen.findByRole('heading', { name: /Sync finished/ });
    expect(heading.textContent).toContain('partial');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByText('321')).toBeTruthy();
    // Members a first listing found are not counted as joiners.
    expect(screen.getByText('Members when first archived').nextElementSibling?.textContent).toBe('57');
    expect(screen.getByText('Members joined').nextElementSibling?.textContent).toBe('1');
    const link = screen.getByRole('link', { name: 'CT_77' });
    expect(link.getAttribute('href')).toBe('#/browse/CT_77');
    expect(screen.getByText('Cliq refused the messages of this chat.')).toBeTruthy();
    // The plan, the runs and the evidence sources are read again after the run.
    await waitFor(() => expect(api.requestsOf('sync:runs').length).toBeGreaterThan(1));
    await waitFor(() => expect(api.requestsOf('archive:sources').length).toBeGreaterThan(1));
  });

  it('a run stopped by a revoked token says what to do and links back to Connect', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Start sync' }));
    const fatal = {
      code: 'AUTH_INVALID_GRANT' as const,
      message: 'Zoho refused the refresh token (invalid_code).',
      hint: 'Connect the org again on the Connect screen with a new self-client grant code.',
    };
    act(() => api.emit('sync:done', { jobId: 'job-1', report: { ...report, status: 'failed', errors: [], fatal } }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(fatal.message);
    expect(alert.textContent).toContain(fatal.hint);
    expect(screen.getByRole('link', { name: 'Connect the org again' }).getAttribute('href')).toBe('#/connect');
  });

  it('a run stopped by something else offers no reconnect', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Start sync' }));
    const fatal = { code: 'IO_ERROR' as const, message: 'The disk holding the archive is full.', hint: 'Free some space, then sync again.' };
    act(() => api.emit('sync:done', { jobId: 'job-1', report: { ...report, status: 'failed', errors: [], fatal } }));
    expect((await screen.findByRole('alert')).textContent).toContain(fatal.hint);
    expect(screen.queryByRole('link', { name: 'Connect the org again' })).toBeNull();
  });

  it('a stop the core words for the CLI is shown in the screens’ words, its code only under Details', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Start sync' }));
    const fatal = {
      code: 'NETWORK' as const,
      message: 'Could not reach the Zoho accounts server at https://accounts.zoho.eu.',
      hint: 'Check the network and the data centre (--dc).',
      ui: { message: 'Could not reach the Zoho accounts server at https://accounts.zoho.eu.', hint: 'Check the network connection and the data centre chosen for the org.' },
    };
    act(() => api.emit('sync:done', { jobId: 'job-1', report: { ...report, status: 'failed', errors: [], fatal } }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Check the network connection and the data centre chosen for the org.');
    expect(alert.textContent).not.toContain('--dc');
    const details = alert.querySelector('details');
    expect(details?.open).toBe(false);
    expect(details?.textContent).toContain('NETWORK');
    details?.remove();
    expect(alert.textContent).not.toContain('NETWORK');
  });
});
