import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RetentionScreen } from '../../renderer/src/features/retention/RetentionScreen';
import { VaultError } from '../../shared/errors';
import type { RetentionPreview, RetentionRunRow } from '../../shared/retention';
import { conversationRow, fakeApi, infoFixture, renderWithVault, settingsFixture } from './fixtures';

const policy = { keepDays: 30, kinds: [], conversations: [], departments: [] };
const preview: RetentionPreview = {
  policy,
  cutoff: Date.UTC(2026, 1, 1),
  holds: 1,
  purge: 1200,
  keptHeld: 34,
  versions: 5,
  attachments: 2,
  conversations: [
    { chatId: 'CT_1', title: 'Legal', kind: 'channel', purge: 0, keptHeld: 34, versions: 0, attachments: 0, oldest: null, newest: null },
    { chatId: 'CT_2', title: 'Sales', kind: 'group', purge: 1200, keptHeld: 0, versions: 5, attachments: 2, oldest: Date.UTC(2025, 0, 2), newest: Date.UTC(2026, 0, 30) },
  ],
};
const run: RetentionRunRow = {
  runId: 1,
  startedAt: Date.UTC(2026, 2, 1, 9),
  endedAt: Date.UTC(2026, 2, 1, 9, 1),
  status: 'complete',
  policy,
  cutoff: Date.UTC(2026, 1, 1),
  by: 'dana@laptop (profile Acme)',
  purged: 1200,
  keptHeld: 34,
  filesRemoved: 1,
};

function setup(options: { readOnly?: boolean; applyFails?: boolean } = {}) {
  let runs: RetentionRunRow[] = [];
  const api = fakeApi()
    .handle('archive:conversations', () => [conversationRow({ chatId: 'CT_1', title: 'Legal' }), conversationRow({ chatId: 'CT_2', title: 'Sales' })])
    .handle('retention:runs', () => runs)
    .handle('archive:groups', () => [
      { kind: 'department', groupId: '1901318000000049005', name: 'Finance', members: 12, admin: false, goneAt: null },
      { kind: 'team', groupId: '1901318000000049777', name: 'Closers', members: 3, admin: false, goneAt: null },
    ])
    .handle('retention:preview', () => preview)
    .handle('retention:apply', () => {
      if (options.applyFails === true) throw new VaultError('ARCHIVE_LOCKED', 'The archive is being written by another process.', { hint: 'Wait for that sync to finish.' });
      runs = [run];
      return { ...preview, runId: 1, filesRemoved: 1 };
    });
  renderWithVault(<RetentionScreen />, { api, settings: settingsFixture({ timeZone: 'UTC' }), info: infoFixture({ archiveReadOnly: options.readOnly ?? false }) });
  return api;
}

describe('the Retention screen', () => {
  it('previews a policy per conversation before anything can be purged, then purges after a confirmation', async () => {
    const api = setup();
    expect(await screen.findByText('Nothing has been purged from this archive.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Purge/ })).toBeNull();
    const days = screen.getByLabelText(/Keep messages of the last/);
    await userEvent.clear(days);
    await userEvent.type(days, '30');
    await userEvent.click(screen.getByRole('checkbox', { name: 'group' }));
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const table = await screen.findByRole('table', { name: 'Retention preview' });
    expect(api.requestsOf('retention:preview')[0]).toEqual({ keepDays: 30, kinds: ['group'], conversations: [], departments: [] });
    expect(within(table).getByRole('row', { name: /Legal/ }).textContent).toContain('34');
    expect(screen.getByText(/1,200 messages older than/).textContent).toMatch(/34 are kept because a legal hold covers them\. Nothing has changed yet\./);
    expect(api.requestsOf('retention:apply')).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Purge 1,200 messages…' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toMatch(/Snapshots taken before the purge still hold these messages/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Purge' }));
    await waitFor(() => expect(api.requestsOf('retention:apply')).toEqual([{ keepDays: 30, kinds: ['group'], conversations: [], departments: [] }]));
    expect((await screen.findByRole('status')).textContent).toMatch(/Purged 1,200 messages/);
    expect(await screen.findByRole('table', { name: 'Past purges' })).toBeTruthy();
  });

  it("limits a policy to the senders' departments picked (teams are not offered)", async () => {
    const api = setup();
    await userEvent.click(await screen.findByText(/Only messages sent by these departments/));
    await userEvent.click(await screen.findByRole('checkbox', { name: /Finance/ }));
    expect(screen.queryByRole('checkbox', { name: /Closers/ })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByRole('table', { name: 'Retention preview' });
    expect(api.requestsOf('retention:preview')[0]).toEqual({ keepDays: 365, kinds: [], conversations: [], departments: ['1901318000000049005'] });
  });

  it('refuses a number of days that is not a whole number of at least 1, in words, and asks nothing of the archive', async () => {
    const api = setup();
    const days = screen.getByLabelText(/Keep messages of the last/);
    await userEvent.clear(days);
    await userEvent.type(days, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByText('Keep at least 1 whole day.')).toBeTruthy();
    expect(api.requestsOf('retention:preview')).toHaveLength(0);
  });

  it('says why a purge failed, and keeps the preview', async () => {
    setup({ applyFails: true });
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Purge 1,200 messages…' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Purge' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/being written by another process/);
    expect(screen.getByRole('table', { name: 'Retention preview' })).toBeTruthy();
  });

  it('on a read-only archive previews but offers no purge', async () => {
    setup({ readOnly: true });
    expect(screen.getByRole('note').textContent).toMatch(/open read-only/);
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByRole('table', { name: 'Retention preview' });
    expect(screen.queryByRole('button', { name: /^Purge/ })).toBeNull();
  });
});
