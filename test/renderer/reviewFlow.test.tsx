import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SearchHit, SearchQueryInput } from '../../shared/search';
import { AuditScreen } from '../../renderer/src/features/audit/AuditScreen';
import { TranscriptView } from '../../renderer/src/features/browse/TranscriptView';
import { HitNavigator } from '../../renderer/src/features/search/HitNavigator';
import { SearchScreen } from '../../renderer/src/features/search/SearchScreen';
import { parseHash } from '../../renderer/src/hooks/useHashRoute';
import type { FakeVaultApi } from './fakeApi';
import { fakeApi, renderWithVault, settingsFixture, transcriptMessage, withoutExtras } from './fixtures';

function hit(key: number, chatId = 'CT_1'): SearchHit {
  return {
    key,
    chatId,
    chatTitle: chatId === 'CT_1' ? 'Finance' : 'Legal',
    chatKind: 'channel',
    messageId: `1712345678901234${key}`,
    senderId: '60000001',
    senderName: 'Dana',
    time: Date.UTC(2026, 2, 31, 9, 0),
    type: 'text',
    fileName: null,
    snippet: [{ text: `budget ${key}`, hit: true }],
    deleted: false,
    edited: false,
  };
}

const people = [
  { userId: '60000001', name: 'Dana Ruiz', email: 'dana@acme.test', messages: 40 },
  { userId: '60000002', name: 'Kofi Mensah', email: 'kofi@acme.test', messages: 12 },
];
const conversations = [
  { chatId: 'CT_1', kind: 'channel', kindSource: 'listing', title: 'Finance' },
  { chatId: 'CT_2', kind: 'channel', kindSource: 'listing', title: 'Legal' },
];

/** Both screens' look-ups; hits 1…120 in pages of 50 (keys descending from 120). */
function api(): FakeVaultApi {
  const all = Array.from({ length: 120 }, (_, i) => hit(120 - i, i % 2 === 0 ? 'CT_1' : 'CT_2'));
  return withoutExtras(fakeApi(berlin))
    .handle('archive:people', () => people)
    .handle('archive:groups', () => [])
    .handle('archive:conversations', () => conversations as never)
    .handle('archive:search', (q) => {
      const from = q.cursor === undefined ? 0 : Number(q.cursor);
      const next = from + 50;
      return { hits: all.slice(from, next), nextCursor: next < all.length ? String(next) : null };
    })
    .handle('audit:history', () => [])
    .handle('audit:seals', () => [])
    .handle('audit:status', () => null)
    .handle('audit:preview', () => ({ conversations: 1, messages: 7, senders: 1, from: null, to: null, attachments: 0, attachmentBytes: 0 }))
    .handle('archive:context', ({ key }) => ({
      chat: { chatId: 'CT_1', title: 'Finance', kind: 'channel', goneAt: null },
      messages: [transcriptMessage(key)],
      hasOlder: false,
      hasNewer: false,
      focus: key,
    }))
    .handle('archive:members', () => []);
}

const berlin = settingsFixture({ timeZone: 'Europe/Berlin' });
/** Renders as the app does, with the settings' time zone Europe/Berlin. */
const show = (ui: ReactElement, a: FakeVaultApi) => renderWithVault(ui, { api: a, settings: berlin });
const lastSearch = (a: FakeVaultApi): SearchQueryInput | undefined => a.requestsOf('archive:search').at(-1);
const query = () => parseHash(window.location.hash)?.query ?? new URLSearchParams();

