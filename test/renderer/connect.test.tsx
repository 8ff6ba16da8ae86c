import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectScreen } from '../../renderer/src/features/connect/ConnectScreen';
import { acmeProfile, fakeApi, infoFixture, renderWithVault, settingsFixture } from './fixtures';

const empty = settingsFixture({ profiles: [], activeProfile: null });

async function fillValidForm() {
  await userEvent.type(screen.getByLabelText('Org name'), 'Acme Corp');
  await userEvent.type(screen.getByLabelText('Client ID'), '1000.ABC');
  await userEvent.type(screen.getByLabelText('Client secret'), 's3cret');
  await userEvent.type(screen.getByLabelText('Self-client grant code'), '1000.grant');
}

describe('Connect', () => {
  beforeEach(() => {
    window.location.hash = '#/connect';
  });

  it('refuses an incomplete form, naming each missing field, without calling connect:save', async () => {
    const api = fakeApi(empty);
    renderWithVault(<ConnectScreen />, { api, settings: empty });
    await userEvent.click(screen.getByRole('button', { name: 'Connect and check admin access' }));
    const messages = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(messages).toEqual(expect.arrayContaining(['Org name is required', 'Client ID is required', 'Client secret is required', 'Grant code is required']));
    expect(screen.getByLabelText('Org name').getAttribute('aria-invalid')).toBe('true');
    expect(api.requestsOf('connect:save')).toHaveLength(0);
  });

  it('offers the six data centres and reveals the base URLs for a custom endpoint', async () => {
    renderWithVault(<ConnectScreen />, { api: fakeApi(empty), settings: empty });
    const picker = screen.getByLabelText('Data centre');
    const labels = Array.from(picker.querySelectorAll('option')).map((o) => o.textContent);
    expect(labels).toHaveLength(7);
    expect(labels.join('|')).toContain('Australia (cliq.zoho.com.au)');
    expect(screen.queryByLabelText('API base URL')).toBeNull();
    await userEvent.selectOptions(picker, 'custom');
    expect(screen.getByLabelText('API base URL')).toBeTruthy();
    expect(screen.getByLabelText('Accounts base URL')).toBeTruthy();
  });

  it('connects the demo org and goes to Sync', async () => {
    const api = fakeApi(empty).handle('connect:demo', () => ({ profile: { ...acmeProfile, id: 'demo', name: 'Demo org', demo: true }, admin: { ok: true, sampleConversations: 12 } }));
    renderWithVault(<ConnectScreen />, { api, settings: empty });
    await userEvent.click(screen.getByRole('button', { name: 'Try the demo org' }));
    await waitFor(() => expect(window.location.hash).toBe('#/sync'));
    expect(api.requestsOf('connect:demo')).toEqual([{}]);
    // The app state is re-read so the new profile shows everywhere.
    expect(api.requestsOf('app:info').length).toBeGreaterThan(0);
  });

  it('sends the grant code (or the refresh token, toggled) and shows a failed admin check with its hint', async () => {
    const api = fakeApi(empty).handle('connect:save', () => ({
      profile: acmeProfile,
      admin: { ok: false, error: { code: 'NOT_ORG_ADMIN', message: 'This account is not an org admin of Acme Corp.', hint: 'Generate the grant code signed in as an org admin.' } },
    }));
    renderWithVault(<ConnectScreen />, { api, settings: empty });
    await fillValidForm();
    await userEvent.click(screen.getByRole('button', { name: 'Connect and check admin access' }));

    const alert = await screen.findByText(/not an org admin of Acme Corp/);
    const panel = alert.closest('[role="alert"]');
    expect(panel?.textContent).toContain('NOT_ORG_ADMIN');
    expect(panel?.textContent).toContain('Generate the grant code signed in as an org admin.');
    expect(window.location.hash).toBe('#/connect');
    expect(api.requestsOf('connect:save')[0]).toEqual({
      profile: { name: 'Acme Corp', dataCentre: 'com', network: undefined, apiBase: undefined, accountsBase: undefined, clientId: '1000.ABC' },
      clientSecret: 's3cret',
      grantCode: '1000.grant',
    });

    await userEvent.click(screen.getByLabelText(/a refresh token I already have/));
    await userEvent.type(screen.getByLabelText('Refresh token'), '1000.refresh');
    await userEvent.click(screen.getByRole('button', { name: 'Connect and check admin access' }));
    await waitFor(() => expect(api.requestsOf('connect:save')).toHaveLength(2));
    const second = api.requestsOf('connect:save')[1];
    expect(second?.refreshToken).toBe('1000.refresh');
    expect(second?.grantCode).toBeUndefined();
  });

  it('shows an error thrown by connect:save with its hint', async () => {
    const api = fakeApi(empty).handle('connect:save', () => {
      throw Object.assign(new Error('The grant code has expired.'), {});
    });
    renderWithVault(<ConnectScreen />, { api, settings: empty });
    await fillValidForm();
    await userEvent.click(screen.getByRole('button', { name: 'Connect and check admin access' }));
    expect((await screen.findByText(/The grant code has expired/)).closest('[role="alert"]')).not.toBeNull();
  });

  it('says truthfully where a refresh token will be kept, for the shell it runs in', async () => {
    const empty = settingsFixture({ profiles: [], activeProfile: null });
    const cases = [
      ['memory', /memory of this serve process only/],
      ['os', /encrypted by the operating system/],
      ['unavailable', /no keyring/],
    ] as const;
    for (const [secretStorage, said] of cases) {
      const view = renderWithVault(<ConnectScreen />, { api: fakeApi(empty), settings: empty, info: infoFixture({ secretStorage }) });
      await userEvent.click(screen.getByLabelText(/a refresh token I already have/));
      expect(screen.getByText(said)).toBeTruthy();
      view.unmount();
    }
  });
});
