import { join, resolve } from 'node:path';
import { VaultError } from '../../../../shared/errors';
import type { OrgProfile } from '../../../../shared/settings';
import { exchangeGrantCode } from '../../cliq/oauth';
import { parseQuotaOverrides } from '../../cliq/quotaOverrides';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import type { JobRunner } from '../jobRunner';
import { endpointsOf, freeProfileId, type Profiles } from '../profiles';

/** Connecting orgs (a real one with its secrets, or the demo), checking them, switching and forgetting them. */
export function connectHandlers(
  ctx: AppContext,
  profiles: Profiles,
  syncJobs: Pick<JobRunner<'sync'>, 'status'>,
): Pick<Handlers, 'connect:save' | 'connect:demo' | 'connect:check' | 'profiles:switch' | 'profiles:remove'> {
  const { deps } = ctx;
  return {
    'connect:save': async (request) => {
      const current = ctx.settings();
      const id = request.profile.id ?? freeProfileId(request.profile.name, current.profiles);
      const profile: OrgProfile = {
        ...request.profile,
        id,
        archivePath: resolve(request.profile.archivePath ?? join(deps.host.defaultArchiveDir, `${id}.sqlite`)),
        demo: false,
      };
      const endpoints = endpointsOf(profile);
      const refreshToken =
        request.refreshToken ??
        (
          await exchangeGrantCode({
            accountsBase: endpoints.accountsBase,
            credentials: { clientId: profile.clientId, clientSecret: request.clientSecret },
            code: request.grantCode ?? '',
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
          })
        ).refreshToken;
      await deps.secrets.set(id, { clientSecret: request.clientSecret, refreshToken });
      // Read again: the settings may have changed while the grant code and the secrets were awaited.
      const latest = ctx.settings();
      ctx.writeSettings({ ...latest, profiles: [...latest.profiles.filter((p) => p.id !== id), profile], activeProfile: id });
      ctx.closeReader();
      const admin = await profiles.adminCheck({
        endpoints,
        credentials: { clientId: profile.clientId, clientSecret: request.clientSecret, refreshToken },
        quotas: parseQuotaOverrides(current.quotas),
      });
      return { profile, admin };
    },
    'connect:demo': async ({ openArchive }) => {
      if (openArchive === true && deps.archiveOverride === undefined) throw new VaultError('USAGE', 'No archive was opened to read: the demo org keeps its own.');
      const sim = await profiles.startDemo();
      const current = ctx.settings();
      const existing = current.profiles.find((p) => p.demo);
      const base: OrgProfile = existing ?? {
        id: freeProfileId('demo', current.profiles),
        name: 'Demo org (simulator)',
        dataCentre: 'custom',
        clientId: sim.clientId,
        archivePath: join(deps.host.defaultArchiveDir, 'demo.sqlite'),
        demo: true,
      };
      // Syncing the demo again into the demo archive `serve --archive` opened: the demo profile keeps that archive from now on.
      const profile: OrgProfile = openArchive === true && deps.archiveOverride !== undefined ? { ...base, archivePath: resolve(deps.archiveOverride) } : base;
      ctx.writeSettings({ ...current, profiles: existing ? current.profiles.map((p) => (p.id === profile.id ? profile : p)) : [...current.profiles, profile], activeProfile: profile.id });
      ctx.closeReader();
      return { profile, admin: await profiles.adminCheck(await profiles.connectionFor(profile, current)) };
    },
    'connect:check': async () => profiles.adminCheck(await profiles.activeConnection()),
    'profiles:switch': ({ id }) => {
      const current = ctx.settings();
      if (!current.profiles.some((p) => p.id === id)) throw new VaultError('NOT_FOUND', `There is no profile "${id}".`);
      if (syncJobs.status()) throw new VaultError('ARCHIVE_LOCKED', 'A sync is running for the current org.', { hint: 'Wait for it to finish (or cancel it) before switching.' });
      ctx.closeReader();
      return ctx.writeSettings({ ...current, activeProfile: id });
    },
    'profiles:remove': async ({ id }) => {
      const current = ctx.settings();
      if (!current.profiles.some((p) => p.id === id)) throw new VaultError('NOT_FOUND', `There is no profile "${id}".`);
      if (syncJobs.status() && current.activeProfile === id) throw new VaultError('ARCHIVE_LOCKED', 'A sync is running for this org.', { hint: 'Wait for it to finish, or cancel it.' });
      await deps.secrets.delete(id);
      // Read again: the settings may have changed while the secrets were deleted.
      const latest = ctx.settings();
      const remaining = latest.profiles.filter((p) => p.id !== id);
      if (latest.activeProfile === id) ctx.closeReader();
      return ctx.writeSettings({ ...latest, profiles: remaining, activeProfile: latest.activeProfile === id ? (remaining[0]?.id ?? null) : latest.activeProfile });
    },
  };
}
