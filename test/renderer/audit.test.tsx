import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AuditProgress, AuditResult } from '../../shared/audit';
import type { AppInfo, ConversationRow, JobState } from '../../shared/views';
import { AuditScreen } from '../../renderer/src/features/audit/AuditScreen';
import { fakeApi, infoFixture, renderWithVault } from './fixtures';

const finance: ConversationRow = {
  chatId: 'CT_1',
  kind: 'channel',
  kindSource: 'listing',
  title: 'Finance',
  parentChatId: null,
  memberCount: 5,
  serverMessageCount: 100,
  archivedCount: 100,
  deletedCount: 2,
  syncStatus: 'complete',
  lastCompleteAt: null,
  lastMessageAt: null,
  errorCode: null,
  goneAt: null,
};

const result: AuditResult = {
  bundlePath: '/exports/acme-2026-03-31',
  bundleHash: 'a'.repeat(64),
  files: [
    { path: 'messages.csv', dataset: 'messages', format: 'csv', rows: 1200, bytes: 4096, sha256: 'b'.repeat(64) },
    { path: 'members.jsonl', dataset: 'members', format: 'jsonl', rows: 5, bytes: 300, sha256: 'c'.repeat(64) },
  ],
  warnings: ['2 conversations were never archived completely.'],
  durationMs: 1500,
  signature: { fingerprint: 'ab12:cd34', ephemeral: false },
};

function setup(status: JobState<AuditProgress> | null = null, info: AppInfo = infoFixture()) {
  const api = fakeApi()
    .handle('archive:conversations', () => [finance])
    .handle('archive:people', () => [{ userId: '60000001', name: 'Dana', email: 'dana@acme.test', messages: 40 }])
    .handle('audit:history', () => [])
    .handle('audit:seals', () => [])
    .handle('audit:status', () => status)
    .handle('audit:preview', (scope) =>
      scope.conversations?.includes('CT_1') === true
        ? { conversations: 1, messages: 100, senders: 4, from: null, to: null, attachments: 3, attachmentBytes: 2048 }
        : { conversations: 12, messages: 5400, senders: 30, from: Date.UTC(2025, 0, 1), to: Date.UTC(2026, 2, 31), attachments: 40, attachmentBytes: 5_242_880 },
    )
    .handle('audit:export', () => ({ jobId: 'audit-1' }))
    .handle('audit:cancel', () => ({ cancelled: true }))
    .handle('shell:reveal', () => ({ shown: false }))
    .handle('audit:verifyBundle', () => ({
      ok: true,
      bundlePath: result.bundlePath,
      filesChecked: 2,
      integrityHead: 'd'.repeat(64),
      bundleHash: 'e'.repeat(64),
      signature: { status: 'valid', fingerprint: 'ab12:cd34', ephemeral: false, problem: null },
      handOvers: [],
      problems: [],
    }));
  renderWithVault(<AuditScreen />, { api, info });
  return api;
}