describe('one filter model, in the URL, from Search to Audit', () => {
  beforeEach(() => {
    window.location.hash = '#/search';
  });

  it('Search: the panel sends every filter, names the time zone, and writes the whole query in the URL', async () => {
    const a = api();
    show(<SearchScreen />, a);
    expect(screen.getByRole('group', { name: 'Dates in Europe/Berlin' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search messages'), { target: { value: 'budget' } });
    await userEvent.click(screen.getByText('Conversations', { selector: 'summary' }));
    await userEvent.click(await within(screen.getByRole('group', { name: /^Conversations/ })).findByRole('checkbox', { name: /Legal/ }));
    await userEvent.click(screen.getByText('Participants', { selector: 'summary' }));
    await userEvent.click(within(screen.getByRole('group', { name: /^Participants/ })).getByRole('checkbox', { name: /Kofi Mensah/ }));
    await userEvent.click(within(screen.getByRole('group', { name: 'Kinds' })).getByRole('checkbox', { name: 'thread' }));
    await userEvent.click(within(screen.getByRole('group', { name: 'Message types' })).getByRole('checkbox', { name: 'file' }));
    await userEvent.selectOptions(screen.getByLabelText('Edited'), 'yes');
    await userEvent.selectOptions(screen.getByLabelText('Files'), 'yes');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-01' } });
    await waitFor(() =>
      expect(lastSearch(a)).toMatchObject({
        text: 'budget',
        chats: ['CT_2'],
        participants: ['60000002'],
        kinds: ['thread'],
        types: ['file'],
        edited: true,
        hasFile: true,
        from: '2026-01-01',
        timeZone: 'Europe/Berlin',
      }),
    );
    await waitFor(() => expect(window.location.hash).toBe('#/search?q=budget&chat=CT_2&kind=thread&participant=60000002&type=file&from=2026-01-01&files=yes&edited=yes'));
  });

  it('Search: a reload (a new screen on the same address) restores every filter exactly and runs the same search', async () => {
    window.location.hash = '#/search?q=budget&chat=CT_2&kind=thread&participant=60000002&sender=60000001&from=2026-01-01&to=2026-03-31&deleted=only&edited=no&versions=yes&order=oldest';
    const first = api();
    const { unmount } = show(<SearchScreen params={query()} />, first);
    await waitFor(() => expect(first.requestsOf('archive:search')).toHaveLength(1));
    const before = window.location.hash;
    unmount();
    const second = api();
    show(<SearchScreen params={query()} />, second);
    await waitFor(() => expect(second.requestsOf('archive:search')).toHaveLength(1));
    expect(second.requestsOf('archive:search')[0]).toEqual(first.requestsOf('archive:search')[0]);
    expect(second.requestsOf('archive:search')[0]).toMatchObject({ senders: ['60000001'], deleted: 'only', edited: false, includeVersions: true, order: 'oldest', to: '2026-03-31' });
    expect(window.location.hash).toBe(before);
    expect(screen.getByLabelText<HTMLInputElement>('Search messages').value).toBe('budget');
    expect(screen.getByLabelText<HTMLSelectElement>('Deleted messages').value).toBe('only');
    expect(within(screen.getByRole('group', { name: 'Kinds' })).getByRole<HTMLInputElement>('checkbox', { name: 'thread' }).checked).toBe(true);
  });

  it('opening a hit keeps the query, and "Back to results" returns to it, on the hit opened', async () => {
    window.location.hash = '#/search?q=budget&kind=channel';
    const a = api();
    const { unmount } = show(<SearchScreen params={query()} />, a);
    const list = await screen.findByRole('listbox', { name: 'Search results' });
    // Whichever hit is on screen (jsdom lays out no heights, so the virtual window is arbitrary).
    const option = (await within(list).findAllByRole('option'))[0];
    const index = Number(option?.getAttribute('data-index'));
    const key = 120 - index;
    expect(option?.textContent).toContain(`budget ${key}`);
    await userEvent.click(option as HTMLElement);
    const chat = index % 2 === 0 ? 'CT_1' : 'CT_2';
    expect(window.location.hash).toBe(`#/browse/${chat}?focus=${key}&hit=${index}&results=${encodeURIComponent('q=budget&kind=channel')}`);
    unmount();

    const asked = a.requestsOf('archive:search').length;
    show(<HitNavigator />, a);
    const back = await screen.findByRole('link', { name: '← Back to results' });
    // The transcript walks the results the screen held: no search asked again.
    expect(await screen.findByText(`Hit ${index + 1} of 50+`)).toBeTruthy();
    expect(a.requestsOf('archive:search')).toHaveLength(asked);
    expect(back.getAttribute('href')).toBe(`#/search?q=budget&kind=channel&at=${index}`);
    cleanup();

    window.location.hash = `#/search?q=budget&kind=channel&at=${index}`;
    const again = api();
    show(<SearchScreen params={query()} />, again);
    const restored = await screen.findByRole('listbox', { name: 'Search results' });
    await waitFor(() => expect(restored.getAttribute('aria-activedescendant')).toMatch(new RegExp(`-${index}$`)));
    expect(again.requestsOf('archive:search')[0]).toMatchObject({ text: 'budget', kinds: ['channel'] });
  });

  it('walks to the previous and next hit of the same results, loading the next page when needed', async () => {
    const results = 'q=budget';
    window.location.hash = `#/browse/CT_2?focus=71&hit=49&results=${encodeURIComponent(results)}`;
    const a = api();
    show(<TranscriptView chatId="CT_2" focus={71} />, a);
    const nav = await screen.findByRole('navigation', { name: 'Search hits' });
    await within(nav).findByText('Hit 50 of 100+');
    // Hit 51 is on the second page: it was read with the first page's cursor.
    expect(a.requestsOf('archive:search').map((q) => q.cursor)).toEqual([undefined, '50']);
    expect(a.requestsOf('archive:search')[0]).toMatchObject({ text: 'budget', limit: 50 });
    await userEvent.click(within(nav).getByRole('button', { name: 'Next hit →' }));
    expect(window.location.hash).toBe(`#/browse/CT_1?focus=70&hit=50&results=${encodeURIComponent(results)}`);
    await within(nav).findByText('Hit 51 of 100+');
    await userEvent.click(within(nav).getByRole('button', { name: '← Previous hit' }));
    expect(window.location.hash).toBe(`#/browse/CT_2?focus=71&hit=49&results=${encodeURIComponent(results)}`);
    await userEvent.click(within(nav).getByRole('button', { name: '← Previous hit' }));
    await within(nav).findByText('Hit 49 of 100+');
    await act(async () => {
      window.location.hash = `#/browse/CT_1?focus=1&hit=119&results=${encodeURIComponent(results)}`;
      await Promise.resolve();
    });
    await within(nav).findByText('Hit 120 of 120');
    expect(within(nav).getByRole<HTMLButtonElement>('button', { name: 'Next hit →' }).disabled).toBe(true);
  });

  it('a transcript opened from Browse has no hit navigation', () => {
    window.location.hash = '#/browse/CT_1?focus=5';
    show(<HitNavigator />, api());
    expect(screen.queryByRole('navigation', { name: 'Search hits' })).toBeNull();
  });

  it('"Export these N results…" opens Audit on the same filters, and the bundle scope is those filters', async () => {
    window.location.hash = '#/search?q=budget&chat=CT_2&participant=60000002&files=no&edited=yes&from=2026-01-01&order=oldest';
    const a = api();
    const { unmount } = show(<SearchScreen params={query()} />, a);
    await userEvent.click(await screen.findByRole('button', { name: 'Export these 50+ results…' }));
    expect(window.location.hash).toBe('#/audit?q=budget&chat=CT_2&participant=60000002&from=2026-01-01&files=no&edited=yes');
    unmount();

    show(<AuditScreen params={query()} />, a);
    await waitFor(() =>
      expect(a.requestsOf('audit:preview').at(-1)).toMatchObject({
        query: 'budget',
        conversations: ['CT_2'],
        participants: ['60000002'],
        hasFile: false,
        edited: true,
        from: '2026-01-01',
        timeZone: 'Europe/Berlin',
      }),
    );
    // The same panel, showing the same filters.
    expect(screen.getByLabelText<HTMLInputElement>('Containing').value).toBe('budget');
    expect(screen.getByLabelText<HTMLSelectElement>('Files').value).toBe('no');
    expect(screen.getByRole('group', { name: 'Dates in Europe/Berlin' })).toBeTruthy();
    expect(within(screen.getByRole('group', { name: /^Participants/ })).getByRole<HTMLInputElement>('checkbox', { name: /Kofi Mensah/ }).checked).toBe(true);
    // A change in Audit is kept in its URL too.
    await userEvent.selectOptions(screen.getByLabelText('Deleted messages'), 'exclude');
    await waitFor(() => expect(window.location.hash).toBe('#/audit?q=budget&chat=CT_2&participant=60000002&from=2026-01-01&files=no&deleted=exclude&edited=yes'));
    await waitFor(() => expect(a.requestsOf('audit:preview').at(-1)).toMatchObject({ deleted: 'exclude' }));
  });
});
