import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { HoldsScreen } from '../../renderer/src/features/holds/HoldsScreen';
import { VaultError } from '../../shared/errors';
import type { HoldSummary } from '../../shared/holds';
import { conversationRow, fakeApi, infoFixture, renderWithVault, settingsFixture } from './fixtures';

const actor = { profile: 'Acme', osUser: 'dana', host: 'laptop', toolVersion: '1.0.0' };

function hold(patch: Partial<HoldSummary> = {}): HoldSummary {
  return {
    id: 1,
    name: 'Acme v. Us',
    reason: 'counsel request',
    placedAt: Date.UTC(2026, 2, 1, 9, 30),
    placedBy: actor,
    custodians: [{ given: 'u2', userIds: ['u2'], email: 'priya@acme.test' }],
    conversations: [{ chatId: 'CT_1', title: 'Legal' }],
    fromTime: null,
    toTime: null,
    fromText: null,
    toText: null,
    timeZone: 'UTC',
    query: null,
    queryMode: 'simple',
    status: 'active',
    release: null,
    rowHash: 'a'.repeat(64),
    counts: { messages: 1234, conversations: 3, custodians: 1, senders: 4 },
    ...patch,
  };
}

function setup(options: { readOnly?: boolean; holds?: HoldSummary[] } = {}) {
  let holds = options.holds ?? [hold(), hold({ id: 2, name: 'Old matter', status: 'released', release: { at: Date.UTC(2026, 2, 5), by: actor, reason: 'settled' } })];
  const api = fakeApi()
    .handle('holds:list', () => holds)
    .handle('archive:people', () => [
      { userId: 'u1', name: 'Priya Shah', email: 'priya@acme.test', messages: 10 },
      { userId: 'u2', name: 'Priya Shah', email: 'priya.s@acme.test', messages: 3 },
      { userId: 'u3', name: 'Bo Chan', email: 'bo@acme.test', messages: 1 },
    ])
    .handle('archive:conversations', () => [conversationRow({ chatId: 'CT_1', title: 'Legal' }), conversationRow({ chatId: 'CT_2', title: 'Sales' })])
    .handle('holds:add', (request) => {
      if (request.name === 'Taken') throw new VaultError('USAGE', 'An active hold is already named "Taken".');
      const placed = hold({ id: 3, name: request.name, reason: request.reason ?? null, custodians: [], conversations: [] });
      holds = [placed, ...holds];
      return placed;
    })
    .handle('holds:release', (request) => {
      const released = hold({ status: 'released', release: { at: Date.UTC(2026, 2, 9), by: actor, reason: request.reason } });
      holds = holds.map((h) => (h.name === request.name ? released : h));
      return released;
    });
  renderWithVault(<HoldsScreen />, { api, settings: settingsFixture({ timeZone: 'Europe/Berlin' }), info: infoFixture({ archiveReadOnly: options.readOnly ?? false }) });
  return api;
}

