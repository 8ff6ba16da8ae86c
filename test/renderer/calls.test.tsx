import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CallNotificationRow, CallRow, CallsPage, OptionalSourceView, ScheduledMessageRow, ScheduledPage } from '../../shared/evidence';
import type { RequestOf } from '../../shared/contract';
import { CallsScreen } from '../../renderer/src/features/calls/CallsScreen';
import { ApiError } from '../../renderer/src/api/ApiError';
import { parseHash } from '../../renderer/src/hooks/useHashRoute';
import { conversationRow, fakeApi, renderWithVault, settingsFixture } from './fixtures';

const t = (h: number, m = 0) => Date.UTC(2026, 2, 31, h, m);

const callsSource: OptionalSourceView = { dataset: 'calls', label: 'Calls and meetings of the connected account', scope: 'ZohoCliq.MediaSession.READ', status: 'complete', at: t(23), rows: 1 };
const scheduledSource: OptionalSourceView = {
  dataset: 'scheduled_messages',
  label: 'Scheduled messages of the connected account',
  scope: 'ZohoCliq.Messages.READ',
  status: 'complete',
  at: t(23),
  rows: 3,
};

const call: CallRow = {
  callId: 'X_1',
  type: 'video_conference',
  title: '<b>Board</b> review',
  chatId: 'CT_9',
  chatTitle: 'Finance',
  hostId: 'U_1',
  hostName: 'Dana',
  start: t(9),
  end: t(10, 5),
  participantCount: 2,
  recording: false,
  goneAt: null,
  participants: [
    { userId: 'U_1', name: 'Dana', email: 'dana@acme.test', role: 'host', start: t(9), end: t(10, 5) },
    { userId: 'U_2', name: 'Eli', email: null, role: 'attendee', start: t(9, 10), end: t(9, 40) },
  ],
};

const notice: CallNotificationRow = {
  messageKey: 4321,
  chatId: 'CT_7',
  chatTitle: 'Ops',
  messageId: '1711870000000',
  time: t(14, 30),
  callerId: 'U_1',
  callerName: 'Dana',
  calleeId: 'U_3',
  calleeName: '<i>Fay</i>',
  callType: 'audio',
  status: 'missed',
  duration: '00:00:00',
};

function page(patch: Partial<CallsPage> = {}): CallsPage {
  return { meetings: [], notices: [], total: 0, offset: 0, source: callsSource, ...patch };
}

function scheduledRow(patch: Partial<ScheduledMessageRow>): ScheduledMessageRow {
  return {
    scheduledId: 'S_1',
    chatId: null,
    chatTitle: null,
    text: 'Quarter closes',
    scheduledFor: t(18),
    scheduleStatus: null,
    timeZone: 'Europe/Berlin',
    createdAt: t(8),
    fate: 'pending',
    fateNoticedAt: null,
    earlierTimes: [],
    sentMessageKey: null,
    ...patch,
  };
}

function setup(calls: (request: RequestOf<'archive:calls'>) => CallsPage, scheduled: () => ScheduledPage = () => ({ rows: [], total: 0, offset: 0, source: scheduledSource }), timeZone = 'UTC') {
  const api = fakeApi()
    .handle('archive:conversations', () => [conversationRow({ chatId: 'CT_9', title: 'Finance' })])
    .handle('archive:calls', calls)
    .handle('archive:scheduled', scheduled);
  renderWithVault(<CallsScreen />, { api, settings: settingsFixture({ timeZone }) });
  return api;
}

