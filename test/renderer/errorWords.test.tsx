import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, toErrorShape } from '../../renderer/src/api/ApiError';
import { ErrorPanel } from '../../renderer/src/components/ErrorPanel';
import { SearchScreen } from '../../renderer/src/features/search/SearchScreen';
import { fakeApi, renderWithVault } from './fixtures';

/** An error as the core sends it for `stats --archive` in a shell: CLI words, and the screens' own. */
const missingArchive = {
  code: 'ARCHIVE_NOT_FOUND' as const,
  message: 'No archive at /home/admin/acme.sqlite.',
  hint: 'Check the --archive path, or run `cliq-vault sync` to create the archive first.',
  ui: { message: 'No archive at /home/admin/acme.sqlite.', hint: 'Check the archive path, or run a sync to create the archive first.' },
};

describe('error messages on screen', () => {
  beforeEach(() => {
    window.location.hash = '#/search';
  });

  it('shows the words and the hint for screens; the code only inside a closed Details', () => {
    render(<ErrorPanel title="Could not open the archive" error={new ApiError(missingArchive)} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('No archive at /home/admin/acme.sqlite.');
    expect(alert.textContent).toContain('Check the archive path, or run a sync to create the archive first.');
    expect(alert.textContent).not.toMatch(/--archive|cliq-vault sync/);
    const details = within(alert).getByText('Details').closest('details');
    expect(details?.open).toBe(false);
    expect(details?.textContent).toContain('ARCHIVE_NOT_FOUND');
    // Outside Details, no code: the message is words only.
    expect(within(alert).getByText('No archive at /home/admin/acme.sqlite.').textContent).toBe('No archive at /home/admin/acme.sqlite.');
    details?.remove();
    expect(alert.textContent).not.toContain('ARCHIVE_NOT_FOUND');
  });

  it('an error a job reports (a plain shape) reads the same, and one without screen words keeps its own', () => {
    expect(toErrorShape(missingArchive)).toEqual({ code: 'ARCHIVE_NOT_FOUND', message: missingArchive.ui.message, hint: missingArchive.ui.hint });
    expect(toErrorShape({ code: 'TIMEOUT', message: 'Cliq did not answer in time.' })).toEqual({ code: 'TIMEOUT', message: 'Cliq did not answer in time.' });
    render(<ErrorPanel error={{ code: 'TIMEOUT', message: 'Cliq did not answer in time.' }} />);
    expect(screen.getByText('Cliq did not answer in time.')).toBeTruthy();
  });

  it('the search screen says why a query of punctuation alone finds nothing, instead of "no messages"', async () => {
    const api = fakeApi()
      .handle('archive:people', () => [])
      .handle('archive:search', () => {
        throw new ApiError({
          code: 'BAD_QUERY',
          message: 'The query “***” has no words to search for: punctuation and symbols are ignored.',
          hint: 'Search for at least one word or number; filters alone need no text.',
        });
      });
    renderWithVault(<SearchScreen />, { api });
    fireEvent.change(screen.getByLabelText('Search messages'), { target: { value: '***' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('has no words to search for: punctuation and symbols are ignored.');
    expect(alert.textContent).toContain('Search for at least one word or number');
    expect(alert.textContent).not.toContain('BAD_QUERY');
    expect(screen.queryByText('No messages match')).toBeNull();
    expect(api.requestsOf('archive:search')[0]).toMatchObject({ text: '***' });
  });

  it('a start date after the end date is a refusal in words, not an empty result', async () => {
    const api = fakeApi()
      .handle('archive:people', () => [])
      .handle('archive:search', () => {
        throw new ApiError({
          code: 'USAGE',
          message: 'The start date (2026-02-01) is after the end date (2026-01-01).',
          hint: 'Put the earlier date first; for a single day, give the same date at both ends.',
        });
      });
    renderWithVault(<SearchScreen />, { api });
    fireEvent.change(screen.getByLabelText('Search messages'), { target: { value: 'budget' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The start date (2026-02-01) is after the end date (2026-01-01).');
    expect(within(alert).getByText('Details').closest('details')?.textContent).toContain('USAGE');
    expect(screen.queryByText('No messages match')).toBeNull();
  });
});
