import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { MembershipRow } from '../../shared/views';
import { MembersPanel } from '../../renderer/src/features/browse/MembersPanel';
import { fakeApi, renderWithVault } from './fixtures';

const day = (d: number) => Date.UTC(2026, 2, d, 9, 0);

const row = (patch: Partial<MembershipRow> & Pick<MembershipRow, 'memberKey' | 'name'>): MembershipRow => ({
  userId: patch.memberKey,
  email: null,
  joinedAt: null,
  joinedSource: 'first_archived',
  firstSeenAt: day(1),
  lastSeenAt: day(9),
  leftAt: null,
  leftSource: null,
  goneAt: null,
  role: null,
  roles: [],
  ...patch,
});

describe('Membership history', () => {
  it('shows each member by the one display rule the core applied: two Priyas told apart by e-mail', async () => {
    const api = fakeApi().handle('archive:members', () => [
      row({ memberKey: '1', name: 'Dana Ruiz', email: 'dana@example.org' }),
      row({ memberKey: '2', name: 'Priya (priya.s@example.org)', email: 'priya.s@example.org' }),
      row({ memberKey: '3', name: 'Priya (priya.k@example.org)', email: 'priya.k@example.org' }),
      row({ memberKey: '4', name: null, email: 'guest@example.org' }),
    ]);
    renderWithVault(<MembersPanel chatId="CT_1" />, { api });
    const list = await screen.findByRole('list');
    const names = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent.replace(/member when first archived.*$/, ''));
    expect(names).toEqual(['Dana Ruiz', 'Priya (priya.s@example.org)', 'Priya (priya.k@example.org)', 'guest@example.org']);
  });

  it('says "member when first archived" for the first listing, and where every other boundary comes from', async () => {
    const api = fakeApi().handle('archive:members', () => [
      row({ memberKey: '1', name: 'Ana' }),
      row({ memberKey: '2', name: 'Ben', joinedSource: 'info_message', joinedAt: day(3), firstSeenAt: day(4) }),
      row({ memberKey: '3', name: 'Cleo', joinedSource: 'noticed', joinedAt: day(5), firstSeenAt: day(5) }),
      row({ memberKey: '4', name: 'Dev', leftSource: 'info_message', leftAt: day(6), goneAt: day(7) }),
      row({ memberKey: '5', name: 'Eli', joinedSource: 'noticed', joinedAt: day(4), firstSeenAt: day(4), leftSource: 'noticed', leftAt: day(8), goneAt: day(8) }),
    ]);
    renderWithVault(<MembersPanel chatId="CT_1" />, { api });
    const list = await screen.findByRole('list');
    const line = (name: string) => within(list).getByText(name).closest('li')?.textContent ?? '';
    expect(line('Ana')).toBe('Anamember when first archived (2026-03-01)');
    expect(line('Ana')).not.toContain('joined');
    expect(line('Ben')).toContain("joined 2026-03-03 (Cliq's info message; noticed 2026-03-04)");
    expect(line('Cleo')).toContain('joined by 2026-03-05 (noticed at a sync)');
    expect(line('Dev')).toBe("Devmember when first archived (2026-03-01) · left 2026-03-06 (Cliq's info message; noticed 2026-03-07)");
    expect(line('Eli')).toContain('joined by 2026-03-04 (noticed at a sync) · left by 2026-03-08 (noticed at a sync)');
    expect(api.requestsOf('archive:members')).toEqual([{ chatId: 'CT_1' }]);
  });

  it('shows each channel member’s role, and their role changes with when they were noticed', async () => {
    const api = fakeApi().handle('archive:members', () => [
      row({
        memberKey: '1',
        name: 'Ana',
        role: 'admin',
        roles: [
          { role: 'member', firstSeenAt: day(1), goneAt: day(4) },
          { role: 'moderator', firstSeenAt: day(4), goneAt: day(6) },
          { role: 'admin', firstSeenAt: day(6), goneAt: null },
        ],
      }),
      row({ memberKey: '2', name: 'Ben', role: 'super_admin', roles: [{ role: 'super_admin', firstSeenAt: day(1), goneAt: null }] }),
      row({ memberKey: '3', name: '<b>Cleo</b>', role: 'moderator', goneAt: day(7), leftSource: 'noticed', leftAt: day(7), roles: [{ role: 'moderator', firstSeenAt: day(1), goneAt: day(7) }] }),
      row({ memberKey: '4', name: 'Dev' }),
    ]);
    renderWithVault(<MembersPanel chatId="CT_1" />, { api });
    const list = await screen.findByRole('list', { name: 'Members' });
    const item = (name: string) => {
      const li = within(list).getByText(name).closest('li');
      if (!(li instanceof HTMLElement)) throw new Error(`no line for ${name}`);
      return li;
    };
    expect(within(item('Ana')).getByText('admin')).toBeTruthy();
    expect(within(item('Ben')).getByText('super admin')).toBeTruthy();
    // A member gone: the role they last held, said so. Cliq's name as text.
    expect(within(item('<b>Cleo</b>')).getByText('last moderator')).toBeTruthy();
    expect(list.querySelector('b')).toBeNull();
    expect(item('Dev').querySelector('.member-role')).toBeNull();
    // One role only: no changes to expand.
    expect(within(item('Ben')).queryByText(/Role changes/)).toBeNull();

    const summary = within(item('Ana')).getByText('Role changes (2)');
    // A native <details>: reachable and opened by keyboard in browsers (jsdom opens it on a click only).
    await userEvent.click(summary);
    expect(summary.closest('details')?.open).toBe(true);
    const roles = within(item('Ana')).getByRole('list', { name: 'Roles of Ana' });
    expect(
      within(roles)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'member — seen from 2026-03-01, 09:00 until 2026-03-04, 09:00 (noticed at a sync)',
      'moderator — seen from 2026-03-04, 09:00 until 2026-03-06, 09:00 (noticed at a sync)',
      'admin — seen from 2026-03-06, 09:00, still held',
    ]);
  });
});