describe('Audit', () => {
  it('names the installation key that signs bundles, or says each bundle gets its own key', async () => {
    setup();
    expect((await screen.findByTestId('bundle-signing')).textContent).toMatch(/this installation's key, kept in the OS secret store: 1a2b:3c4d/);
  });

  it('asks for the archive as it stood at the end of a day, and leaves it out when cleared', async () => {
    const api = setup();
    const field = await screen.findByLabelText(/As it stood at the end of/);
    await userEvent.type(field, '2026-03-01');
    await waitFor(() => expect(api.requestsOf('audit:preview').at(-1)).toMatchObject({ asOf: '2026-03-01' }));
    await userEvent.clear(field);
    await waitFor(() => expect(api.requestsOf('audit:preview').at(-1)).not.toHaveProperty('asOf'));
  });

  it('says when each bundle is signed with a key of its own, and why', async () => {
    setup(null, { ...infoFixture(), bundleSigning: { kind: 'ephemeral', fingerprint: null, origin: 'serve was started without a signing key' } });
    expect((await screen.findByTestId('bundle-signing')).textContent).toBe('Bundles are signed with a key made for each bundle (serve was started without a signing key).');
  });

  it('previews the scope and updates the counts when the scope changes', async () => {
    const api = setup();
    const facts = await screen.findByLabelText('Scope preview');
    await waitFor(() => expect(facts.textContent).toContain('5,400'));
    expect(facts.textContent).toContain('2025-01-01 → 2026-03-31');

    const conversations = screen.getByRole('group', { name: 'Conversations' });
    await userEvent.click(await within(conversations).findByLabelText(/Finance/));
    await waitFor(() => expect(screen.getByLabelText('Scope preview').textContent).toContain('100'));
    const last = api.requestsOf('audit:preview').at(-1);
    expect(last).toMatchObject({ conversations: ['CT_1'], formats: ['csv', 'jsonl'], ids: 'excel', timeZone: 'UTC', files: true, transcripts: true });
    expect(screen.getByLabelText('Scope preview').textContent).toContain('3 (2.0 KB of files)');
  });

  it('sends files: false when "Include attachment files" is unticked, and shows the file copy moving', async () => {
    const api = setup();
    const include = screen.getByLabelText('Include attachment files');
    expect(include).toHaveProperty('checked', true);
    await userEvent.click(include);
    expect(include).toHaveProperty('checked', false);
    await userEvent.type(screen.getByLabelText('Matter (optional)'), 'Acme v. Doe');
    await userEvent.type(screen.getByLabelText('Reason (optional)'), 'Board request');
    await userEvent.click(screen.getByRole('button', { name: 'Export bundle' }));
    await waitFor(() => expect(api.requestsOf('audit:export')).toHaveLength(1));
    expect(api.requestsOf('audit:export')[0]).toMatchObject({ scope: { files: false }, matter: 'Acme v. Doe', reason: 'Board request' });

    act(() => api.emit('audit:progress', { jobId: 'audit-1', progress: { dataset: 'files', rows: 2, total: 5, bytes: 3 * 1024 * 1024, totalBytes: 12 * 1024 * 1024 } }));
    expect(await screen.findByText('Copying files: 2 of 5 (3.0 MB)')).toBeTruthy();
    const bar = screen.getByLabelText('Export progress');
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual([String(3 * 1024 * 1024), String(12 * 1024 * 1024)]);
  });

  it('asks for transcripts by default, sends transcripts: false when "Readable transcripts (HTML)" is unticked, and shows their progress', async () => {
    const api = setup();
    const readable = screen.getByLabelText('Readable transcripts (HTML)');
    expect(readable).toHaveProperty('checked', true);
    await userEvent.click(readable);
    expect(readable).toHaveProperty('checked', false);
    await userEvent.click(screen.getByRole('button', { name: 'Export bundle' }));
    await waitFor(() => expect(api.requestsOf('audit:export')).toHaveLength(1));
    expect(api.requestsOf('audit:export')[0]).toMatchObject({ scope: { transcripts: false } });
    act(() => api.emit('audit:progress', { jobId: 'audit-1', progress: { dataset: 'transcripts', rows: 3, total: 12 } }));
    expect(await screen.findByText('Writing transcripts: 3 of 12 conversations')).toBeTruthy();
  });

  it('offers RSMF 2.0: sends the rsmf format when ticked, alone when the others are unticked, and shows its progress', async () => {
    const api = setup();
    const rsmf = screen.getByLabelText('RSMF 2.0');
    expect(rsmf).toHaveProperty('checked', false);
    await userEvent.click(rsmf);
    await userEvent.click(screen.getByLabelText('CSV'));
    await userEvent.click(screen.getByLabelText('JSON Lines'));
    await userEvent.click(screen.getByRole('button', { name: 'Export bundle' }));
    await waitFor(() => expect(api.requestsOf('audit:export')).toHaveLength(1));
    expect(api.requestsOf('audit:export')[0]).toMatchObject({ scope: { formats: ['rsmf'] } });
    act(() => api.emit('audit:progress', { jobId: 'audit-1', progress: { dataset: 'rsmf', rows: 4, total: 9 } }));
    expect(await screen.findByText('Writing RSMF files: 4 of 9 conversations')).toBeTruthy();
  });

  it('exports with progress, then shows the bundle hash, its files and warnings', async () => {
    const api = setup();
    await userEvent.type(screen.getByLabelText(/Destination folder/), '/exports');
    await userEvent.click(screen.getByRole('button', { name: 'Export bundle' }));
    await waitFor(() => expect(api.requestsOf('audit:export')).toHaveLength(1));
    expect(api.requestsOf('audit:export')[0]).toMatchObject({ destination: '/exports', scope: { verifyArchive: true } });

    act(() => api.emit('audit:progress', { jobId: 'audit-1', progress: { dataset: 'messages', rows: 1200 } }));
    expect(await screen.findByText('Writing messages: 1,200 rows')).toBeTruthy();

    act(() => api.emit('audit:done', { jobId: 'audit-1', result }));
    expect((await screen.findByLabelText('Bundle hash')).textContent).toBe('a'.repeat(64));
    const files = screen.getByRole('table', { name: 'Files in the bundle' });
    expect(within(files).getAllByRole('row')).toHaveLength(3);
    expect(within(files).getByText('1,200')).toBeTruthy();
    expect(screen.getByText('2 conversations were never archived completely.')).toBeTruthy();
    // The fixture's bundle was written without transcripts.
    expect(screen.getByText('Readable transcripts').nextElementSibling?.textContent).toBe('left out');

    await userEvent.click(screen.getByRole('button', { name: 'Show in folder' }));
    expect(await screen.findByText('Open this path in your file manager: /exports/acme-2026-03-31')).toBeTruthy();
    expect(api.requestsOf('shell:reveal')).toEqual([{ path: '/exports/acme-2026-03-31' }]);

    await userEvent.click(screen.getByRole('button', { name: 'Verify bundle' }));
    expect(await screen.findByText('Bundle verified: 2 files match their hashes.')).toBeTruthy();
    expect(screen.getByText('Signed by ab12:cd34.')).toBeTruthy();
    expect(screen.getByText('Signature').nextElementSibling?.textContent).toBe('Signed by ab12:cd34');
  });

  it('says how many readable transcripts the bundle holds, and where to open them', async () => {
    const api = setup();
    await userEvent.type(screen.getByLabelText(/Destination folder/), '/exports');
    await userEvent.click(screen.getByRole('button', { name: 'Export bundle' }));
    await waitFor(() => expect(api.requestsOf('audit:export')).toHaveLength(1));
    act(() => api.emit('audit:done', { jobId: 'audit-1', result: { ...result, transcripts: { conversations: 12, bytes: 3 * 1024 * 1024 } } }));
    await screen.findByLabelText('Bundle hash');
    expect(screen.getByText('Readable transcripts').nextElementSibling?.textContent).toBe('12 conversations in transcripts/ (3.0 MB): open transcripts/index.html in any browser');
  });

  it('reattaches to a running export on load and cancels it by job id', async () => {
    const api = setup({ jobId: 'audit-9', kind: 'audit', startedAt: 0, progress: { dataset: 'memberships', rows: 40 } });
    expect(await screen.findByText('Writing memberships: 40 rows')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Export bundle' })).toHaveProperty('disabled', true);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel export' }));
    expect(api.requestsOf('audit:cancel')).toEqual([{ jobId: 'audit-9' }]);
    expect(api.requestsOf('audit:export')).toHaveLength(0);
    act(() => api.emit('audit:done', { jobId: 'audit-9', error: { code: 'CANCELLED', message: 'Cancelled.' } }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The export did not finish');
    expect(alert.textContent).toContain('CANCELLED');
    expect(screen.getByRole('button', { name: 'Export bundle' })).toHaveProperty('disabled', false);
  });
});
