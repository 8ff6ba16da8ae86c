import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SettingsPatch } from '../../shared/settings';
import { ScheduleScreen } from '../../renderer/src/features/schedule/ScheduleScreen';
import { VaultError } from '../../shared/errors';
import { fakeApi, infoFixture, renderWithVault, settingsFixture } from './fixtures';

function setup(runsInApp = false, options: { backupFails?: boolean; nextRun?: number | null } = {}) {
  let current = settingsFixture();
  let backups = 0;
  const api = fakeApi()
    .handle('schedule:status', () => ({ enabled: current.schedule.enabled, nextRun: options.nextRun ?? null, lastRun: null, runsInApp }))
    .handle('backup:create', () => {
      backups += 1;
      throw new VaultError('USAGE', `No backup folder is set (attempt ${backups}).`);
    })
    .handle('backup:list', () => [
      {
        path: '/backups/acme-2026-03-30.sqlite',
        name: 'acme-2026-03-30.sqlite',
        createdAtMs: Date.UTC(2026, 2, 30, 2, 31),
        sizeBytes: 1_048_576,
        sha256: 'e'.repeat(64),
        kind: 'snapshot',
        messages: 5400,
        problem: null,
      },
    ])
    .handle('backup:restore', ({ snapshotPath }) => ({ restoredFrom: snapshotPath, safetyCopy: '/backups/acme-before-restore.sqlite' }))
    .handle('archive:verify', () => ({ ok: true, head: 'f'.repeat(64), seals: 12, openSeals: [], rowsChecked: 6000, problems: [], firstBad: null, files: null }))
    .handle('settings:update', (patch: SettingsPatch) => {
      current = { ...current, ...(patch as Partial<typeof current>) };
      return current;
    });
  renderWithVault(<ScheduleScreen />, { api, settings: current, info: infoFixture({ shell: runsInApp ? 'electron' : 'browser' }) });
  return api;
}

describe('Schedule & backups', () => {
  it('refuses a schedule with no day, then saves time, days, folder and keep', async () => {
    const api = setup();
    const days = screen.getByRole('group', { name: 'Days' });
    for (const box of within(days).getAllByRole('checkbox')) await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect((await screen.findByText(/needs at least one day/)).textContent).toBe('Days needs at least one day');
    expect(api.requestsOf('settings:update')).toHaveLength(0);

    // Picked out of order, stored in week order.
    await userEvent.click(within(days).getByLabelText('Fri'));
    await userEvent.click(within(days).getByLabelText('Mon'));
    await userEvent.click(screen.getByLabelText('Run the schedule'));
    await userEvent.type(screen.getByLabelText('Backup folder'), '/backups');
    const keep = screen.getByLabelText('Snapshots to keep');
    await userEvent.clear(keep);
    await userEvent.type(keep, '14');
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    await waitFor(() => expect(api.requestsOf('settings:update')).toHaveLength(1));
    expect(api.requestsOf('settings:update')[0]).toEqual({ schedule: { enabled: true, time: '02:30', days: ['mon', 'fri'], backupDir: '/backups', keep: 14 } });
    expect(await screen.findByText('Saved.')).toBeTruthy();
  });

  it('in a browser: no next run, "not installed here", and the exact install command to copy', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    setup(false, { nextRun: Date.UTC(2026, 3, 1, 2, 30) });
    const next = (await screen.findByText('Next run')).nextElementSibling;
    expect(next?.textContent).toBe('Not installed here: a browser does not run schedules.');
    expect(screen.getByText(/operating system's scheduler runs the nightly job/)).toBeTruthy();
    // No backup folder saved yet: no command that would fail.
    expect(screen.getByText('Choose a backup folder and save the schedule to get the command.')).toBeTruthy();

    await userEvent.type(screen.getByLabelText('Backup folder'), '/srv/cliq backups');
    const days = screen.getByRole('group', { name: 'Days' });
    await userEvent.click(within(days).getByLabelText('Sun'));
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    const code = await screen.findByText((_, el) => el?.tagName === 'CODE' && el.textContent.startsWith('cliq-vault schedule'));
    // The saved settings, paths quoted for the shell, the org's data centre.
    expect(code.textContent).toBe(
      "cliq-vault schedule --archive '/home/admin/Cliq Vault/acme.sqlite' --backup-dir '/srv/cliq backups' --time 02:30 --days mon,tue,wed,thu,fri,sat --keep 7 --dc eu --install",
    );
    await userEvent.click(screen.getByRole('button', { name: 'Copy the install command' }));
    expect(writeText).toHaveBeenCalledWith(code.textContent);
  });

  it('in the desktop app: the next run, and no install command', async () => {
    setup(true, { nextRun: Date.UTC(2026, 3, 1, 2, 30) });
    const next = (await screen.findByText('Next run')).nextElementSibling;
    expect(next?.textContent).toMatch(/2026/);
    expect(screen.queryByText(/Not installed here/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Copy the install command' })).toBeNull();
  });

  it('a save clears an earlier red error: "Saved." never stands beside it', async () => {
    setup(false);
    await userEvent.click(screen.getByRole('button', { name: 'Back up now' }));
    expect((await screen.findByText(/No backup folder is set/)).textContent).toContain('attempt 1');
    await userEvent.type(screen.getByLabelText('Backup folder'), '/backups');
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/No backup folder is set/)).toBeNull());
    expect(screen.queryAllByRole('alert')).toEqual([]);
  });

  it('shows the time as 24-hour text, never a locale AM/PM field', async () => {
    const api = setup(false);
    const time = screen.getByLabelText('Time (24-hour)');
    expect(time.getAttribute('type')).toBe('text');
    expect(time.getAttribute('pattern')).toBe('[0-2][0-9]:[0-5][0-9]');
    expect((time as HTMLInputElement).value).toBe('02:30');
    await userEvent.clear(time);
    await userEvent.type(time, '2:30 PM');
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect((await screen.findByText(/24-hour time/)).textContent).toBe('Time must be HH:MM in 24-hour time, e.g. 02:30');
    await userEvent.clear(time);
    await userEvent.type(time, '14:05');
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    await waitFor(() => expect(api.requestsOf('settings:update')).toHaveLength(1));
    expect(api.requestsOf('settings:update')[0]).toMatchObject({ schedule: { time: '14:05' } });
  });

  it('restores a snapshot only after a confirmation that mentions the safety copy', async () => {
    const api = setup(true);
    await userEvent.click(await screen.findByRole('button', { name: 'Restore acme-2026-03-30.sqlite' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore this snapshot?' });
    expect(dialog.textContent).toContain('safety copy');
    expect(api.requestsOf('backup:restore')).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    expect((await screen.findByText(/Restored from/)).textContent).toContain('/backups/acme-before-restore.sqlite');
    expect(api.requestsOf('backup:restore')).toEqual([{ snapshotPath: '/backups/acme-2026-03-30.sqlite' }]);
  });

  it('verifies the archive and shows the head seal', async () => {
    setup(true);
    await userEvent.click(screen.getByRole('button', { name: 'Verify archive' }));
    expect((await screen.findByText(/Archive verified: OK/)).textContent).toContain('6,000 rows, 12 seals');
    expect(screen.getByText('f'.repeat(64))).toBeTruthy();
  });
});
