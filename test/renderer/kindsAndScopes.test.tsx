import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ConversationList } from '../../renderer/src/features/browse/ConversationList';
import { ConnectScreen } from '../../renderer/src/features/connect/ConnectScreen';
import { archiverScopeUses, optionalScopeMark } from '../../shared/cliqScopes';
import { conversationRow, fakeApi, renderWithVault, settingsFixture } from './fixtures';

const row = conversationRow({ chatId: 'C_1', kind: 'direct', kindSource: 'guessed', title: 'Ann and Bob', memberCount: 2 });

describe('Browse: a guessed conversation kind is marked', () => {
  it('shows "kind guessed" with why on a guessed row, and nothing on a kind read from Cliq', async () => {
    const api = fakeApi().handle('archive:conversations', () => [row, { ...row, chatId: 'C_2', title: 'Carol', kindSource: 'chat_type' }]);
    renderWithVault(<ConversationList />, { api });
    const table = await screen.findByRole('table', { name: 'Conversations' });
    const marks = within(table).getAllByText('kind guessed');
    expect(marks).toHaveLength(1);
    expect(marks[0]?.closest('tr')?.textContent).toContain('Ann and Bob');
    expect(marks[0]?.getAttribute('title')).toMatch(/only to its members.*two-person group shows as direct/);
  });
});

describe('Connect: the scopes to grant, with what each adds', () => {
  it('lists every scope of archiverScopeUses with its words', async () => {
    window.location.hash = '#/connect';
    const empty = settingsFixture({ profiles: [], activeProfile: null });
    renderWithVault(<ConnectScreen />, { api: fakeApi(empty), settings: empty });
    await userEvent.click(screen.getByText('What each scope adds'));
    const list = screen.getByLabelText('Scopes to grant');
    const terms = within(list)
      .getAllByRole('term')
      .map((t) => t.textContent);
    const definitions = within(list)
      .getAllByRole('definition')
      .map((d) => d.textContent);
    // Optional scopes are marked, with the same words as `auth scopes` and the README.
    expect(terms).toEqual(archiverScopeUses.map((u) => (u.optional ? `${u.scope} ${optionalScopeMark}` : u.scope)));
    expect(terms.filter((term) => term.endsWith(optionalScopeMark))).toHaveLength(archiverScopeUses.filter((u) => u.optional).length);
    expect(definitions).toEqual(archiverScopeUses.map((u) => u.adds));
    // Exactly the shared list, which test/unit/docs/scopes.test.ts keeps to the scopes of the families the client calls.
    expect(new Set(terms).size).toBe(terms.length);
    expect(
      within(list)
        .getAllByRole('code')
        .map((c) => c.textContent),
    ).toEqual(archiverScopeUses.map((u) => u.scope));
  });
});
