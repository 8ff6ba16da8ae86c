import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DirectoryGroup, DirectoryPage, DirectoryPerson, OptionalSourceView } from '../../shared/evidence';
import { ApiError } from '../../renderer/src/api/ApiError';
import { AuditScreen } from '../../renderer/src/features/audit/AuditScreen';
import { DirectoryScreen } from '../../renderer/src/features/directory/DirectoryScreen';
import { SearchScreen } from '../../renderer/src/features/search/SearchScreen';
import { fakeApi, renderWithVault, settingsFixture } from './fixtures';

// 2026-01-10 00:30 UTC is 09:30 in Tokyo: the times shown are the user's.
const listedAt = Date.UTC(2026, 0, 10, 0, 30);
const noticedAt = Date.UTC(2026, 1, 10, 0, 30);
const endedAt = Date.UTC(2026, 2, 10, 0, 30);
const tokyo = settingsFixture({ timeZone: 'Asia/Tokyo' });

const complete = (dataset: string, label: string, scope: string): OptionalSourceView => ({ dataset, label, scope, status: 'complete', at: listedAt, rows: 2 });
const allSources: [OptionalSourceView, OptionalSourceView, OptionalSourceView, OptionalSourceView] = [
  complete('departments', 'Departments and their members', 'ZohoCliq.Departments.READ'),
  complete('designations', 'Designations and who held them', 'ZohoCliq.Designations.READ'),
  complete('roles', 'Roles (Admin, Cliq Admin, custom admin) and who held them', 'ZohoCliq.Organisation.READ'),
  complete('teams', 'Teams and their members', 'ZohoCliq.Teams.READ'),
];

const dana: DirectoryPerson = {
  userId: '60000001',
  name: '<b>Dana</b> دانا',
  email: 'dana@acme.test',
  status: 'active',
  goneAt: null,
  assignments: [
    { kind: 'department', groupId: 'd2', groupName: 'Legal', start: noticedAt, startSource: 'noticed', startNoticedAt: noticedAt, end: null, detail: null },
    { kind: 'department', groupId: 'd1', groupName: 'Finance', start: null, startSource: 'first_archived', startNoticedAt: listedAt, end: endedAt, detail: null },
    { kind: 'designation', groupId: 'g1', groupName: 'Counsel', start: null, startSource: 'first_archived', startNoticedAt: listedAt, end: null, detail: null },
    { kind: 'role', groupId: 'r1', groupName: 'Cliq Admin', start: null, startSource: 'first_archived', startNoticedAt: listedAt, end: null, detail: null },
    { kind: 'team', groupId: 't1', groupName: 'Contracts', start: null, startSource: 'first_archived', startNoticedAt: listedAt, end: null, detail: '{"is_moderator":true}' },
  ],
};
const kofi: DirectoryPerson = { userId: '60000002', name: 'Kofi', email: null, status: 'active', goneAt: null, assignments: [] };

function pageOf(people: DirectoryPerson[], patch: Partial<DirectoryPage> = {}): DirectoryPage {
  return { people, total: people.length, sources: allSources, ...patch };
}

