import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../shared/contract';
import type { ReviewEntry, ReviewPage } from '../../shared/review';
import { ReviewLogScreen } from '../../renderer/src/features/review/ReviewLogScreen';
import { parseHash } from '../../renderer/src/hooks/useHashRoute';
import { fakeApi, renderWithVault, settingsFixture } from './fixtures';

const t = (h: number, m = 0) => Date.UTC(2026, 2, 31, h, m);

function entry(id: number, patch: Partial<ReviewEntry> = {}): ReviewEntry {
  return {
    id,
    at: t(9),
    action: 'search',
    shell: 'desktop',
    profileId: 'acme',
    profileName: 'Acme',
    osUser: 'dana',
    host: 'laptop',
    toolVersion: '0.1.0',
    scope: { text: 'invoice', chats: ['CT_1', 'CT_2'], mode: 'simple', limit: 50 },
    chatId: null,
    results: 12,
    outcome: 'ok',
    detail: null,
    refinements: 0,
    firstAt: null,
    recordedAt: t(9),
    rowHash: 'ab'.repeat(32),
    ...patch,
  };
}

function setup(answer: (request: RequestOf<'review:log'>) => ReviewPage, timeZone = 'UTC') {
  const api = fakeApi().handle('review:log', answer);
  renderWithVault(<ReviewLogScreen />, { api, settings: settingsFixture({ timeZone }) });
  return api;
}

describe('Review log screen', () => {
  it('is the `review` route', () => {
    expect(parseHash('#/review')?.screen).toBe('review');
  });

  it('lists each look in words: when in the settings’ zone, who, from where, the action, its scope, results and outcome', async () => {
    setup(
      () => ({
        entries: [
          entry(3, { action: 'transcript_view', shell: 'serve', scope: { chatId: 'CT_9', limit: 50 }, chatId: 'CT_9', results: 40, at: t(10, 30) }),
          entry(2, { refinements: 3, scope: { text: '<b>fraud</b>', earlierTexts: ['f', 'fr', 'fra'] } }),
          entry(1, {
            action: 'export',
            shell: 'cli',
            profileName: null,
            scope: { what: 'messages', out: '/tmp/m.jsonl', format: 'jsonl' },
            results: null,
            outcome: 'failed',
            detail: 'IO_ERROR: disk full',
          }),
        ],
        nextBefore: null,
      }),
      'Asia/Kolkata',
    );
    const table = await screen.findByRole('table', { name: 'Review log' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['2026-03-31, 16:00', 'Acme · dana@laptop', 'Browser', 'Transcript read', 'conversation CT_9', '40', 'Answered'],
      ['2026-03-31, 14:30', 'Acme · dana@laptop', 'Desktop app', 'Search', '“<b>fraud</b>” (refined 3 times while typing)', '12', 'Answered'],
      ['2026-03-31, 14:30', 'dana@laptop', 'Command line', 'Export', 'messages · as jsonl · to /tmp/m.jsonl', '—', 'Failed — IO_ERROR: disk full'],
    ]);
    // Text from a query is shown as text, never markup.
    expect(table.querySelector('b')).toBeNull();
  });

  it('filters by action and loads older entries', async () => {
    const api = setup((request) =>
      request.before === undefined
        ? { entries: [entry(5, { action: request.actions?.[0] ?? 'search' })], nextBefore: 5 }
        : { entries: [entry(4, { action: 'verify', scope: {}, results: 900 })], nextBefore: null },
    );
    await screen.findByRole('table', { name: 'Review log' });
    await userEvent.selectOptions(screen.getByLabelText('Action'), 'Verify');
    await screen.findByRole('cell', { name: 'Verify' });
    expect(api.requestsOf('review:log').at(-1)).toMatchObject({ actions: ['verify'], timeZone: 'UTC' });
    await userEvent.click(screen.getByRole('button', { name: 'Older entries' }));
    await screen.findByRole('cell', { name: '900' });
    expect(api.requestsOf('review:log').at(-1)).toMatchObject({ actions: ['verify'], before: 5 });
    expect(screen.queryByRole('button', { name: 'Older entries' })).toBeNull();
  });

  it('says so when nothing is on record', async () => {
    setup(() => ({ entries: [], nextBefore: null }));
    expect(await screen.findByText('No looks on record')).toBeTruthy();
  });
});
