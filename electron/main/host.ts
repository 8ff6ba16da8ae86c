import { BrowserWindow, dialog, shell } from 'electron';
import { basename } from 'node:path';
import { VaultError } from '../../shared/errors';
import { type AppHost } from '../core/app';
import { openRefusal } from '../core/files';

/**
 * What the app service gets from the desktop shell: the file manager, the in-app schedule and the
 * built-in demo org (the simulator, started in this process on 127.0.0.1 when asked for).
 */
export function electronHost(options: { defaultArchiveDir: string }): AppHost {
  return {
    shell: 'electron',
    defaultArchiveDir: options.defaultArchiveDir,
    // showItemInFolder only shows; it never opens or runs the file (unlike shell.openPath).
    reveal: (path) => {
      shell.showItemInFolder(path);
      return Promise.resolve();
    },
    // A sheet on the focused window (modal where the platform has sheets), never a window of its own.
    pickFolder: async ({ title, defaultPath }) => {
      const options = { title, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[], ...(defaultPath !== undefined ? { defaultPath } : {}) };
      const parent = BrowserWindow.getFocusedWindow();
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    // Save as…: the OS asks before replacing a file (Linux's GTK dialog only when told to).
    saveFile: async ({ title, defaultPath }) => {
      const options = { title, defaultPath, properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[] };
      const parent = BrowserWindow.getFocusedWindow();
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    // The worker refuses runnable types already; checked again here, where the OS is asked, so no
    // caller can have a script or program run by its type's handler.
    openPath: async (path) => {
      const refusal = openRefusal(basename(path));
      if (refusal !== null) throw new VaultError('USAGE', refusal);
      const failure = await shell.openPath(path);
      if (failure !== '') throw new VaultError('IO_ERROR', `The system could not open ${basename(path)}: ${failure}`, { hint: 'Use Save as… and open the copy yourself.' });
    },
    runsScheduleInApp: true,
  };
}
