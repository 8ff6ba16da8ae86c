import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OptionalSourceView } from '../../shared/evidence';
import { SourcesPanel } from '../../renderer/src/features/sync/SourcesPanel';
import { ApiError } from '../../renderer/src/api/ApiError';
import { fakeApi, renderWithVault, settingsFixture } from './fixtures';

const at = Date.UTC(2026, 2, 31, 22, 30);
const sources: OptionalSourceView[] = [
  { dataset: 'departments', label: 'Departments and their members', scope: 'ZohoCliq.Departments.READ', status: 'complete', at, rows: 1234 },
  { dataset: 'calls', label: 'Calls and meetings of the connected account', scope: 'ZohoCliq.MediaSession.READ', status: 'not_granted', at, rows: 12 },
  { dataset: 'reactions', label: 'Reactions', scope: 'ZohoCliq.messageactions.READ', status: 'failed', at, rows: 0 },
  { dataset: 'scheduled_messages', label: 'Scheduled messages of the connected account', scope: 'ZohoCliq.Messages.READ', status: null, at: null, rows: 0 },
];

describe('Sync: evidence sources', () => {
  it('lists every source with its last outcome in words, the scope to grant, and the rows archived, in the user’s zone', async () => {
    const api = fakeApi().handle('archive:sources', () => sources);
    renderWithVault(<SourcesPanel generation={0} />, { api, settings: settingsFixture({ timeZone: 'Asia/Tokyo' }) });
    const table = await screen.findByRole('table', { name: 'Evidence sources' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(sources.map((s) => s.label));
    const cells = (i: number) =>
      within(rows[i] as HTMLElement)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    // 22:30 UTC is 07:30 the next day in Tokyo.
    expect(cells(0)).toEqual(['archived', 'Archived 2026-04-01, 07:30.', '1,234']);
    expect(cells(1)[0]).toBe('not granted');
    expect(cells(1)[1]).toContain('Grant ZohoCliq.MediaSession.READ to add calls and meetings of the connected account');
    expect(cells(1)[2]).toBe('12');
    expect(cells(2)[0]).toBe('failed');
    expect(cells(2)[1]).toMatch(/could not read it; the next sync tries again/);
    expect(cells(3)).toEqual(['not tried yet', 'No sync has read it yet: the next sync will.', '0']);
    // No error codes in the words.
    expect(table.textContent).not.toMatch(/SOURCE_NOT_GRANTED|FORBIDDEN/);
  });

  it('says when the sources cannot be read, and retries from the keyboard', async () => {
    let fail = true;
    const api = fakeApi().handle('archive:sources', () => {
      if (fail) throw new ApiError({ code: 'ARCHIVE_NOT_FOUND', message: 'There is no archive yet.' });
      return sources;
    });
    renderWithVault(<SourcesPanel generation={0} />, { api });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not read the evidence sources');
    fail = false;
    within(alert).getByRole('button', { name: 'Retry' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('table', { name: 'Evidence sources' })).toBeTruthy();
  });
});