describe('the Holds screen', () => {
  it('lists every hold, active and released, with what each holds, and shows one in detail', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Legal holds' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'HoldStatusPlacedMessagesConversationsCustodians',
      'Acme v. Usactive2026-03-01, 10:30 by dana1,23431Details',
      'Old matterreleased 2026-03-05, 01:002026-03-01, 10:30 by dana1,23431Details',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Details of Acme v. Us' }));
    const details = screen.getByRole('region', { name: 'Hold Acme v. Us' });
    expect(within(details).getByText('dana on laptop (org Acme)', { exact: false })).toBeTruthy();
    expect(within(details).getByText('counsel request')).toBeTruthy();
    expect(within(details).getByText('Legal')).toBeTruthy();
    expect(within(details).getByText('1,234 messages in 3 conversations, from 4 senders')).toBeTruthy();
    expect(within(details).getByText('a'.repeat(64))).toBeTruthy();
  });

  it('places a hold: refuses one without a name or criteria, then sends custodians, conversations, dates in the settings’ zone and the query', async () => {
    const api = setup({ holds: [] });
    expect(await screen.findByText('No holds')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Place a hold…' }));
    const form = screen.getByRole('form', { name: 'Place a hold' });
    await userEvent.click(within(form).getByRole('button', { name: 'Place hold' }));
    expect(within(form).getByText('A hold needs a name.')).toBeTruthy();
    expect(within(form).getByText('Pick at least one custodian, conversation, date or query.')).toBeTruthy();
    expect(api.requestsOf('holds:add')).toHaveLength(0);

    await userEvent.type(within(form).getByLabelText('Name (the matter)'), 'Acme v. Us 2');
    await userEvent.type(within(form).getByLabelText('Reason'), 'litigation');
    // Two people share a name: the shared display rule tells them apart by e-mail.
    const custodians = within(form).getByRole('group', { name: /Custodians/ });
    await userEvent.click(within(custodians).getByLabelText(/Priya Shah \(priya\.s@acme\.test\)/));
    await userEvent.click(within(form).getByText('Conversations', { selector: 'summary' }));
    await userEvent.click(within(within(form).getByRole('group', { name: /^Conversations/ })).getByLabelText(/Sales/));
    await userEvent.type(within(form).getByLabelText('From'), '2026-01-01');
    await userEvent.type(within(form).getByLabelText('Query'), 'contract');
    await userEvent.click(within(form).getByRole('button', { name: 'Place hold' }));
    await waitFor(() => expect(api.requestsOf('holds:add')).toHaveLength(1));
    expect(api.requestsOf('holds:add')[0]).toEqual({
      name: 'Acme v. Us 2',
      reason: 'litigation',
      custodians: ['u2'],
      conversations: ['CT_2'],
      from: '2026-01-01',
      timeZone: 'Europe/Berlin',
      query: 'contract',
      queryMode: 'simple',
    });
    expect(await screen.findByText('The hold "Acme v. Us 2" is placed and sealed in the archive.')).toBeTruthy();
    expect(within(await screen.findByRole('table', { name: 'Legal holds' })).getByText('Acme v. Us 2')).toBeTruthy();
  });

  it('shows why the core refused a hold, and keeps the form', async () => {
    setup({ holds: [] });
    await userEvent.click(await screen.findByRole('button', { name: 'Place a hold…' }));
    const form = screen.getByRole('form', { name: 'Place a hold' });
    await userEvent.type(within(form).getByLabelText('Name (the matter)'), 'Taken');
    await userEvent.type(within(form).getByLabelText('Query'), 'contract');
    await userEvent.click(within(form).getByRole('button', { name: 'Place hold' }));
    expect(await within(form).findByText('An active hold is already named "Taken".')).toBeTruthy();
    expect(within(form).getByLabelText('Name (the matter)')).toHaveProperty('value', 'Taken');
  });

  it('releases a hold only with a reason, after confirming', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Details of Acme v. Us' }));
    await userEvent.click(screen.getByRole('button', { name: 'Release…' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Release' }));
    expect(within(dialog).getByText('A release needs a reason.')).toBeTruthy();
    expect(api.requestsOf('holds:release')).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText('Reason for the release'), 'matter settled');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Release' }));
    await waitFor(() => expect(api.requestsOf('holds:release')).toEqual([{ name: 'Acme v. Us', reason: 'matter settled' }]));
    expect(await screen.findByText('The hold "Acme v. Us" is released; the release is sealed in the archive.')).toBeTruthy();
  });

  it('on a read-only archive lists holds but offers no placing or releasing', async () => {
    setup({ readOnly: true });
    expect(await screen.findByText('This archive is open read-only: holds can be read here, not placed or released.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Place a hold…' })).toBeNull();
    await userEvent.click(await screen.findByRole('button', { name: 'Details of Acme v. Us' }));
    expect(screen.queryByRole('button', { name: 'Release…' })).toBeNull();
  });
});
