import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit, SearchPage } from '../../shared/search';
import { ApiError } from '../../renderer/src/api/ApiError';
import { SearchScreen } from '../../renderer/src/features/search/SearchScreen';
import { deferred } from './fakeApi';
import { fakeApi, renderWithVault } from './fixtures';

function hit(key: number, text: string, patch: Partial<SearchHit> = {}): SearchHit {
  return {
    key,
    chatId: 'CT_1',
    chatTitle: 'Finance',
    chatKind: 'channel',
    messageId: `1712345678901234${key}`,
    senderId: '60000001',
    senderName: 'Dana',
    time: Date.UTC(2026, 2, 31, 9, 0),
    type: 'text',
    fileName: null,
    snippet: [{ text, hit: true }],
    deleted: false,
    edited: false,
    ...patch,
  };
}

function setup() {
  const api = fakeApi().handle('archive:people', () => []);
  renderWithVault(<SearchScreen />, { api });
  return api;
}

describe('Search', () => {
  beforeEach(() => {
    window.location.hash = '#/search';
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('debounces typing into one query carrying the latest text', async () => {
    const api = setup();
    api.handle('archive:search', (q) => ({ hits: [hit(1, q.text ?? '')], nextCursor: null }));
    await userEvent.type(screen.getByLabelText('Search messages'), 'invoice');
    await within(await screen.findByRole('listbox', { name: 'Search results' })).findByRole('option');
    const queries = api.requestsOf('archive:search');
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ text: 'invoice', mode: 'simple', timeZone: 'UTC' });
  });

  it('ignores the answer to a query that a newer one replaced', async () => {
    const api = setup();
    const pending: { text: string | undefined; answer: ReturnType<typeof deferred<SearchPage>> }[] = [];
    api.handle('archive:search', (q) => {
      const answer = deferred<SearchPage>();
      pending.push({ text: q.text, answer });
      return answer.promise;
    });
    const input = screen.getByLabelText('Search messages');
    fireEvent.change(input, { target: { value: 'inv' } });
    await waitFor(() => expect(pending).toHaveLength(1));
    fireEvent.change(input, { target: { value: 'invoice' } });
    await waitFor(() => expect(pending).toHaveLength(2));

    // The newer answer arrives first, then the stale one.
    await act(async () => {
      pending[1]?.answer.resolve({ hits: [hit(2, 'invoice 2041')], nextCursor: null });
      await pending[1]?.answer.promise;
    });
    await act(async () => {
      pending[0]?.answer.resolve({ hits: [hit(1, 'inventory list')], nextCursor: null });
      await pending[0]?.answer.promise;
    });

    expect(await screen.findByText('invoice 2041')).toBeTruthy();
    expect(screen.queryByText('inventory list')).toBeNull();
    expect(pending.map((p) => p.text)).toEqual(['inv', 'invoice']);
  });

  it('renders snippet hits as <mark> and markup in a message as plain text', async () => {
    const api = setup();
    api.handle('archive:search', () => ({
      hits: [
        hit(3, '', {
          snippet: [
            { text: 'see ', hit: false },
            { text: 'invoice', hit: true },
            { text: ' <img src=x onerror="alert(1)"> now', hit: false },
          ],
        }),
      ],
      nextCursor: null,
    }));
    fireEvent.change(screen.getByLabelText('Search messages'), { target: { value: 'invoice' } });
    const option = await within(await screen.findByRole('listbox', { name: 'Search results' })).findByRole('option');
    const mark = option.querySelector('mark');
    expect(mark?.textContent).toBe('invoice');
    expect(option.querySelector('img')).toBeNull();
    expect(option.textContent).toContain('<img src=x onerror="alert(1)"> now');
  });

  it('measures input-to-paint from the last input and marks the results done with their sequence number', async () => {
    const mark = vi.spyOn(performance, 'mark');
    const measure = vi.spyOn(performance, 'measure');
    const api = setup();
    api.handle('archive:search', () => ({ hits: [hit(1, 'budget')], nextCursor: null }));
    const input = screen.getByLabelText('Search messages');
    fireEvent.change(input, { target: { value: 'bu' } });
    fireEvent.change(input, { target: { value: 'budget' } });
    const container = document.querySelector('[data-search-state]');
    await waitFor(() => expect(container?.getAttribute('data-search-state')).toBe('done'));
    expect(mark.mock.calls.filter(([name]) => name === 'search:input')).toHaveLength(2);
    const measures = measure.mock.calls.filter(([name]) => name === 'search:input-to-paint');
    expect(measures).toHaveLength(1);
    const options = measures[0]?.[1] as { start: number; end: number };
    expect(options.end).toBeGreaterThanOrEqual(options.start);
    // The sequence number names the query whose results are painted (the benchmark matches on it).
    expect(Number(container?.getAttribute('data-search-seq'))).toBeGreaterThan(0);
    expect(api.requestsOf('archive:search')).toHaveLength(1);
  });

  it('shows a BAD_QUERY inline with its hint', async () => {
    const api = setup();
    api.handle('archive:search', () => {
      throw new ApiError({ code: 'BAD_QUERY', message: 'The query has an unbalanced quote.', hint: 'Close the quote or use simple mode.' });
    });
    fireEvent.change(screen.getByLabelText('Search messages'), { target: { value: '"budget' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The query has an unbalanced quote.');
    expect(alert.textContent).toContain('Close the quote or use simple mode.');
    expect(screen.getByLabelText('Search messages').getAttribute('aria-invalid')).toBe('true');
  });

  it('moves through hits with the arrow keys and opens one in its transcript with Enter', async () => {
    const api = setup();
    api.handle('archive:search', () => ({ hits: [hit(11, 'first'), hit(12, 'second', { chatId: 'CT_2' })], nextCursor: null }));
    fireEvent.change(screen.getByLabelText('Search messages'), { target: { value: 'x' } });
    const list = await screen.findByRole('listbox', { name: 'Search results' });
    await within(list).findByText('second');
    list.focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(within(list).getAllByRole('option')[1]?.getAttribute('aria-selected')).toBe('true');
    await userEvent.keyboard('{Enter}');
    expect(window.location.hash).toBe(`#/browse/CT_2?focus=12&hit=1&results=${encodeURIComponent('q=x')}`);
  });

  it('loads the next page with the cursor and appends it', async () => {
    const api = setup();
    api.handle('archive:search', (q) => (q.cursor === undefined ? { hits: [hit(1, 'page one')], nextCursor: 'c2' } : { hits: [hit(2, 'page two')], nextCursor: null }));
    fireEvent.change(screen.getByLabelText('Search messages'), { target: { value: 'page' } });
    await userEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('page two')).toBeTruthy();
    expect(screen.getByText('page one')).toBeTruthy();
    expect(api.requestsOf('archive:search')[1]).toMatchObject({ text: 'page', cursor: 'c2' });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });
});
