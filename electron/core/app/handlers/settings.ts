import { settingsSchema } from '../../../../shared/settings';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseQuotaOverrides } from '../../cliq/quotaOverrides';
import { checkTimeZone } from '../../util/timeZone';
import { toolVersion } from '../../version';
import { madeAgainstSimulator } from '../archiveOrigin';
import { archiveEncryption } from './cipher';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/** What the app is and where its things are; the settings, read and patched. */
export function settingsHandlers(ctx: AppContext): Pick<Handlers, 'app:info' | 'settings:get' | 'settings:update'> {
  const { deps } = ctx;
  /** Read from the archive, which may not exist yet or may be no archive at all (then the screens say so). */
  function fromSimulator(): boolean {
    try {
      const db = ctx.readerOrNull();
      return db !== null && madeAgainstSimulator(db);
    } catch (error) {
      ctx.log.debug('app:info could not read the archive', { error });
      return false;
    }
  }
  return {
    'app:info': async () => {
      const current = ctx.settings();
      const profile = ctx.activeProfile(current);
      const path = deps.archiveOverride !== undefined ? resolve(deps.archiveOverride) : (profile?.archivePath ?? null);
      return {
        version: toolVersion,
        shell: deps.host.shell,
        platform: process.platform,
        settingsPath: deps.settings.path,
        defaultArchiveDir: deps.host.defaultArchiveDir,
        secretStorage: deps.secrets.kind,
        activeProfile: profile,
        // Presence only: the secrets themselves are fetched when a connection is made.
        hasCredentials: profile !== null && (profile.demo || (await deps.secrets.has(profile.id))),
        archivePath: path,
        archiveExists: path !== null && existsSync(path),
        archiveReadOnly: ctx.archiveReadOnly(),
        archiveFromSimulator: fromSimulator(),
        archiveEncryption: await archiveEncryption(ctx, path),
        bundleSigning: await ctx.signingKeys.status(),
      };
    },

    'settings:get': () => ctx.settings(),
    'settings:update': (patch) => {
      if (patch.timeZone !== undefined) checkTimeZone(patch.timeZone);
      if (patch.quotas !== undefined) parseQuotaOverrides(patch.quotas);
      // A setting the patch leaves out, or sends as undefined, keeps its value.
      const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      return ctx.writeSettings(settingsSchema.parse({ ...ctx.settings(), ...changes }));
    },
  };
}
