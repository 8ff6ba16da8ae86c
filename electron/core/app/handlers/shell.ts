import { resolve } from 'node:path';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

const pickerTitles = { backups: 'Folder for backup snapshots', exports: 'Folder for audit bundles', archive: 'Folder for the archive' } as const;

/** The desktop's folder chooser and file manager, where the shell has them (serve has neither). */
export function shellHandlers(ctx: AppContext): Pick<Handlers, 'shell:pickFolder' | 'shell:reveal'> {
  const { host } = ctx.deps;
  return {
    'shell:pickFolder': async ({ purpose, defaultPath }) => {
      if (!host.pickFolder) return { available: false, path: null };
      const path = await host.pickFolder({ title: pickerTitles[purpose], defaultPath });
      return { available: true, path: path === null ? null : resolve(path) };
    },
    'shell:reveal': async ({ path }) => {
      if (!host.reveal) return { shown: false };
      await host.reveal(resolve(path));
      return { shown: true };
    },
  };
}
