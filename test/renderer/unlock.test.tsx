import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveEncryption } from '../../shared/views';
import { ApiError } from '../../renderer/src/api/ApiError';
import { ApiProvider } from '../../renderer/src/api/ApiContext';
import { App } from '../../renderer/src/App';
import { fakeApi, infoFixture } from './fixtures';

const locked: ArchiveEncryption = { state: 'locked', store: 'memory', keysHeld: 0, passphrase: false, keyringLocked: false, keyringUnreadable: false };
const opened: ArchiveEncryption = { ...locked, state: 'encrypted', keysHeld: 1 };

/** The app on `hash`, its archive as `encryption` says until the test changes it. */
function renderApp(hash: string, encryption: ArchiveEncryption) {
  window.history.replaceState(null, '', hash);
  let current = encryption;
  const api = fakeApi()
    .handle('app:info', () => infoFixture({ archiveEncryption: current }))
    .handle('archive:conversations', () => []);
  render(
    <ApiProvider api={api}>
      <App />
    </ApiProvider>,
  );
  return { api, unlock: (next: ArchiveEncryption) => (current = next) };
}

const wrongPassphrase = new ApiError({
  code: 'ARCHIVE_KEY_WRONG',
  message: 'This passphrase does not open the archive.',
  hint: 'Check the passphrase (it is case-sensitive). Nothing was changed.',
});

describe('the unlock gate', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '#');
  });

  it('stands in front of the screens that read a locked archive, not Settings or Connect', async () => {
    const { api } = renderApp('#/browse', locked);
    expect(await screen.findByRole('heading', { name: 'Unlock the archive', level: 1 })).toBeTruthy();
    expect(screen.getByText(/Type the archive’s passphrase/)).toBeTruthy();
    const field = screen.getByLabelText<HTMLInputElement>('Passphrase');
    expect(field.type).toBe('password');
    expect(field.getAttribute('autocomplete')).toBe('off');
    for (const hash of ['#/search', '#/review', '#/sync', '#/audit']) {
      window.location.hash = hash;
      await waitFor(() => expect(window.location.hash).toBe(hash));
      expect(await screen.findByRole('heading', { name: 'Unlock the archive' })).toBeTruthy();
    }
    // Nothing but the app's own state was read: each read of the archive would only fail.
    expect(new Set(api.calls.map((call) => call.name))).toEqual(new Set(['app:info', 'settings:get']));

    window.location.hash = '#/settings';
    expect(await screen.findByRole('heading', { name: 'Settings', level: 1 })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Unlock the archive' })).toBeNull();
    window.location.hash = '#/connect';
    expect(await screen.findByRole('button', { name: 'Try the demo org' })).toBeTruthy();
  });

  it('unlocks with the right passphrase, empties the field and reads app:info again to show the screen', async () => {
    const { api, unlock } = renderApp('#/browse', locked);
    api.handle('cipher:unlock', () => {
      unlock(opened);
      return opened;
    });
    const field = await screen.findByLabelText<HTMLInputElement>('Passphrase');
    await userEvent.type(field, 'correct horse battery');
    const infoReads = api.requestsOf('app:info').length;
    await userEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(api.requestsOf('archive:conversations').length).toBeGreaterThan(0));
    expect(api.requestsOf('cipher:unlock')).toEqual([{ passphrase: 'correct horse battery' }]);
    expect(api.requestsOf('app:info').length).toBeGreaterThan(infoReads);
    expect(screen.queryByRole('heading', { name: 'Unlock the archive' })).toBeNull();
    expect(field.value).toBe('');
  });

  it('says a wrong passphrase in words, the code only under Details, and keeps the gate', async () => {
    const { api } = renderApp('#/search', locked);
    api.handle('cipher:unlock', () => {
      throw wrongPassphrase;
    });
    const field = await screen.findByLabelText<HTMLInputElement>('Passphrase');
    await userEvent.type(field, 'not the one');
    await userEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This passphrase does not open the archive.');
    expect(alert.textContent).toContain('Check the passphrase (it is case-sensitive).');
    within(alert).getByText('Details').closest('details')?.remove();
    expect(alert.textContent).not.toContain('ARCHIVE_KEY_WRONG');
    expect(field.value).toBe('');
    expect(screen.getByRole('heading', { name: 'Unlock the archive' })).toBeTruthy();
    expect(api.requestsOf('archive:search')).toHaveLength(0);
  });

  it('asks for nothing to be sent when the field is empty', async () => {
    const { api } = renderApp('#/browse', locked);
    await userEvent.click(await screen.findByRole('button', { name: 'Unlock' }));
    expect(await screen.findByText('Type the passphrase.')).toBeTruthy();
    expect(api.requestsOf('cipher:unlock')).toHaveLength(0);
  });

  it('on the desktop names the kept keys’ passphrase, and an unreadable OS keyring', async () => {
    renderApp('#/browse', { ...locked, store: 'os', passphrase: true, keyringLocked: true });
    expect(await screen.findByText(/the passphrase that protects the keys Cliq Vault keeps on this computer, or the archive’s own passphrase/)).toBeTruthy();
    expect(screen.queryByText(/keyring could not be read/)).toBeNull();
  });

  it('says the OS keyring could not be read, and that the archive’s own passphrase still works', async () => {
    renderApp('#/browse', { ...locked, store: 'os', keyringUnreadable: true });
    const note = await screen.findByText(/keyring could not be read/);
    expect(note.textContent).toContain('unlock the keyring and restart Cliq Vault');
    expect(note.textContent).toContain('the archive’s own passphrase still works');
  });
});
