import { BrowserWindow, dialog, shell } from 'electron';
import { type AppHost } from '../core/app';

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
    runsScheduleInApp: true,
  };
}