describe('the Directory screen', () => {
  it('lists people with their current groups; a person expands by keyboard to every interval, in words and in the user’s time zone, and to their history', async () => {
    const api = fakeApi(tokyo)
      .handle('archive:directory', () => pageOf([dana, kofi]))
      .handle('archive:history', () => ({ firstSeenAt: listedAt, goneAt: null, changes: [], events: [] }));
    renderWithVault(<DirectoryScreen tab="people" />, { api, settings: tokyo });
    const list = await screen.findByRole('list', { name: 'People' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const first = items[0] as HTMLElement;
    // Cliq's text is data: shown as text, never markup, with its own direction.
    const name = within(first).getByText('<b>Dana</b> دانا');
    expect(name.getAttribute('dir')).toBe('auto');
    expect(first.querySelector('b')).toBeNull();
    expect(first.textContent).toContain('Legal');
    expect(first.textContent).not.toContain('Finance');
    expect(first.textContent).toContain('Counsel');
    expect(first.textContent).toContain('Cliq Admin');
    expect(first.textContent).toContain('Contracts');
    expect(screen.getByText('1–2 of 2 people')).toBeTruthy();

    const toggle = within(first).getByRole('button', { name: '<b>Dana</b> دانا' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const table = within(first).getByRole('table', { name: 'Assignments of <b>Dana</b> دانا' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]?.textContent).toContain('noticed 2026-02-10, 09:30');
    expect(rows[0]?.textContent).toContain('still held');
    expect(rows[1]?.textContent).toContain('member when first archived (2026-01-10, 09:30; joined earlier, date unknown)');
    expect(rows[1]?.textContent).toContain('ended, noticed 2026-03-10, 09:30');
    expect(table.textContent).not.toContain('joined 2026');

    await userEvent.click(within(first).getByRole('button', { name: "History of <b>Dana</b> دانا's details" }));
    await screen.findByRole('dialog');
    expect(api.requestsOf('archive:history')).toEqual([{ subject: 'user', key: '60000001' }]);
  });

  it('filters by text and pages a large org a hundred at a time', async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...kofi, userId: `7${String(i).padStart(7, '0')}`, name: `Person ${i}` }));
    const api = fakeApi().handle('archive:directory', (request) => pageOf(request.offset === 0 ? many : [kofi], { total: 10_000 }));
    renderWithVault(<DirectoryScreen tab="people" />, { api });
    // A hundred rows render slowly in jsdom on a loaded machine: wait longer than the default second.
    await screen.findByText('1–100 of 10,000 people', undefined, { timeout: 10_000 });
    expect(api.requestsOf('archive:directory')[0]).toEqual({ offset: 0, limit: 100 });
    await userEvent.click(screen.getByRole('button', { name: 'Next 100' }));
    await screen.findByText('101–101 of 10,000 people', undefined, { timeout: 10_000 });
    expect(api.requestsOf('archive:directory').at(-1)).toEqual({ offset: 100, limit: 100 });
    fireEvent.change(screen.getByLabelText('Find people'), { target: { value: 'Legal' } });
    await waitFor(() => expect(api.requestsOf('archive:directory').at(-1)).toEqual({ text: 'Legal', offset: 0, limit: 100 }));
  });

  it('says which part of the directory is missing and which permission adds it; empty and error states', async () => {
    const [departments, designations, roles, teams] = allSources;
    const sources: OptionalSourceView[] = [{ ...departments, status: null, at: null, rows: 0 }, designations, roles, { ...teams, status: 'not_granted', rows: 0 }];
    const api = fakeApi().handle('archive:directory', () => pageOf([], { sources }));
    renderWithVault(<DirectoryScreen tab="people" />, { api });
    const notice = await screen.findByRole('status', { name: 'Directory sources missing' });
    expect(notice.textContent).toContain('Departments and their members were never archived');
    expect(notice.textContent).toContain('ZohoCliq.Departments.READ');
    expect(notice.textContent).toContain('Teams and their members were not archived: Cliq refused them because the connection lacks ZohoCliq.Teams.READ');
    expect(notice.textContent).not.toContain('Designations');
    expect(await screen.findByText('No people in the directory yet')).toBeTruthy();
  });

  it('shows an error with a retry when the directory cannot be read', async () => {
    let calls = 0;
    const api = fakeApi().handle('archive:directory', () => {
      calls += 1;
      if (calls === 1) throw new ApiError({ code: 'INTERNAL', message: 'The archive could not be read.' });
      return pageOf([kofi]);
    });
    renderWithVault(<DirectoryScreen tab="people" />, { api });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not read the directory');
    await userEvent.click(within(alert).getByRole('button', { name: /retry|try again/i }));
    expect(await screen.findByText('Kofi')).toBeTruthy();
  });

  it('the Admin roles tab lists who held an admin role, held ones first, with when in words', async () => {
    const api = fakeApi(tokyo)
      .handle('archive:directory', () => pageOf([]))
      .handle('archive:adminRoles', () => [
        {
          userId: '60000001',
          name: 'Dana',
          email: 'dana@acme.test',
          roleId: 'r1',
          roleName: 'Cliq Admin',
          profileType: 'Cliq Admin',
          start: null,
          startSource: 'first_archived',
          startNoticedAt: listedAt,
          end: null,
        },
        {
          userId: '60000002',
          name: 'Kofi',
          email: null,
          roleId: 'r9',
          roleName: 'Auditors',
          profileType: 'custom admin',
          start: noticedAt,
          startSource: 'noticed',
          startNoticedAt: noticedAt,
          end: endedAt,
        },
      ]);
    renderWithVault(<DirectoryScreen tab="admins" />, { api, settings: tokyo });
    expect(screen.getByRole('tab', { name: 'Admin roles' }).getAttribute('aria-selected')).toBe('true');
    const table = await screen.findByRole('table', { name: 'Admin role holders' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]?.textContent).toContain('Dana');
    expect(rows[0]?.textContent).toContain('member when first archived');
    expect(rows[0]?.textContent).toContain('still held');
    expect(rows[1]?.textContent).toContain('Auditors (custom admin)');
    expect(rows[1]?.textContent).toContain('noticed 2026-02-10, 09:30');
    expect(rows[1]?.textContent).toContain('ended, noticed 2026-03-10, 09:30');
  });

  it('the Groups tab lists each kind with its members now and marks gone ones', async () => {
    const groups: DirectoryGroup[] = [
      { kind: 'department', groupId: 'd1', name: 'Legal', members: 12, admin: false, goneAt: null },
      { kind: 'department', groupId: 'd9', name: 'Old Legal', members: 0, admin: false, goneAt: endedAt },
      { kind: 'role', groupId: 'r1', name: 'Cliq Admin', members: 2, admin: true, goneAt: null },
    ];
    const api = fakeApi(tokyo)
      .handle('archive:directory', () => pageOf([]))
      .handle('archive:groups', () => groups);
    renderWithVault(<DirectoryScreen tab="groups" />, { api, settings: tokyo });
    const departments = await screen.findByRole('table', { name: 'Departments' });
    const rows = within(departments).getAllByRole('row').slice(1);
    expect(rows[0]?.textContent).toContain('12');
    expect(rows[0]?.textContent).toContain('in Cliq');
    expect(rows[1]?.textContent).toContain('gone from Cliq (noticed 2026-03-10, 09:30)');
    expect(within(screen.getByRole('table', { name: 'Roles' })).getByText('admin')).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Teams' })).toBeNull();
  });

  it('opens the history of a department from the Groups tab: its earlier name, field by field, in the user’s time zone', async () => {
    const groups: DirectoryGroup[] = [
      { kind: 'department', groupId: 'd1', name: 'Legal & Compliance', members: 12, admin: false, goneAt: null },
      { kind: 'team', groupId: 't1', name: '<i>Contracts</i>', members: 3, admin: false, goneAt: null },
    ];
    const api = fakeApi(tokyo)
      .handle('archive:directory', () => pageOf([]))
      .handle('archive:groups', () => groups)
      .handle('archive:history', ({ subject }) =>
        subject === 'department'
          ? {
              firstSeenAt: listedAt,
              goneAt: null,
              changes: [{ kind: 'department', seenAt: listedAt, changedAt: noticedAt, runId: 3, changes: [{ field: 'name', before: 'Legal', after: 'Legal & Compliance' }] }],
              events: [],
            }
          : { firstSeenAt: listedAt, goneAt: null, changes: [], events: [] },
      );
    renderWithVault(<DirectoryScreen tab="groups" />, { api, settings: tokyo });
    const departments = await screen.findByRole('table', { name: 'Departments' });
    await userEvent.click(within(departments).getByRole('button', { name: 'History of department Legal & Compliance' }));
    const dialog = await screen.findByRole('dialog', { name: 'History of department Legal & Compliance' });
    const list = await within(dialog).findByRole('list', { name: 'Changes, newest first' });
    const [change] = within(list).getAllByRole('listitem');
    expect(change?.textContent).toContain('Department changed · seen 2026-02-10, 09:30 (sync run 3)');
    const row = within(change as HTMLElement)
      .getByRole('rowheader', { name: 'name' })
      .closest('tr');
    expect(row?.textContent).toBe('nameLegalLegal & Compliance');
    expect(api.requestsOf('archive:history')).toEqual([{ subject: 'department', key: 'd1' }]);

    // Closed, then a team's: asked by its own kind; a team never changed says so. Its name is text.
    await userEvent.click(within(dialog).getByRole('button', { name: /close/i }));
    await userEvent.click(within(screen.getByRole('table', { name: 'Teams' })).getByRole('button', { name: 'History of team <i>Contracts</i>' }));
    const teamDialog = await screen.findByRole('dialog', { name: 'History of team <i>Contracts</i>' });
    await within(teamDialog).findByText(/No change to its name/);
    expect(teamDialog.querySelector('i')).toBeNull();
    expect(api.requestsOf('archive:history').at(-1)).toEqual({ subject: 'team', key: 't1' });
  });
});