describe('Calls & scheduled', () => {
  it('is the `calls` route', () => {
    expect(parseHash('#/calls')?.screen).toBe('calls');
  });

  it('lists calls with a link to their conversation, times in the user’s zone, Cliq’s text as text, participants behind a keyboard-reachable button', async () => {
    setup((request) => (request.list === 'meetings' ? page({ meetings: [call], total: 1 }) : page()), undefined, 'Asia/Kolkata');
    const table = await screen.findByRole('table', { name: 'Calls and meetings' });
    const cells = within(table).getAllByRole('cell');
    expect(cells.map((c) => c.textContent).slice(0, 7)).toEqual(['video conference', '<b>Board</b> review', 'Finance', 'Dana', '2026-03-31, 14:30', '2026-03-31, 15:35', '1 h 5 min']);
    expect(table.querySelector('b')).toBeNull();
    expect(cells[1]?.getAttribute('dir')).toBe('auto');
    expect(within(table).getByRole('link', { name: 'Finance' }).getAttribute('href')).toBe('#/browse/CT_9');

    const toggle = within(table).getByRole('button', { name: 'Show 2 participants' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const list = screen.getByRole('list', { name: 'Participants of <b>Board</b> review' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Dana — host, 2026-03-31, 14:30 to 2026-03-31, 15:35', 'Eli — attendee, 2026-03-31, 14:40 to 2026-03-31, 15:10']);
    await userEvent.keyboard('{Enter}');
    expect(screen.queryByRole('list', { name: /Participants of/ })).toBeNull();
  });

  it('filters by conversation and dates, starting again from the first page, and pages with Next', async () => {
    const api = setup((request) => page({ meetings: Array.from({ length: 50 }, (_, i) => ({ ...call, callId: `X_${i + (request.offset ?? 0)}` })), total: 120, offset: request.offset ?? 0 }));
    await screen.findByRole('table', { name: 'Calls and meetings' });
    expect(screen.getByText('1–50 of 120')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('51–100 of 120');
    await screen.findByRole('option', { name: /^Finance/ });
    await userEvent.selectOptions(screen.getByLabelText('Conversation'), 'CT_9');
    await userEvent.type(screen.getByLabelText('From'), '2026-03-01');
    await waitFor(() => expect(api.requestsOf('archive:calls').at(-1)).toEqual({ list: 'meetings', chatId: 'CT_9', from: '2026-03-01', to: undefined, offset: 0, limit: 50 }));
    expect(api.requestsOf('archive:calls')).toContainEqual(expect.objectContaining({ offset: 50, chatId: undefined }));
  });

  it('says why there are no calls: the scope to grant, no sync yet, a failed sync, none at all, or filters', async () => {
    const cases: [OptionalSourceView, RegExp][] = [
      [{ ...callsSource, status: 'not_granted', rows: 0 }, /Grant ZohoCliq\.MediaSession\.READ to add calls and meetings of the connected account/],
      [{ ...callsSource, status: null, at: null, rows: 0 }, /No sync has read the calls and meetings yet/],
      [{ ...callsSource, status: 'failed', rows: 0 }, /could not read the calls and meetings.*next sync tries again/],
      [{ ...callsSource, rows: 0 }, /No calls and meetings.*Cliq lists none/],
    ];
    for (const [source, words] of cases) {
      const { unmount } = renderWithVault(<CallsScreen />, {
        api: fakeApi()
          .handle('archive:conversations', () => [])
          .handle('archive:calls', () => page({ source })),
      });
      await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(words));
      expect(screen.getByRole('status').textContent).not.toMatch(/SOURCE_NOT_GRANTED|FORBIDDEN/);
      unmount();
    }
    renderWithVault(<CallsScreen />, {
      api: fakeApi()
        .handle('archive:conversations', () => [])
        .handle('archive:calls', () => page({ source: { ...callsSource, rows: 3 } })),
    });
    await userEvent.type(screen.getByLabelText('To'), '2020-01-31');
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/No calls match these filters/));
  });

  it('shows the notices tab (reached with the arrow keys), each notice linked to its message in context', async () => {
    const api = setup((request) => (request.list === 'notices' ? page({ notices: [notice], total: 1 }) : page()), undefined, 'Europe/Berlin');
    await screen.findByText(/No calls and meetings/);
    const tabs = screen.getByRole('tablist', { name: 'Calls and scheduled messages' });
    within(tabs).getByRole('tab', { name: 'Calls and meetings' }).focus();
    await userEvent.keyboard('{ArrowRight}');
    const tab = screen.getByRole('tab', { name: 'Call notices in conversations' });
    expect(tab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab);
    const table = await screen.findByRole('table', { name: 'Call notices' });
    expect(screen.getByRole('tabpanel', { name: 'Call notices in conversations' })).toBeTruthy();
    const cells = within(table)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells).toEqual(['2026-03-31, 16:30', 'Dana', '<i>Fay</i>', 'audio', 'missed', '00:00:00', 'Ops']);
    expect(table.querySelector('i')).toBeNull();
    expect(within(table).getByRole('link', { name: '2026-03-31, 16:30' }).getAttribute('href')).toBe('#/browse/CT_7?focus=4321');
    expect(within(table).getByRole('link', { name: 'Ops' }).getAttribute('href')).toBe('#/browse/CT_7');
    expect(api.requestsOf('archive:calls').at(-1)).toMatchObject({ list: 'notices', offset: 0 });
  });

  it('says when there are no notices, and when the calls cannot be read', async () => {
    setup((request) => {
      if (request.list === 'meetings') throw new ApiError({ code: 'ARCHIVE_NOT_FOUND', message: 'There is no archive yet.' });
      return page();
    });
    expect((await screen.findByRole('alert')).textContent).toContain('Could not read the calls');
    await userEvent.click(screen.getByRole('tab', { name: 'Call notices in conversations' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/No call notices in the archived conversations/));
  });

  it('lists scheduled messages with their fate: pending, rescheduled with earlier times, sent with a link, deleted', async () => {
    const rows = [
      scheduledRow({ scheduledId: 'S_1', text: '<script>x</script>' }),
      scheduledRow({ scheduledId: 'S_2', fate: 'rescheduled', earlierTimes: [t(12), t(15)] }),
      scheduledRow({ scheduledId: 'S_3', fate: 'sent', chatId: 'CT_9', chatTitle: 'Finance', fateNoticedAt: t(19), sentMessageKey: 77 }),
      scheduledRow({ scheduledId: 'S_4', fate: 'deleted', scheduledFor: null, scheduleStatus: 'check_in', fateNoticedAt: t(19) }),
    ];
    setup(
      () => page(),
      () => ({ rows, total: 4, offset: 0, source: scheduledSource }),
    );
    await userEvent.click(await screen.findByRole('tab', { name: 'Scheduled messages' }));
    const table = await screen.findByRole('table', { name: 'Scheduled messages' });
    const body = within(table).getAllByRole('row').slice(1);
    const text = (i: number) =>
      within(body[i] as HTMLElement)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    expect(text(0)).toEqual(['<script>x</script>', 'not said', '2026-03-31, 18:00 (set in Europe/Berlin)', 'pending', '2026-03-31, 08:00']);
    expect(table.querySelector('script')).toBeNull();
    expect(
      within(body[0] as HTMLElement)
        .getAllByRole('cell')[0]
        ?.getAttribute('dir'),
    ).toBe('auto');
    expect(text(1)[3]).toBe('rescheduled (pending)Earlier times: 2026-03-31, 12:00, 2026-03-31, 15:00');
    expect(text(2)[3]).toContain('sent — noticed 2026-03-31, 19:00');
    expect(
      within(body[2] as HTMLElement)
        .getByRole('link', { name: 'Open the sent message' })
        .getAttribute('href'),
    ).toBe('#/browse/CT_9?focus=77');
    expect(text(3)[2]).toContain('when the status is check_in');
    expect(text(3)[3]).toContain('deleted');
    expect(text(3)[3]).toContain('Taken back before its time.');
  });

  it('says why there are no scheduled messages when the scope was not granted', async () => {
    setup(
      () => page(),
      () => ({ rows: [], total: 0, offset: 0, source: { ...scheduledSource, status: 'not_granted', rows: 0 } }),
    );
    await userEvent.click(await screen.findByRole('tab', { name: 'Scheduled messages' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/Grant ZohoCliq\.Messages\.READ to add scheduled messages of the connected account/));
  });
});
