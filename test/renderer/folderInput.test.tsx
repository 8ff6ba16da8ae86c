import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { FolderInput } from '../../renderer/src/components/FolderInput';
import { fakeApi, infoFixture, renderWithVault } from './fixtures';

function Harness({ initial = '' }: { initial?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <label htmlFor="folder">Backup folder</label>
      <FolderInput id="folder" purpose="backups" value={value} onChange={setValue} />
    </>
  );
}

describe('FolderInput', () => {
  it('in the desktop app, Choose… opens the OS chooser at the typed folder and takes the pick', async () => {
    const api = fakeApi().handle('shell:pickFolder', () => ({ available: true, path: '/home/admin/Backups' }));
    renderWithVault(<Harness initial="/home/admin" />, { api, info: infoFixture({ shell: 'electron' }) });
    await userEvent.click(screen.getByRole('button', { name: 'Choose the folder for backups' }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Backup folder').value).toBe('/home/admin/Backups'));
    expect(api.requestsOf('shell:pickFolder')).toEqual([{ purpose: 'backups', defaultPath: '/home/admin' }]);
  });

  it('a cancelled chooser leaves the typed path alone', async () => {
    const api = fakeApi().handle('shell:pickFolder', () => ({ available: true, path: null }));
    renderWithVault(<Harness initial="relative/not-a-start" />, { api, info: infoFixture({ shell: 'electron' }) });
    await userEvent.click(screen.getByRole('button', { name: 'Choose the folder for backups' }));
    await waitFor(() => expect(api.requestsOf('shell:pickFolder')).toHaveLength(1));
    // A relative path is not offered to the chooser as where to start.
    expect(api.requestsOf('shell:pickFolder')[0]).toEqual({ purpose: 'backups' });
    expect(screen.getByLabelText<HTMLInputElement>('Backup folder').value).toBe('relative/not-a-start');
  });

  it('in the browser there is no chooser: the path is typed', async () => {
    const api = fakeApi();
    renderWithVault(<Harness />, { api, info: infoFixture({ shell: 'browser' }) });
    expect(screen.queryByRole('button', { name: /Choose/ })).toBeNull();
    await userEvent.type(screen.getByLabelText('Backup folder'), '/srv/backups');
    expect(screen.getByLabelText<HTMLInputElement>('Backup folder').value).toBe('/srv/backups');
  });
});
