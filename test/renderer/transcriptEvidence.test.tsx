import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ReactionCoverage, TranscriptPage } from '../../shared/archive';
import type { ReactionView, StickyHistory, StickyPin } from '../../shared/evidence';
import { TranscriptView } from '../../renderer/src/features/browse/TranscriptView';
import { describeReactionCoverage } from '../../renderer/src/features/browse/reactionWording';
import { fakeApi, renderWithVault, transcriptMessage } from './fixtures';

const at = (day: number, hour = 9) => Date.UTC(2026, 2, day, hour, 0);
const hostile = '<img src=x onerror=alert(1)>';

const reaction = (patch: Partial<ReactionView> & Pick<ReactionView, 'emoji' | 'userId'>): ReactionView => ({ userName: null, at: at(1, 10), removedNoticedAt: null, ...patch });

const page: TranscriptPage = {
  chat: { chatId: 'CT_1', title: 'Finance', kind: 'channel', goneAt: null },
  messages: [
    transcriptMessage(1, {
      text: 'approve the transfer',
      reactions: [
        reaction({ emoji: '👍', userId: '1', userName: 'Ana', at: at(1, 10) }),
        reaction({ emoji: '👍', userId: '2', userName: 'Ben', at: at(1, 11) }),
        reaction({ emoji: ':party:', userId: '3', userName: 'Cleo', at: at(1, 12) }),
        reaction({ emoji: '👍', userId: '4', userName: 'Dev', at: at(1, 9), removedNoticedAt: at(3) }),
        reaction({ emoji: hostile, userId: '5', userName: '<b>Eve</b>', at: at(2, 8) }),
        reaction({ emoji: '😂', userId: '6', userName: 'Fay', at: at(2, 8), removedNoticedAt: at(4) }),
      ],
    }),
    transcriptMessage(2, { text: 'no reactions here' }),
  ],
  hasOlder: false,
  hasNewer: false,
};

const pin = (patch: Partial<StickyPin>): StickyPin => ({
  messageId: '1712345678901234501',
  text: 'Quarter close: no transfers after Friday',
  senderId: '1',
  senderName: 'Ana',
  pinnedById: '2',
  pinnedByName: 'Ben',
  pinnedAt: at(2, 14),
  expiry: -1,
  firstSeenAt: at(2, 15),
  endedNoticedAt: null,
  endedBy: null,
  ...patch,
});

const coverage = (patch: Partial<ReactionCoverage> = {}): ReactionCoverage => ({ checked: 940, due: 60, unreadable: 0, askedAt: at(5), ...patch });

function setup(sticky: StickyHistory, cover: ReactionCoverage = coverage()) {
  return fakeApi()
    .handle('archive:transcript', () => page)
    .handle('archive:members', () => [])
    .handle('archive:sticky', () => sticky)
    .handle('archive:reactionCoverage', () => cover)
    .handle('archive:channelPermissions', () => []);
}

