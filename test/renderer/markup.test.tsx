import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TranscriptPage } from '../../shared/archive';
import type { MentionNames } from '../../shared/markup';
import type { SearchHit } from '../../shared/search';
import { TranscriptView } from '../../renderer/src/features/browse/TranscriptView';
import { SearchScreen } from '../../renderer/src/features/search/SearchScreen';
import { fakeApi, renderWithVault, transcriptMessage, withoutExtras } from './fixtures';

const names: MentionNames = {
  users: { '2224919568806253528': { name: 'Dana Ruiz', email: 'dana@example.org' } },
  emails: {},
  channels: { O1647: 'incidents' },
  teams: {},
};

const page: TranscriptPage = {
  chat: { chatId: 'CT_1', title: 'Finance', kind: 'channel', goneAt: null },
  messages: [
    transcriptMessage(1, { text: '{@2224919568806253528} see {#O1647} and *budget* :party:' }),
    transcriptMessage(2, { text: '[click me](javascript:alert(1)) or [this](javascript:void) or [the doc](https://docs.example.org/d/1)' }),
    transcriptMessage(3, { text: '<b>not html</b><img src=x onerror=alert(1)>' }),
    transcriptMessage(4, { text: 'مرحبا {@999}' }),
    transcriptMessage(5, { type: 'file', text: null, fileName: 'scan-0042.pdf', fileMime: 'application/pdf', fileSize: 204_800, extraText: 'for {@2224919568806253528}' }),
  ],
  hasOlder: false,
  hasNewer: false,
  names,
};

function transcript() {
  const api = withoutExtras(fakeApi())
    .handle('archive:transcript', () => page)
    .handle('archive:members', () => []);
  renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
  return screen.findByRole('feed', { name: 'Transcript of Finance' });
}

const articleOf = (feed: HTMLElement, key: number) => within(feed).getAllByRole('article')[key - 1] as HTMLElement;

describe('Cliq markup in the transcript', () => {
  it('shows a mention as the name, titled with the e-mail, with no raw token left', async () => {
    const feed = await transcript();
    const first = articleOf(feed, 1);
    const mention = within(first).getByText('@Dana Ruiz');
    expect(mention.getAttribute('title')).toBe('dana@example.org');
    expect(within(first).getByText('#incidents')).toBeTruthy();
    expect(within(first).getByText('budget').closest('strong')).not.toBeNull();
    expect(within(first).getByRole('img', { name: 'party' }).textContent).toBe('🥳');
    expect(feed.textContent).not.toMatch(/\{@2224919568806253528\}/);
    // The caption of a file message is rendered too.
    expect(within(articleOf(feed, 5)).getByText('@Dana Ruiz')).toBeTruthy();
  });

  it('makes no link of a javascript: target, and a safe one opens outside with noopener', async () => {
    const feed = await transcript();
    const second = articleOf(feed, 2);
    const links = within(second).getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]?.getAttribute('href')).toBe('https://docs.example.org/d/1');
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(links[0]?.getAttribute('target')).toBe('_blank');
    expect(second.textContent).toContain('[click me](javascript:alert(1))');
    expect(second.querySelector('a[href^="javascript"]')).toBeNull();
  });

  it('shows HTML in a message as the characters it is', async () => {
    const feed = await transcript();
    const third = articleOf(feed, 3);
    expect(third.querySelector('b, img')).toBeNull();
    expect(third.textContent).toContain('<b>not html</b><img src=x onerror=alert(1)>');
  });

  it('lets the browser pick the direction of each text, and shows an unknown user readably', async () => {
    const feed = await transcript();
    const fourth = articleOf(feed, 4);
    expect(fourth.querySelector('.message-text')?.getAttribute('dir')).toBe('auto');
    expect(within(fourth).getByText('@unknown user 999').getAttribute('title')).toBe('999');
  });
});

describe('Cliq markup in search hits', () => {
  beforeEach(() => {
    window.location.hash = '#/search';
  });

  it('resolves mentions and keeps the hit marked, also on a mention the search matched', async () => {
    const hit: SearchHit = {
      key: 1,
      chatId: 'CT_1',
      chatTitle: 'Finance',
      chatKind: 'channel',
      messageId: 'm1',
      senderId: '60000001',
      senderName: 'Kofi',
      time: Date.UTC(2026, 2, 31, 9, 0),
      type: 'text',
      fileName: null,
      snippet: [
        { text: '{@', hit: false },
        { text: '2224919568806253528', hit: true },
        { text: '} the ', hit: false },
        { text: 'budget', hit: true },
        { text: ' <i>is</i> [x](javascript:alert(1))', hit: false },
      ],
      deleted: false,
      edited: false,
    };
    const api = fakeApi()
      .handle('archive:people', () => [])
      .handle('archive:search', () => ({ hits: [hit], nextCursor: null, names }));
    renderWithVault(<SearchScreen />, { api });
    await userEvent.type(screen.getByLabelText('Search messages'), 'budget');
    const option = await within(await screen.findByRole('listbox', { name: 'Search results' })).findByRole('option');
    const marks = [...option.querySelectorAll('mark')].map((m) => m.textContent);
    expect(marks).toEqual(['@Dana Ruiz', 'budget']);
    expect(option.textContent).not.toContain('{@');
    expect(option.textContent).toContain('<i>is</i>');
    expect(option.querySelector('i, a')).toBeNull();
  });
});
