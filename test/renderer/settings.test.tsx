import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SettingsPatch } from '../../shared/settings';
import { SettingsScreen } from '../../renderer/src/features/settings/SettingsScreen';
import { fakeApi, renderWithVault, settingsFixture } from './fixtures';

function setup() {
  let current = settingsFixture();
  const api = fakeApi().handle('settings:update', (patch: SettingsPatch) => {
    current = { ...current, ...(patch as Partial<typeof current>) };
    return current;
  });
  renderWithVault(<SettingsScreen />, { api, settings: current });
  return api;
}

describe('Settings', () => {
  it('saves the theme and applies it as data-theme on <html>', async () => {
    const api = setup();
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('system'));
    await userEvent.click(screen.getByLabelText('Dark'));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(api.requestsOf('settings:update')).toEqual([{ theme: 'dark' }]);
  });

  it('refuses a time zone that is not IANA and saves a valid one', async () => {
    const api = setup();
    const zone = screen.getByLabelText('Time zone');
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Mars/Olympus_Mons');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText(/is not an IANA time zone/)).textContent).toContain('Mars/Olympus_Mons');
    expect(zone.getAttribute('aria-invalid')).toBe('true');
    expect(api.requestsOf('settings:update')).toHaveLength(0);

    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Berlin');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.requestsOf('settings:update')).toHaveLength(1));
    expect(api.requestsOf('settings:update')[0]).toMatchObject({ timeZone: 'Europe/Berlin', quotas: [] });
  });

  it('refuses a quota override not written family=perMinute[/lock]', async () => {
    const api = setup();
    await userEvent.type(screen.getByLabelText('Quota overrides'), 'messages=30/5m\nfast please');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText(/Not family=perMinute/)).textContent).toContain('fast please');
    expect(api.requestsOf('settings:update')).toHaveLength(0);
  });

  it('saves the attachment policy, refusing a size that is not a number of MB', async () => {
    const api = setup();
    const box = screen.getByLabelText<HTMLInputElement>(/Download the files shared/);
    expect(box.checked).toBe(true);
    const maxMb = screen.getByLabelText('Largest file to download (MB)');
    await userEvent.type(maxMb, 'big');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText(/is not a size in MB/)).textContent).toContain('big');
    expect(api.requestsOf('settings:update')).toHaveLength(0);

    await userEvent.clear(maxMb);
    await userEvent.type(maxMb, '25.5');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.requestsOf('settings:update')).toHaveLength(1));
    expect(api.requestsOf('settings:update')[0]).toMatchObject({ files: { fetch: 'all', maxMb: 25.5 } });

    await userEvent.click(box);
    expect(maxMb.hasAttribute('disabled')).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.requestsOf('settings:update')).toHaveLength(2));
    expect(api.requestsOf('settings:update')[1]).toMatchObject({ files: { fetch: 'none' } });
  });

  it('saves the reaction checks per sync (0: none), refusing what is not a whole number', async () => {
    const api = setup();
    const checks = screen.getByLabelText<HTMLInputElement>('Reaction checks per sync');
    expect(checks.value).toBe('200');
    for (const bad of ['-5', '2.5', 'many', '']) {
      await userEvent.clear(checks);
      if (bad !== '') await userEvent.type(checks, bad);
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect((await screen.findByText(/is not a number of checks/)).textContent).toContain(`“${bad}”`);
      expect(checks.getAttribute('aria-invalid')).toBe('true');
    }
    expect(api.requestsOf('settings:update')).toHaveLength(0);

    await userEvent.clear(checks);
    await userEvent.type(checks, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.requestsOf('settings:update')).toHaveLength(1));
    expect(api.requestsOf('settings:update')[0]).toMatchObject({ reactionsPerRun: 0 });
  });

  it('asks before removing an org, saying the archive file stays', async () => {
    const api = setup().handle('profiles:remove', () => settingsFixture({ profiles: [], activeProfile: null }));
    await userEvent.click(screen.getByRole('button', { name: 'Remove Acme Corp' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove Acme Corp?' });
    expect(dialog.textContent).toContain('/home/admin/Cliq Vault/acme.sqlite');
    expect(api.requestsOf('profiles:remove')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(api.requestsOf('profiles:remove')).toEqual([{ id: 'acme' }]));
  });
});