describe('reactions in the transcript', () => {
  it('shows one chip per key with the standing count, names who reacted and when, and strikes through removed ones', async () => {
    const api = setup({ pins: [], checkedAt: at(5) });
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const feed = await screen.findByRole('feed');
    const first = within(feed).getByText('approve the transfer').closest('article');
    if (!(first instanceof HTMLElement)) throw new Error('no message article');
    const chips = within(first).getByRole('list', { name: 'Reactions' });
    const thumbs = within(chips).getByRole('button', { name: /^👍: 2 reactions/ });
    expect(thumbs.getAttribute('aria-label')).toBe('👍: 2 reactions by Ana at 2026-03-01, 10:00, Ben at 2026-03-01, 11:00; removed: Dev (removed, noticed 2026-03-03)');
    expect(thumbs.getAttribute('title')).toBe(thumbs.getAttribute('aria-label'));
    expect(thumbs.textContent).toBe('👍 2');
    // A shortcode is its text; a key whose only reaction was removed is struck through, with 0 standing.
    expect(within(chips).getByRole('button', { name: /^:party:: 1 reaction by Cleo/ }).textContent).toBe(':party: 1');
    const laughed = within(chips).getByRole('button', { name: /^😂: 0 reactions; removed: Fay \(removed, noticed 2026-03-04\)$/ });
    expect(laughed.querySelector('s')?.textContent).toBe('😂');
    // The message without reactions has no chips.
    const second = within(feed).getByText('no reactions here').closest('article');
    expect(second?.querySelector('.reaction-chips')).toBeNull();

    // Keyboard: the chip opens the list of who reacted, removed ones struck through with when it was noticed.
    thumbs.focus();
    await userEvent.keyboard('{Enter}');
    expect(thumbs.getAttribute('aria-expanded')).toBe('true');
    const who = within(first).getByRole('list', { name: 'Who reacted with 👍' });
    const lines = within(who)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(lines).toEqual(['Ana 2026-03-01, 10:00', 'Ben 2026-03-01, 11:00', 'Dev 2026-03-01, 09:00 · removed, noticed 2026-03-03']);
    expect(within(who).getByText('Dev').tagName).toBe('S');
    await userEvent.keyboard('{Enter}');
    expect(within(first).queryByRole('list', { name: 'Who reacted with 👍' })).toBeNull();
  });

  it('shows hostile keys and names as text, never markup', async () => {
    const api = setup({ pins: [], checkedAt: null });
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const feed = await screen.findByRole('feed');
    const chip = within(feed).getByRole('button', { name: new RegExp(`^${hostile.replace(/[()]/g, '\\$&')}: 1 reaction by <b>Eve</b>`) });
    expect(chip.textContent).toBe(`${hostile} 1`);
    expect(feed.querySelector('img')).toBeNull();
    await userEvent.click(chip);
    expect(within(feed).getByText('<b>Eve</b>')).toBeTruthy();
    expect(feed.querySelector('b')).toBeNull();
  });

  it('says how much of the conversation’s reactions were read, in words', async () => {
    const api = setup({ pins: [], checkedAt: null });
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    expect(await screen.findByText('Reactions read for 940 of 1,000 messages; 60 wait for the next sync.')).toBeTruthy();
    expect(api.requestsOf('archive:reactionCoverage')).toEqual([{ chatId: 'CT_1' }]);
    expect(describeReactionCoverage(coverage({ checked: 0, due: 0, unreadable: 25 }), 'UTC')).toBe('Reactions not readable: the admin is not in this chat (Cliq refused on 2026-03-05).');
    expect(describeReactionCoverage(coverage({ checked: 0, due: 0, unreadable: 0, askedAt: null }), 'UTC')).toBe(
      'Reactions not read: the admin cannot read this conversation through Cliq, or no sync has asked yet.',
    );
    expect(describeReactionCoverage(coverage({ checked: 1, due: 0 }), 'UTC')).toBe('Reactions read for 1 of 1 message.');
    expect(describeReactionCoverage(coverage({ checked: 10, due: 0, unreadable: 2 }), 'UTC')).toBe('Reactions read for 10 of 12 messages; 2 not readable: Cliq refused the admin on 2026-03-05.');
    // In the user's time zone: 23:30 UTC on the 5th is the 6th in Tokyo.
    expect(describeReactionCoverage(coverage({ checked: 0, due: 0, unreadable: 3, askedAt: Date.UTC(2026, 2, 5, 23, 30) }), 'Asia/Tokyo')).toContain('2026-03-06');
  });

  it('says so, without breaking the transcript, when the coverage cannot be read', async () => {
    const api = setup({ pins: [], checkedAt: null }).handle('archive:reactionCoverage', () => {
      throw new Error('disk gone');
    });
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    expect(await screen.findByText('Reactions coverage could not be read.')).toBeTruthy();
    expect(await screen.findByRole('feed')).toBeTruthy();
  });
});

