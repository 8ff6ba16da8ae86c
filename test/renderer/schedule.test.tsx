import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SettingsPatch } from '../../shared/settings';
import { ScheduleScreen } from '../../renderer/src/features/schedule/ScheduleScreen';
import { fakeApi, renderWithVault, settingsFixture } from './fixtures';

function setup(runsInApp = false) {
  let current = settingsFixture();
  const api = fakeApi()
    .handle('schedule:status', () => ({ enabled: false, nextRun: null, lastRun: null, runsInApp }))
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
  renderWithVault(<ScheduleScreen />, { api, settings: current });
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

  it('explains that the OS scheduler runs the job when the app does not', async () => {
    setup(false);
    expect((await screen.findByText(/operating system's scheduler runs the nightly job/)).textContent).toContain('cliq-vault schedule --install');
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
