import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TranscriptPage } from '../../shared/archive';
import { TranscriptView } from '../../renderer/src/features/browse/TranscriptView';
import { fakeApi, renderWithVault, transcriptMessage, withoutExtras } from './fixtures';

const message = transcriptMessage;

const page: TranscriptPage = {
  chat: { chatId: 'CT_1', title: 'Finance', kind: 'channel', goneAt: null },
  messages: [
    message(1),
    message(2, { deletedAt: Date.UTC(2026, 2, 2, 8, 0), text: 'oops, wrong channel' }),
    message(3, { version: 3, text: 'final figures: 42' }),
    message(4, { type: 'file', text: null, fileName: 'q1.xlsx', fileMime: 'application/vnd.ms-excel', fileSize: 2048 }),
    message(5, { type: 'call', subtype: 'missed', text: null, extraText: 'Audio call, 0 min' }),
  ],
  hasOlder: false,
  hasNewer: false,
};

function setup() {
  return withoutExtras(fakeApi())
    .handle('archive:transcript', () => page)
    .handle('archive:context', ({ key }) => ({ ...page, focus: key }))
    .handle('archive:members', () => [
      {
        memberKey: 'm1',
        userId: '60000001',
        name: 'Dana',
        email: 'dana@acme.test',
        joinedAt: Date.UTC(2026, 0, 5),
        joinedSource: 'noticed',
        firstSeenAt: Date.UTC(2026, 0, 5),
        lastSeenAt: Date.UTC(2026, 2, 1),
        leftAt: Date.UTC(2026, 2, 1),
        leftSource: 'noticed',
        goneAt: Date.UTC(2026, 2, 1),
        role: null,
        roles: [],
      },
    ])
    .handle('archive:versions', () => [
      { version: 1, text: 'final figures: 40', seenAt: Date.UTC(2026, 2, 1), supersededAt: Date.UTC(2026, 2, 2) },
      { version: 2, text: 'final figures: 41', seenAt: Date.UTC(2026, 2, 2), supersededAt: Date.UTC(2026, 2, 3) },
    ]);
}

