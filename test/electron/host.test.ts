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

  it('saves through the OS save dialog, which confirms replacing a file; a cancel answers null', async () => {
    const window = new FakeBrowserWindow({});
    window.focused = true;
    fake.dialog.nextSave = { canceled: false, filePath: '/home/admin/Downloads/report.pdf' };
    const host = electronHost({ defaultArchiveDir: '/data' });
    expect(await host.saveFile?.({ title: 'Save a copy of the file', defaultPath: 'report.pdf' })).toBe('/home/admin/Downloads/report.pdf');
    expect(fake.dialog.saved[0]?.parent).toBe(window);
    expect(fake.dialog.saved[0]?.options).toMatchObject({ title: 'Save a copy of the file', defaultPath: 'report.pdf', properties: ['createDirectory', 'showOverwriteConfirmation'] });
    fake.dialog.nextSave = { canceled: true, filePath: '' };
    expect(await host.saveFile?.({ title: 'Save a copy of the file', defaultPath: 'report.pdf' })).toBeNull();
  });

  it('opens documents with the OS, and refuses programs, scripts, web pages and SVG whoever asks', async () => {
    const host = electronHost({ defaultArchiveDir: '/data' });
    await host.openPath?.('/tmp/cliq-vault-open-x/ab/report.pdf');
    expect(fake.shell.openedPaths).toEqual(['/tmp/cliq-vault-open-x/ab/report.pdf']);
    for (const name of [
      'setup.exe',
      'run.BAT',
      'x.cmd',
      'a.com',
      'b.scr',
      'c.js',
      'd.vbs',
      'e.ps1',
      'f.sh',
      'g.app',
      'h.jar',
      'i.msi',
      'page.html',
      'page.htm',
      'logo.svg',
      'link.lnk',
      'invoice.pdf.exe',
      'noextension',
    ]) {
      await expect(host.openPath?.(`/tmp/cliq-vault-open-x/ab/${name}`), name).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/Save as/) as unknown });
    }
    expect(fake.shell.openedPaths).toHaveLength(1);
    fake.shell.nextOpenPathError = 'No application is registered';
    await expect(host.openPath?.('/tmp/cliq-vault-open-x/ab/photo.png')).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringMatching(/No application is registered/) as unknown });
  });
});
