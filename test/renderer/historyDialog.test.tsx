import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TranscriptPage } from '../../shared/archive';
import { TranscriptView } from '../../renderer/src/features/browse/TranscriptView';
import { fakeApi, renderWithVault, transcriptMessage, withoutExtras } from './fixtures';

const page: TranscriptPage = { chat: { chatId: 'CT_1', title: 'Finance', kind: 'channel', goneAt: null }, messages: [transcriptMessage(1)], hasOlder: false, hasNewer: false };

describe('a conversation’s metadata history', () => {
  it('lists each change field by field, newest first, with hostile values shown as text', async () => {
    const api = withoutExtras(fakeApi())
      .handle('archive:transcript', () => page)
      .handle('archive:members', () => [])
      .handle('archive:history', () => ({
        firstSeenAt: Date.UTC(2026, 0, 2),
        goneAt: null,
        changes: [
          { kind: 'channel', seenAt: Date.UTC(2026, 1, 1), changedAt: Date.UTC(2026, 2, 1), runId: 7, changes: [{ field: 'rest.description', before: null, after: '<img src=x onerror=alert(1)>' }] },
          { kind: 'channel', seenAt: Date.UTC(2026, 0, 2), changedAt: Date.UTC(2026, 1, 1), runId: 4, changes: [{ field: 'export.name', before: '#legal', after: '#legal-hold' }] },
        ],
        events: [],
      }));
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api });
    await screen.findByRole('feed', { name: 'Transcript of Finance' });
    await userEvent.click(screen.getByRole('button', { name: 'History' }));
    const list = await screen.findByRole('list', { name: 'Changes, newest first' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]?.textContent).toContain('sync run 7');
    expect(within(items[1] as HTMLElement).getByRole('rowheader', { name: 'name' })).toBeTruthy();
    expect(items[1]?.textContent).toContain('#legal');
    expect(items[1]?.textContent).toContain('#legal-hold');
    // Cliq's text is data: the markup is shown, never made an element.
    expect(within(items[0] as HTMLElement).getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(list.querySelector('img')).toBeNull();
    expect(api.requestsOf('archive:history')).toEqual([{ subject: 'conversation', key: 'CT_1' }]);
  });
});
