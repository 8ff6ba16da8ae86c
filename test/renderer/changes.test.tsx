import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ChangesScreen } from '../../renderer/src/features/changes/ChangesScreen';
import { changeKinds, type ChangeReport } from '../../shared/changes';
import type { RunSummary } from '../../shared/sync';
import { fakeApi, renderWithVault, settingsFixture } from './fixtures';

const run = (id: number, day: number): RunSummary => ({
  id,
  startedAt: Date.UTC(2026, 2, day, 2),
  endedAt: Date.UTC(2026, 2, day, 2, 5),
  status: 'complete',
  toolVersion: '1.0.0',
  counts: {},
  calls: {},
  rateLimited: {},
  errors: [],
});

const counts = Object.fromEntries(changeKinds.map((kind) => [kind, 0])) as ChangeReport['counts'];
const report: ChangeReport = {
  range: { afterRun: 2, throughRun: 3, runs: [{ runId: 3, startedAt: Date.UTC(2026, 2, 3, 2), status: 'complete' }], label: 'since run 2' },
  counts: { ...counts, message_edited: 3, member_left: 1 },
  items: [
    { kind: 'message_edited', runId: 3, chatId: 'CT_1', chatTitle: 'Budget <b>Q3</b>', messageId: '1700_1', messageKey: 41, at: Date.UTC(2026, 2, 3, 2, 1), who: 'Dana Ruiz', detail: 'was: draft — now: final' },
    { kind: 'member_left', runId: 3, chatId: 'CT_1', chatTitle: 'Budget <b>Q3</b>', messageId: null, messageKey: null, at: Date.UTC(2026, 2, 3, 2, 2), who: 'Wei Tanaka', detail: 'left (noticed by a sync)' },
  ],
  truncated: ['message_edited'],
};

function setup() {
  const api = fakeApi()
    .handle('sync:runs', () => [run(3, 3), run(2, 2), run(1, 1)])
    .handle('archive:changes', () => report);
  renderWithVault(<ChangesScreen />, { api, settings: settingsFixture({ timeZone: 'UTC' }) });
  return api;
}

describe('the Changes screen', () => {
  it('shows what the latest run brought by default, every kind counted, each item linked to its transcript', async () => {
    const api = setup();
    expect(await screen.findByRole('option', { name: /^2 — / })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Show the changes' }));
    const table = await screen.findByRole('table', { name: 'Changes by kind' });
    expect(api.requestsOf('archive:changes')).toEqual([{ sinceRun: 2, timeZone: 'UTC' }]);
    expect(within(table).getAllByRole('row')).toHaveLength(changeKinds.length);
    expect(within(table).getByRole('row', { name: /Edited messages/ }).textContent).toContain('3');
    const edited = screen.getByRole('region', { name: 'Edited messages' });
    expect(edited.textContent).toContain('(newest 1 of 3)');
    // Cliq's text is text: a title with markup shows its characters.
    const link = within(edited).getByRole('link', { name: 'Budget <b>Q3</b>' });
    expect(link.getAttribute('href')).toBe('#/browse/CT_1?focus=41');
    expect(within(screen.getByRole('region', { name: 'Left a conversation' })).getByRole('link').getAttribute('href')).toBe('#/browse/CT_1');
    // Kinds with nothing have no list.
    expect(screen.queryByRole('region', { name: 'New messages' })).toBeNull();
  });

  it('asks for the runs since a day, and only once a day is given', async () => {
    const api = setup();
    await screen.findByRole('option', { name: /^2 — / });
    await userEvent.click(screen.getByRole('radio', { name: /runs since the day/ }));
    const button = screen.getByRole('button', { name: 'Show the changes' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(screen.getByLabelText('Since the day'), '2026-03-02');
    await userEvent.click(button);
    await screen.findByRole('table', { name: 'Changes by kind' });
    expect(api.requestsOf('archive:changes')).toEqual([{ since: '2026-03-02', timeZone: 'UTC' }]);
  });
});
