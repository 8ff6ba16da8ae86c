import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronHost } from '../../electron/main/host';
import { fake, FakeBrowserWindow, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

describe('the desktop host', () => {
  beforeEach(() => resetFake());

  it('picks a folder with the OS chooser, as a sheet of the focused window, and can create one', async () => {
    const window = new FakeBrowserWindow({});
    window.focused = true;
    fake.dialog.nextOpen = { canceled: false, filePaths: ['/home/admin/Backups'] };
    const host = electronHost({ defaultArchiveDir: '/data' });
    expect(await host.pickFolder?.({ title: 'Folder for backup snapshots', defaultPath: '/home/admin' })).toBe('/home/admin/Backups');
    expect(fake.dialog.opened).toHaveLength(1);
    expect(fake.dialog.opened[0]?.parent).toBe(window);
    expect(fake.dialog.opened[0]?.options).toMatchObject({ title: 'Folder for backup snapshots', defaultPath: '/home/admin', properties: ['openDirectory', 'createDirectory'] });
  });

  it('answers null when the user cancels, and works without a focused window', async () => {
    fake.dialog.nextOpen = { canceled: true, filePaths: [] };
    const host = electronHost({ defaultArchiveDir: '/data' });
    expect(await host.pickFolder?.({ title: 'Folder for audit bundles' })).toBeNull();
    expect(fake.dialog.opened[0]?.parent).toBeNull();
    expect(fake.dialog.opened[0]?.options).not.toHaveProperty('defaultPath');
  });

  it('shows files without opening them', async () => {
    const host = electronHost({ defaultArchiveDir: '/data' });
    await host.reveal?.('/data/audits/audit-1');
    expect(fake.shell.shown).toEqual(['/data/audits/audit-1']);
    expect(fake.shell.opened).toEqual([]);
  });
});
