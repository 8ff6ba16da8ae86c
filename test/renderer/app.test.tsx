import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { SessionMissingError } from '../../renderer/src/api/ApiError';
import { ApiProvider } from '../../renderer/src/api/ApiContext';
import { App } from '../../renderer/src/App';
import { fakeApi, infoFixture, settingsFixture } from './fixtures';

describe('App', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '#');
  });

  it('is loading until app:info answers, then ready on the screen for a connected org', async () => {
    const api = fakeApi()
      .handle('sync:plan', () => ({ knownConversations: 0, firstSync: true, estimatedCalls: 10, estimatedMs: 1000, filesDue: null, budget: [], lastRun: null }))
      .handle('sync:runs', () => [])
      .handle('sync:status', () => null);
    const { container } = render(
      <ApiProvider api={api}>
        <App />
      </ApiProvider>,
    );
    expect(container.querySelector('[data-app-state]')?.getAttribute('data-app-state')).toBe('loading');
    await waitFor(() => expect(container.querySelector('[data-app-state]')?.getAttribute('data-app-state')).toBe('ready'));
    await waitFor(() => expect(window.location.hash).toBe('#/sync'));
    expect(await screen.findByRole('heading', { name: 'Sync', level: 1 })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Connect/ })).toBeNull();

    // Alt+3 is Browse (sidebar order: Connect, Sync, Browse…).
    api.handle('archive:conversations', () => []);
    await userEvent.keyboard('{Alt>}3{/Alt}');
    await waitFor(() => expect(window.location.hash).toBe('#/browse'));
    // Ten screens: Alt+0, after 9 on the number row, is the tenth (Settings).
    await userEvent.keyboard('{Alt>}0{/Alt}');
    await waitFor(() => expect(window.location.hash).toBe('#/settings'));
  });

  it('sends an org-less app to Connect', async () => {
    const empty = settingsFixture({ profiles: [], activeProfile: null });
    const api = fakeApi(empty).handle('app:info', () => infoFixture({ shell: 'browser', activeProfile: null, archivePath: null, archiveExists: false, hasCredentials: false }));
    render(
      <ApiProvider api={api}>
        <App />
      </ApiProvider>,
    );
    await waitFor(() => expect(window.location.hash).toBe('#/connect'));
    expect(await screen.findByRole('button', { name: 'Try the demo org' })).toBeTruthy();
  });

  it('shows one full-page message when the page was opened without the serve token', async () => {
    const api = fakeApi().handle('app:info', () => {
      throw new SessionMissingError();
    });
    const { container } = render(
      <ApiProvider api={api}>
        <App />
      </ApiProvider>,
    );
    expect(await screen.findByText('Open the link `cliq-vault serve` printed (it carries the access token).')).toBeTruthy();
    expect(container.querySelector('[data-app-state]')?.getAttribute('data-app-state')).toBe('error');
  });
});