describe('the pinned message', () => {
  const history: StickyHistory = {
    pins: [
      pin({}),
      pin({ messageId: '9', text: hostile, senderName: '<i>Old</i>', pinnedByName: 'Cleo', pinnedAt: at(1, 8), firstSeenAt: at(1, 9), endedNoticedAt: at(2, 15), endedBy: 'replaced' }),
      pin({ messageId: '8', text: 'first pin', pinnedByName: null, pinnedById: '77', pinnedAt: null, firstSeenAt: at(1, 7), endedNoticedAt: at(1, 8), endedBy: 'unpinned' }),
    ],
    checkedAt: at(5),
  };

  it("renders a pin's markup with the names it mentions", async () => {
    const api = setup({ pins: [pin({ text: 'Read {@60000009} on *close*' })], checkedAt: at(5) }).handle('archive:names', () => ({
      users: { '60000009': { name: 'Priya Nair', email: 'priya@acme.test' } },
      emails: {},
      channels: {},
      teams: {},
    }));
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const banner = await screen.findByRole('region', { name: 'Pinned message' });
    await waitFor(() => expect(banner.querySelector('.message-text')?.textContent).toBe('Read @Priya Nair on close'));
    expect(banner.querySelector('.message-text strong')?.textContent).toBe('close');
    expect(api.requestsOf('archive:names')).toEqual([{ texts: ['Read {@60000009} on *close*'] }]);
  });

  it('says a pin ended because its conversation was removed from Cliq, not that it was unpinned', async () => {
    const api = setup({ pins: [pin({ endedNoticedAt: at(3, 10), endedBy: null })], checkedAt: at(5) });
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const banner = await screen.findByRole('region', { name: 'Pinned message' });
    await userEvent.click(within(banner).getByRole('button', { name: 'Pin history (1)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Pin history' });
    expect(dialog.querySelector('.version-meta')?.textContent).toBe('First seen 2026-03-02, 15:00 · ended: the conversation was removed from Cliq, noticed 2026-03-03, 10:00');
  });

  it('shows the current pin above the messages, and the pin history in a dialog (keyboard, Escape closes)', async () => {
    const api = setup(history);
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const banner = await screen.findByRole('region', { name: 'Pinned message' });
    expect(banner.textContent).toContain('Quarter close: no transfers after Friday');
    expect(banner.textContent).toContain('From Ana · pinned by Ben on 2026-03-02, 14:00');
    expect(api.requestsOf('archive:sticky')).toEqual([{ chatId: 'CT_1' }]);
    const open = within(banner).getByRole('button', { name: 'Pin history (3)' });
    open.focus();
    await userEvent.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Pin history' });
    const items = within(within(dialog).getByRole('list', { name: 'Pins, newest first' })).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.version-meta')?.textContent)).toEqual([
      'First seen 2026-03-02, 15:00 · pinned now',
      'First seen 2026-03-01, 09:00 · replaced by another pin, noticed 2026-03-02, 15:00',
      'First seen 2026-03-01, 07:00 · unpinned, noticed 2026-03-01, 08:00',
    ]);
    // Cliq's text as text; an unknown pinner by id.
    expect(within(dialog).getByText(hostile)).toBeTruthy();
    expect(within(dialog).getByText('<i>Old</i>')).toBeTruthy();
    expect(dialog.querySelector('img, i')).toBeNull();
    expect(items[2]?.textContent).toContain('pinned by 77');
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says nothing is pinned when the last pin ended, and shows nothing for a conversation never pinned', async () => {
    const unpinned: StickyHistory = { pins: history.pins.slice(1), checkedAt: at(5, 12) };
    const api = setup(unpinned);
    const { unmount } = renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const banner = await screen.findByRole('region', { name: 'Pinned message' });
    expect(banner.textContent).toContain('Nothing pinned when last checked 2026-03-05, 12:00.');
    expect(within(banner).getByRole('button', { name: 'Pin history (2)' })).toBeTruthy();
    unmount();

    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api: setup({ pins: [], checkedAt: at(5) }) });
    await screen.findByRole('feed');
    expect(screen.queryByRole('region', { name: 'Pinned message' })).toBeNull();
  });

  it('shows an error with a retry when the pins cannot be read', async () => {
    let fail = true;
    const api = setup(history).handle('archive:sticky', () => {
      if (fail) throw new Error('locked');
      return history;
    });
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not read the pinned message');
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('region', { name: 'Pinned message' })).toBeTruthy();
  });
});
