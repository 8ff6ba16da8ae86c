import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ConversationList } from '../../renderer/src/features/browse/ConversationList';
import { sortConversations } from '../../renderer/src/features/browse/conversationSort';
import { conversationRow, fakeApi, renderWithVault } from './fixtures';

const longTitle = 'Quarterly budget review '.repeat(13).trim().slice(0, 300);
const budgetRow = conversationRow({ chatId: 'CT_b', kind: 'group', title: 'Budget', memberCount: 5, archivedCount: 40, lastMessageAt: Date.UTC(2026, 2, 5), lastCompleteAt: Date.UTC(2026, 2, 6) });
const longRow = conversationRow({ chatId: 'CT_a', kind: 'channel', title: longTitle, memberCount: 12, archivedCount: 7, lastMessageAt: Date.UTC(2026, 2, 3), lastCompleteAt: Date.UTC(2026, 2, 7) });
const quietRow = conversationRow({ chatId: 'CT_c', kind: 'channel', title: 'archive', memberCount: 5, archivedCount: 0, lastMessageAt: null, lastCompleteAt: null });
const rows = [budgetRow, longRow, quietRow];

function cellsOf(table: HTMLElement, index: number): string[] {
  const row = within(table).getAllByRole('row')[index];
  return row === undefined ? [] : [...row.querySelectorAll('td')].map((td) => td.textContent);
}

function titles(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelectorAll('td')[1]?.getAttribute('title') ?? '');
}

describe('Browse: the conversations table', () => {
  it('clamps a long title to one line with the whole title on hover, in a fixed-layout table', async () => {
    renderWithVault(<ConversationList />, { api: fakeApi().handle('archive:conversations', () => rows) });
    const table = await screen.findByRole('table', { name: 'Conversations' });
    expect(table.className).toContain('table-conversations');
    const cell = within(table).getByRole('link', { name: longTitle }).closest('td');
    expect(cell?.className).toContain('clamp');
    expect(cell?.getAttribute('title')).toBe(longTitle);
  });

  it('shows the last message beside the last sync, newest message first by default', async () => {
    renderWithVault(<ConversationList />, { api: fakeApi().handle('archive:conversations', () => [longRow, quietRow, budgetRow]) });
    const table = await screen.findByRole('table', { name: 'Conversations' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent.replace(/[▲▼]/g, '').trim());
    expect(headers.slice(-2)).toEqual(['Last message', 'Last synced']);
    expect(
      within(table)
        .getByRole('columnheader', { name: /Last message/ })
        .getAttribute('aria-sort'),
    ).toBe('descending');
    expect(titles(table)).toEqual(['Budget', longTitle, 'archive']);
    const budget = cellsOf(table, 1);
    expect(budget[8]).toMatch(/2026/);
    expect(budget[8]).not.toBe(budget[9]);
    // Never synced and no message: a dash, not a date.
    const quiet = cellsOf(table, 3);
    expect(quiet[8]).toBe(quiet[9]);
  });

  it('sorts by a column on click or Enter, flips on a second click, and says so with aria-sort', async () => {
    renderWithVault(<ConversationList />, { api: fakeApi().handle('archive:conversations', () => rows) });
    const table = await screen.findByRole('table', { name: 'Conversations' });
    await userEvent.click(within(table).getByRole('button', { name: /^Title/ }));
    expect(within(table).getByRole('columnheader', { name: /Title/ }).getAttribute('aria-sort')).toBe('ascending');
    expect(
      within(table)
        .getByRole('columnheader', { name: /Last message/ })
        .getAttribute('aria-sort'),
    ).toBe('none');
    expect(titles(table)).toEqual(['archive', 'Budget', longTitle]);
    await userEvent.click(within(table).getByRole('button', { name: /^Title/ }));
    expect(within(table).getByRole('columnheader', { name: /Title/ }).getAttribute('aria-sort')).toBe('descending');
    expect(titles(table)).toEqual([longTitle, 'Budget', 'archive']);
    within(table)
      .getByRole('button', { name: /^Members/ })
      .focus();
    await userEvent.keyboard('{Enter}');
    expect(
      within(table)
        .getByRole('columnheader', { name: /Members/ })
        .getAttribute('aria-sort'),
    ).toBe('descending');
    // Ties keep the archive's order (Budget before archive).
    expect(titles(table)).toEqual([longTitle, 'Budget', 'archive']);
  });
});

describe('sortConversations', () => {
  it('is stable, and puts unknown values last in either direction', () => {
    const byArchived = sortConversations(rows, { key: 'lastSynced', direction: 'ascending' }).map((r) => r.chatId);
    expect(byArchived).toEqual(['CT_b', 'CT_a', 'CT_c']);
    expect(sortConversations(rows, { key: 'lastSynced', direction: 'descending' }).map((r) => r.chatId)).toEqual(['CT_a', 'CT_b', 'CT_c']);
    expect(sortConversations(rows, { key: 'type', direction: 'ascending' }).map((r) => r.chatId)).toEqual(['CT_a', 'CT_c', 'CT_b']);
    expect(sortConversations(rows, { key: 'archived', direction: 'ascending' }).map((r) => r.chatId)).toEqual(['CT_c', 'CT_a', 'CT_b']);
  });
});
