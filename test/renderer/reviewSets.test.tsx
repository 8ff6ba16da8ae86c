import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Sidebar } from '../../renderer/src/Sidebar';
import { AuditScreen } from '../../renderer/src/features/audit/AuditScreen';
import { ReviewSetsScreen } from '../../renderer/src/features/reviewSets/ReviewSetsScreen';
import { commandOf } from '../../renderer/src/features/reviewSets/reviewKeys';
import { produceScopeOf } from '../../renderer/src/features/reviewSets/produceLink';
import { reviewSetHref } from '../../renderer/src/features/search/searchFilters';
import { emptyReviewFilters, filtersFromParams } from '../../shared/reviewFilters';
import { VaultError } from '../../shared/errors';
import type { HoldSummary } from '../../shared/holds';
import { fakeApi, infoFixture, renderWithVault, settingsFixture } from './fixtures';
import { reviewItem, setSummary, withReviewSet } from './reviewSetsFake';

const actor = { profile: 'Acme', osUser: 'dana', host: 'laptop', toolVersion: '1.0.0' };
const hold = { id: 4, name: 'Acme v. Us', status: 'active', counts: { messages: 12, conversations: 1, custodians: 1, senders: 2 }, placedBy: actor } as unknown as HoldSummary;

function openSet(options: { readOnly?: boolean; items?: ReturnType<typeof reviewItem>[]; params?: string } = {}) {
  const api = fakeApi();
  const core = withReviewSet(api, options.items ?? [reviewItem(1), reviewItem(2), reviewItem(3, { chatId: 'CT_2', conversationTitle: 'Legal' })]);
  renderWithVault(<ReviewSetsScreen setId={1} params={new URLSearchParams(options.params ?? '')} />, {
    api,
    settings: settingsFixture({ timeZone: 'UTC' }),
    info: infoFixture({ archiveReadOnly: options.readOnly ?? false }),
  });
  return { api, core };
}

const current = () => screen.getByRole('region', { name: 'Current item' });
const selected = () => within(screen.getByRole('listbox', { name: 'Items of the set' })).getByRole('option', { selected: true });

