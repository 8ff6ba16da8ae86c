import { shell } from 'electron';
import type { AppHost } from '../core/app/ports';
import { startDemoOrg } from '../simulator/demoOrg';

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
    runsScheduleInApp: true,
    startDemo: () => startDemoOrg(),
  };
}