describe('Transcript', () => {
  it('marks deleted and edited messages and spells out files and call notices', async () => {
    const api = setup();
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const feed = await screen.findByRole('feed', { name: 'Transcript of Finance' });
    const deleted = within(feed).getByText('oops, wrong channel').closest('article');
    expect(deleted?.textContent).toContain('deleted — noticed 2026-03-02');
    expect(within(feed).getByText('q1.xlsx').closest('p')?.textContent).toContain('application/vnd.ms-excel · 2.0 KB');
    expect(within(feed).getByText('Audio call, 0 min')).toBeTruthy();
    expect(within(feed).getByText('call · missed')).toBeTruthy();
    expect(api.requestsOf('archive:transcript')[0]).toMatchObject({ chatId: 'CT_1' });
    expect(screen.getByText(/joined by 2026-01-05 \(noticed at a sync\) · left by 2026-03-01/)).toBeTruthy();
  });

  it('separates days in the settings time zone, names the zone, and links a thread both ways', async () => {
    const threaded: TranscriptPage = {
      chat: { chatId: 'CT_1', title: 'Finance', kind: 'channel', goneAt: null },
      messages: [
        message(1, { time: Date.UTC(2026, 2, 1, 9, 0) }),
        message(2, { time: Date.UTC(2026, 2, 1, 22, 30), thread: { chatId: 'CT_1-T-9', title: 'Q1 close' } }),
        message(3, { time: Date.UTC(2026, 2, 3, 8, 0) }),
      ],
      hasOlder: false,
      hasNewer: false,
    };
    const api = setup().handle('archive:transcript', () => threaded);
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    const feed = await screen.findByRole('feed', { name: 'Transcript of Finance' });
    // The fixture's zone is UTC: three messages on two days.
    expect(
      within(feed)
        .getAllByRole('separator')
        .map((s) => s.textContent),
    ).toEqual(['Sunday, 2026-03-01', 'Tuesday, 2026-03-03']);
    expect(screen.getByText('Times in UTC')).toBeTruthy();
    const link = within(feed).getByRole('link', { name: 'Thread: Q1 close →' });
    expect(link.getAttribute('href')).toBe('#/browse/CT_1-T-9');

    const thread: TranscriptPage = {
      chat: { chatId: 'CT_1-T-9', title: 'Q1 close', kind: 'thread', goneAt: null, thread: { parentChatId: 'CT_1', parentTitle: 'Finance', messageKey: 2 } },
      messages: [message(7)],
      hasOlder: false,
      hasNewer: false,
    };
    const again = setup().handle('archive:transcript', () => thread);
    renderWithVault(<TranscriptView chatId="CT_1-T-9" focus={null} />, { api: again });
    const parent = await screen.findByRole('link', { name: 'Finance' });
    expect(parent.getAttribute('href')).toBe('#/browse/CT_1?focus=2');
    expect(parent.closest('p')?.textContent).toBe('A thread of Finance — open the message that started it');
  });

  it('shows the earlier versions of an edited message in a dialog that Escape closes', async () => {
    const api = setup();
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Edited: view 2 earlier versions' }));
    const dialog = await screen.findByRole('dialog', { name: 'Earlier versions' });
    expect(await within(dialog).findByText('final figures: 40')).toBeTruthy();
    expect(within(dialog).getByText('final figures: 41')).toBeTruthy();
    expect(within(dialog).getByText('final figures: 42')).toBeTruthy();
    expect(api.requestsOf('archive:versions')).toEqual([{ key: 3 }]);
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it("renders an earlier version's markup, naming people only it mentions", async () => {
    const api = setup()
      .handle('archive:versions', () => [{ version: 1, text: 'ask {@60000002} about *q1*', seenAt: Date.UTC(2026, 2, 1), supersededAt: Date.UTC(2026, 2, 2) }])
      .handle('archive:names', () => ({ users: { '60000002': { name: 'Kofi Mensah', email: 'kofi@acme.test' } }, emails: {}, channels: {}, teams: {} }));
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Edited: view 2 earlier versions' }));
    const dialog = await screen.findByRole('dialog', { name: 'Earlier versions' });
    const first = (await within(dialog).findByText('@Kofi Mensah')).closest('.message-text');
    expect(first?.textContent).toBe('ask @Kofi Mensah about q1');
    expect(first?.getAttribute('dir')).toBe('auto');
    expect(first?.querySelector('strong')?.textContent).toBe('q1');
    expect(api.requestsOf('archive:names')).toEqual([{ texts: ['ask {@60000002} about *q1*', 'final figures: 42'] }]);
  });

  it('shows the conversation as it stood at the end of a day: its title, members and each message then', async () => {
    const api = setup().handle('archive:asOf', () => ({
      asOf: Date.UTC(2026, 2, 1, 23, 59, 59, 999),
      title: 'Finance (old name)',
      members: [{ name: 'Dana', email: 'dana@acme.test', userId: '60000001' }],
      messages: [
        { ...message(3, { version: 1, text: 'final figures: 40' }), asOfNote: null },
        { ...message(6, { text: 'first archived later' }), asOfNote: 'seen_later' as const },
      ],
      hasOlder: false,
      firstSeenAt: Date.UTC(2026, 0, 5),
    }));
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    await screen.findByRole('feed', { name: 'Transcript of Finance' });
    await userEvent.click(screen.getByRole('button', { name: 'As of…' }));
    const show = screen.getByRole('button', { name: 'Show' });
    expect((show as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(screen.getByLabelText('As of the day'), '2026-03-01');
    await userEvent.click(show);
    const then = await screen.findByRole('feed', { name: 'Messages as of then' });
    expect(api.requestsOf('archive:asOf')).toEqual([{ chatId: 'CT_1', asOf: '2026-03-01', timeZone: 'UTC' }]);
    expect(screen.getByRole('heading', { name: /As of .*Finance \(old name\)/ })).toBeTruthy();
    expect(screen.getByText('Members then (1): Dana')).toBeTruthy();
    expect(within(then).getByText('final figures: 40')).toBeTruthy();
    expect(within(then).getByText(/first saw this text later/)).toBeTruthy();
    // The live transcript is hidden meanwhile, and comes back.
    await userEvent.click(screen.getByRole('button', { name: 'Messages' }));
    expect(screen.queryByRole('feed', { name: 'Messages as of then' })).toBeNull();
  });

  it('opens around a focused message with archive:context and highlights it', async () => {
    const api = setup();
    renderWithVault(<TranscriptView chatId="CT_1" focus={4} />, { api });
    const feed = await screen.findByRole('feed');
    const focused = feed.querySelector('[aria-current="true"]');
    expect(focused?.textContent).toContain('q1.xlsx');
    expect(api.requestsOf('archive:context')).toEqual([{ key: 4, around: 100 }]);
    expect(api.requestsOf('archive:transcript')).toHaveLength(0);
  });
});