describe('the Review screen', () => {
  beforeEach(() => window.history.replaceState(null, '', '#/reviewSets'));

  it('lists the sets: name, owner, source in words, progress, tag counts, purged', async () => {
    const api = fakeApi().handle('reviewSets:list', () => [setSummary({ items: 10, reviewed: 3, tagCounts: { privileged: 1, responsive: 2, hot: 1 }, customTags: ['hot'], purged: 2 })]);
    renderWithVault(<ReviewSetsScreen setId={null} params={new URLSearchParams()} />, { api });
    const table = await screen.findByRole('table', { name: 'Review sets' });
    const row = within(table).getAllByRole('row')[1];
    if (row === undefined) throw new Error('no row');
    expect(within(row).getByRole('link', { name: 'Budget review' }).getAttribute('href')).toBe('#/reviewSets/1');
    expect(row.textContent).toContain('dana on laptop');
    expect(row.textContent).toContain('search: invoice, 2026-03-01 to 2026-03-31 (UTC)');
    expect(within(row).getByRole('progressbar', { name: 'Reviewed 3 of 10' })).toBeTruthy();
    // Built-in tags first, in their key order.
    expect(
      within(row)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['responsive 2', 'privileged 1', 'hot 1']);
    expect(within(row).getAllByRole('cell').at(-1)?.textContent).toBe('2');
  });

  it('makes a set from the search it was opened on, with the search’s filters as its scope, then opens it', async () => {
    const api = fakeApi()
      .handle('reviewSets:list', () => [])
      .handle('holds:list', () => [hold])
      .handle('reviewSets:create', () => setSummary({ id: 7 }));
    const href = reviewSetHref({ ...emptyReviewFilters, text: 'invoice', kinds: ['channel'], from: '2026-03-01' });
    expect(href).toBe('#/reviewSets?new=1&q=invoice&kind=channel&from=2026-03-01');
    renderWithVault(<ReviewSetsScreen setId={null} params={new URLSearchParams(href.split('?')[1])} />, { api, settings: settingsFixture({ timeZone: 'Europe/Berlin' }) });
    const form = await screen.findByRole('form', { name: 'New review set' });
    expect(within(form).getByRole('radio', { name: 'the current search' })).toHaveProperty('checked', true);
    expect(form.textContent).toContain('containing “invoice” · in channel · 2026-03-01 to now — dates read in Europe/Berlin.');
    await userEvent.click(within(form).getByRole('button', { name: 'Make the review set' }));
    expect(await within(form).findByText('A review set needs a name.')).toBeTruthy();
    expect(api.requestsOf('reviewSets:create')).toEqual([]);
    await userEvent.type(within(form).getByLabelText('Name'), 'March invoices');
    await userEvent.click(within(form).getByRole('button', { name: 'Make the review set' }));
    await waitFor(() => expect(window.location.hash).toBe('#/reviewSets/7'));
    expect(api.requestsOf('reviewSets:create')).toEqual([
      {
        name: 'March invoices',
        source: { scope: { kinds: ['channel'], from: '2026-03-01', timeZone: 'Europe/Berlin', deleted: 'include', includeVersions: false, query: 'invoice', queryMode: 'simple' } },
      },
    ]);
  });

  it('makes a set from a legal hold, and says the core’s refusal in its words', async () => {
    const api = fakeApi()
      .handle('reviewSets:list', () => [])
      .handle('holds:list', () => [hold])
      .handle('reviewSets:create', () => {
        throw new VaultError('USAGE', 'A review set is already named "Acme".');
      });
    renderWithVault(<ReviewSetsScreen setId={null} params={new URLSearchParams()} />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'New review set…' }));
    const form = screen.getByRole('form', { name: 'New review set' });
    // Opened from the sidebar, there is no search to freeze.
    expect(within(form).getByRole('radio', { name: 'the current search' })).toHaveProperty('disabled', true);
    await userEvent.type(within(form).getByLabelText('Name'), 'Acme');
    await within(form).findByRole('option', { name: 'Acme v. Us (12 messages)' });
    await userEvent.click(within(form).getByRole('button', { name: 'Make the review set' }));
    expect(await within(form).findByText('Pick a legal hold.')).toBeTruthy();
    await userEvent.selectOptions(within(form).getByLabelText('Legal hold'), 'Acme v. Us');
    await userEvent.click(within(form).getByRole('button', { name: 'Make the review set' }));
    expect(await screen.findByText('A review set is already named "Acme".')).toBeTruthy();
    expect(api.requestsOf('reviewSets:create')).toEqual([{ name: 'Acme', source: { hold: 'Acme v. Us' } }]);
  });

  it('codes from the keyboard: next and previous, tags 1–4 toggled, reviewed, the whole conversation', async () => {
    const { api, core } = openSet();
    await screen.findByRole('heading', { name: 'Budget review', level: 1 });
    // Focus moves to the items once they are loaded (an effect after the page arrives).
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('listbox', { name: 'Items of the set' })));
    expect(screen.getByRole('progressbar', { name: 'Reviewed 0 of 3' })).toBeTruthy();

    await userEvent.keyboard('1');
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Reviewed 1 of 3' })).toBeTruthy());
    expect(within(current()).getByRole('button', { name: 'responsive', pressed: true })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Tagged responsive');
    await userEvent.keyboard('j');
    expect(selected().textContent).toContain('message 2');
    await userEvent.keyboard('{ArrowDown}3');
    await waitFor(() => expect(core.items()[2]?.tags).toEqual(['privileged']));
    await userEvent.keyboard('k');
    expect(selected().textContent).toContain('message 2');
    await userEvent.keyboard('r');
    await waitFor(() => expect(core.items()[1]?.reviewed).toBe(true));
    // Again: untag, not a second tag.
    await userEvent.keyboard('{ArrowUp}');
    await userEvent.keyboard('1');
    await waitFor(() => expect(core.items()[0]?.tags).toEqual([]));

    // c: the conversation's tags (no message id), inherited by every message of it.
    await userEvent.keyboard('c');
    expect(within(current()).getByRole('group', { name: 'Tags of the whole conversation' })).toBeTruthy();
    await userEvent.keyboard('2');
    await waitFor(() => expect(core.items()[1]?.conversationTags).toEqual(['not-responsive']));
    expect(api.requestsOf('reviewSets:code')).toEqual([
      { setId: 1, chatId: 'CT_1', messageId: '1700_1', action: 'tag', tag: 'responsive' },
      { setId: 1, chatId: 'CT_2', messageId: '1700_3', action: 'tag', tag: 'privileged' },
      { setId: 1, chatId: 'CT_1', messageId: '1700_2', action: 'reviewed', reviewed: true },
      { setId: 1, chatId: 'CT_1', messageId: '1700_1', action: 'untag', tag: 'responsive' },
      { setId: 1, chatId: 'CT_1', action: 'tag', tag: 'not-responsive' },
    ]);
    // Alt+digit is the app's (screens), not a tag.
    await userEvent.keyboard('{Alt>}4{/Alt}');
    expect(api.requestsOf('reviewSets:code')).toHaveLength(5);
  });

  it('adds a custom tag with t (then key 5), edits the note with n, and keys do nothing while typing', async () => {
    const { api } = openSet();
    await screen.findByRole('heading', { name: 'Budget review', level: 1 });
    await userEvent.keyboard('t');
    const input = screen.getByLabelText('New tag');
    expect(document.activeElement).toBe(input);
    await userEvent.type(input, 'Hot Stuff{Enter}');
    expect(await screen.findByText(/1 to 40 lower-case letters/)).toBeTruthy();
    await userEvent.clear(input);
    await userEvent.type(input, 'hot{Enter}');
    await waitFor(() => expect(within(current()).getByRole('button', { name: /hot/, pressed: true }).getAttribute('aria-keyshortcuts')).toBe('5'));
    // Focus moves to the items once they are loaded (an effect after the page arrives).
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('listbox', { name: 'Items of the set' })));
    await userEvent.keyboard('5');
    await waitFor(() => expect(within(current()).getByRole('button', { name: /hot/, pressed: false })).toBeTruthy());

    await userEvent.keyboard('n');
    const note = screen.getByLabelText('Note on this message');
    await userEvent.type(note, 'j1r ask counsel');
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(api.requestsOf('reviewSets:code')).toHaveLength(3));
    expect(api.requestsOf('reviewSets:code')).toEqual([
      { setId: 1, chatId: 'CT_1', messageId: '1700_1', action: 'tag', tag: 'hot' },
      { setId: 1, chatId: 'CT_1', messageId: '1700_1', action: 'untag', tag: 'hot' },
      { setId: 1, chatId: 'CT_1', messageId: '1700_1', action: 'note', note: 'j1r ask counsel' },
    ]);
    expect(await within(screen.getByRole('list', { name: 'Coding records' })).findByText(/noted: j1r ask counsel/)).toBeTruthy();
  });

  it('filters by tag, untagged and review state; the untagged filter names every tag of the set', async () => {
    const { api } = openSet({ items: [reviewItem(1, { tags: ['responsive'] }), reviewItem(2), reviewItem(3, { reviewed: true })] });
    await screen.findByRole('heading', { name: 'Budget review', level: 1 });
    await userEvent.selectOptions(screen.getByLabelText('Tag'), 'untagged');
    await waitFor(() => expect(screen.getByRole('listbox', { name: 'Items of the set' }).textContent).not.toContain('message 1'));
    expect(api.requestsOf('reviewSets:items').at(-1)?.filter).toEqual({ withTags: [], withoutTags: ['responsive', 'not-responsive', 'privileged', 'needs-redaction'], reviewed: 'any' });
    await userEvent.selectOptions(screen.getByLabelText('Review'), 'no');
    await waitFor(() => expect(within(screen.getByRole('listbox', { name: 'Items of the set' })).getAllByRole('option')).toHaveLength(1));
    expect(selected().textContent).toContain('message 2');
    // Tagging it under "untagged" drops it from the list.
    screen.getByRole('listbox', { name: 'Items of the set' }).focus();
    await userEvent.keyboard('1');
    expect(await screen.findByText('No item matches')).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText('Review'), 'any');
    await userEvent.selectOptions(screen.getByLabelText('Tag'), 'responsive');
    await waitFor(() => expect(within(screen.getByRole('listbox', { name: 'Items of the set' })).getAllByRole('option')).toHaveLength(2));
  });

  it('keeps the filter and the item in the address, so Back from a message’s context returns to it', async () => {
    const { api } = openSet({ params: 'tag=privileged&at=3&bogus=1', items: [reviewItem(1), reviewItem(2, { tags: ['privileged'] }), reviewItem(3, { tags: ['privileged'] })] });
    await screen.findByRole('heading', { name: 'Budget review', level: 1 });
    await waitFor(() => expect(selected().textContent).toContain('message 3'));
    expect(api.requestsOf('reviewSets:items')[0]).toMatchObject({ filter: { withTags: ['privileged'] }, offset: 0 });
    expect(window.location.hash).toBe('#/reviewSets/1?tag=privileged&at=3');
    await userEvent.keyboard('k');
    expect(window.location.hash).toBe('#/reviewSets/1?tag=privileged&at=2');
    await userEvent.selectOptions(screen.getByLabelText('Review'), 'no');
    await waitFor(() => expect(window.location.hash).toBe('#/reviewSets/1?tag=privileged&reviewed=no'));
  });

  it('renders hostile message text as text, and Enter opens the message in its conversation', async () => {
    openSet({ items: [reviewItem(1, { text: '<img src=x onerror="alert(1)"> *bold*' })] });
    await screen.findByRole('heading', { name: 'Budget review', level: 1 });
    expect(current().querySelector('img')).toBeNull();
    expect(current().textContent).toContain('<img src=x onerror="alert(1)">');
    expect(current().querySelector('strong')?.textContent).toBe('bold');
    await userEvent.keyboard('{Enter}');
    expect(window.location.hash).toBe('#/browse/CT_1?focus=41');
  });

  it('on a read-only archive shows the coding and refuses changes, saying why', async () => {
    const { api } = openSet({ readOnly: true });
    await screen.findByRole('heading', { name: 'Budget review', level: 1 });
    expect(screen.getByRole('note').textContent).toContain('open read-only');
    await userEvent.keyboard('1r');
    expect(screen.getByRole('status').textContent).toBe('This archive is open read-only: coding is not possible here.');
    expect(within(current()).getByRole('button', { name: 'responsive' })).toHaveProperty('disabled', true);
    // Moving still works.
    await userEvent.keyboard('j');
    expect(selected().textContent).toContain('message 2');
    expect(api.requestsOf('reviewSets:code')).toEqual([]);
  });

  it('produces the set through the Audit screen, limited by tags (responsive and not privileged by default)', async () => {
    openSet();
    await screen.findByRole('heading', { name: 'Budget review', level: 1 });
    const produce = screen.getByRole('region', { name: 'Produce' });
    expect(produce.textContent).toContain('Items tagged responsive, not tagged privileged.');
    await userEvent.click(within(produce).getByRole('button', { name: 'Produce…' }));
    expect(window.location.hash).toBe('#/audit?set=1&with=responsive&without=privileged');
    expect(produceScopeOf(new URLSearchParams('set=1&with=responsive&without=privileged&with=%3Cb%3E'))).toEqual({ id: 1, withTags: ['responsive'], withoutTags: ['privileged'] });
    expect(filtersFromParams(new URLSearchParams('set=1'))).toEqual(emptyReviewFilters);
  });

  it('opens Audit on the production: the set and its tag filter are the whole scope, exported with the bundle’s options', async () => {
    window.history.replaceState(null, '', '#/audit?set=1&with=responsive&without=privileged');
    const api = fakeApi()
      .handle('reviewSets:list', () => [setSummary()])
      .handle('archive:conversations', () => [])
      .handle('archive:people', () => [])
      .handle('archive:groups', () => [])
      .handle('audit:history', () => [])
      .handle('audit:seals', () => [])
      .handle('audit:status', () => null)
      .handle('audit:preview', () => ({ conversations: 1, messages: 2, senders: 1, from: null, to: null, attachments: 0, attachmentBytes: 0 }))
      .handle('audit:export', () => ({ jobId: 'audit-1' }));
    renderWithVault(<AuditScreen />, { api, settings: settingsFixture({ timeZone: 'UTC' }) });
    const scope = await screen.findByRole('group', { name: 'Production from a review set' });
    expect(await within(scope).findByRole('link', { name: 'Budget review' })).toBeTruthy();
    expect(scope.textContent).toContain('tagged responsive, not tagged privileged');
    // No filter panel beside a set: the core refuses any other filter.
    expect(screen.queryByLabelText('Containing')).toBeNull();
    // Nor a date to stand as of: the set is the scope.
    expect(screen.queryByLabelText(/As it stood at the end of/)).toBeNull();
    await waitFor(() => expect(api.requestsOf('audit:preview').at(-1)).toMatchObject({ timeZone: 'UTC', reviewSet: { id: 1, withTags: ['responsive'], withoutTags: ['privileged'] } }));
    expect(Object.keys(api.requestsOf('audit:preview').at(-1) ?? {})).not.toContain('query');
    await userEvent.click(screen.getByRole('button', { name: 'Export bundle' }));
    await waitFor(() => expect(api.requestsOf('audit:export')[0]?.scope).toMatchObject({ reviewSet: { id: 1 } }));
    expect(window.location.hash).toBe('#/audit?set=1&with=responsive&without=privileged');
    await userEvent.click(within(scope).getByRole('button', { name: 'Use filters instead' }));
    expect(await screen.findByLabelText('Containing')).toBeTruthy();
    await waitFor(() => expect(window.location.hash).toBe('#/audit'));
  });

  it('is in the sidebar after Search, and each screen shows the Alt key that really opens it', () => {
    renderWithVault(<Sidebar current="reviewSets" />, { api: fakeApi() });
    const links = within(screen.getByRole('navigation', { name: 'Screens' })).getAllByRole('link');
    const names = links.map((a) => a.textContent);
    expect(names.indexOf('Review')).toBe(names.indexOf('SearchAlt+5') + 1);
    expect(screen.getByRole('link', { name: 'Review' }).getAttribute('aria-current')).toBe('page');
    // Screens added later keep the others' keys (useShortcuts reads `screens`): Audit is still Alt+6.
    expect(names).toContain('AuditAlt+6');
    expect(names).toContain('SettingsAlt+0');
  });

  it('maps keys to commands, leaving modified keys to the app', () => {
    expect(commandOf({ key: 'j', altKey: false, ctrlKey: false, metaKey: false })).toEqual({ kind: 'move', by: 1 });
    expect(commandOf({ key: '9', altKey: false, ctrlKey: false, metaKey: false })).toEqual({ kind: 'tag', slot: 8 });
    expect(commandOf({ key: '0', altKey: false, ctrlKey: false, metaKey: false })).toBeNull();
    expect(commandOf({ key: 'k', altKey: false, ctrlKey: true, metaKey: false })).toBeNull();
  });
});