describe('department, designation, team and role pickers', () => {
  const groups: DirectoryGroup[] = [
    { kind: 'department', groupId: 'd1', name: 'Legal', members: 12, admin: false, goneAt: null },
    { kind: 'role', groupId: 'r1', name: 'Cliq Admin', members: 2, admin: true, goneAt: null },
  ];

  it('Search sends the groups picked', async () => {
    const api = fakeApi()
      .handle('archive:people', () => [])
      .handle('archive:groups', () => groups)
      .handle('archive:search', () => ({ hits: [], nextCursor: null }));
    renderWithVault(<SearchScreen />, { api });
    await userEvent.click(screen.getByText('Departments, designations, teams and roles'));
    const departments = await screen.findByRole('group', { name: /Departments/ });
    await userEvent.click(await within(departments).findByRole('checkbox', { name: /Legal/ }));
    await waitFor(() => expect(api.requestsOf('archive:search').at(-1)).toMatchObject({ departments: ['d1'] }));
    expect(api.requestsOf('archive:search').at(-1)).not.toHaveProperty('roles');
  });

  it('Audit scopes the bundle by the groups picked', async () => {
    const api = fakeApi()
      .handle('archive:people', () => [])
      .handle('archive:conversations', () => [])
      .handle('archive:groups', () => groups)
      .handle('audit:history', () => [])
      .handle('audit:seals', () => [])
      .handle('audit:status', () => null)
      .handle('audit:preview', () => ({ conversations: 0, messages: 0, senders: 0, from: null, to: null, attachments: 0, attachmentBytes: 0 }));
    renderWithVault(<AuditScreen />, { api });
    await userEvent.click(screen.getByText('Departments, designations, teams and roles'));
    const roles = await screen.findByRole('group', { name: /Roles/ });
    await userEvent.click(await within(roles).findByRole('checkbox', { name: /Cliq Admin/ }));
    await waitFor(() => expect(api.requestsOf('audit:preview').at(-1)).toMatchObject({ roles: ['r1'] }));
  });
});
