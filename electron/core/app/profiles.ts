import { toVaultError, VaultError } from '../../../shared/errors';
import type { OrgProfile, Settings } from '../../../shared/settings';
import type { AdminCheck } from '../../../shared/views';
import { syncRunCount } from '../archive';
import { resolveEndpoints } from '../cliq/dataCentres';
import { exportChats } from '../cliq/maintenance';
import { parseQuotaOverrides } from '../cliq/quotaOverrides';
import { createCliqClient, type Connection } from '../createCore';
import { noOrgConnected, type AppContext } from './context';
import type { DemoOrg } from './ports';

/** From an org profile (and its secrets, or the demo simulator) to a connection the core can use. */
export interface Profiles {
  /** The profile's endpoints, credentials and quotas. Secrets are fetched here, and only here. */
  connectionFor(profile: OrgProfile, current: Settings): Promise<Connection>;
  /** The active profile's connection; USAGE while no org is connected. */
  activeConnection(): Promise<Connection>;
  /** One Maintenance listing call: whether the credentials are an org admin's. Never throws. */
  adminCheck(connection: Connection): Promise<AdminCheck>;
  /** The demo org's simulator, started on first use and then shared (a failed start is retried next time). */
  startDemo(): Promise<DemoOrg>;
  /** Stops the demo simulator, if it was started. */
  close(): Promise<void>;
}

export function createProfiles(ctx: AppContext): Profiles {
  const { deps } = ctx;
  let demo: Promise<DemoOrg> | null = null;

  function startDemo(): Promise<DemoOrg> {
    if (!deps.host.startDemo) return Promise.reject(new VaultError('USAGE', 'The demo org is not available here.'));
    demo ??= deps.host.startDemo().catch((error: unknown) => {
      demo = null;
      throw error;
    });
    return demo;
  }

  async function connectionFor(profile: OrgProfile, current: Settings): Promise<Connection> {
    const quotas = parseQuotaOverrides(current.quotas);
    if (profile.demo) {
      const sim = await startDemo();
      // The demo org has a day of activity between syncs (edits, deletions, joins and leaves): one
      // day per run its archive holds, replayed the same way by every start of the simulator.
      sim.catchUp(syncRunCount(profile.archivePath));
      return {
        endpoints: { apiBase: sim.apiBase, accountsBase: sim.accountsBase, dataCentre: 'custom', network: undefined },
        credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret, refreshToken: sim.refreshToken },
        quotaScale: sim.quotaScale,
        quotas,
      };
    }
    const secrets = await deps.secrets.get(profile.id);
    if (!secrets) {
      throw new VaultError('AUTH_MISSING_CREDENTIALS', `No credentials are stored for ${profile.name}.`, {
        hint:
          deps.secrets.kind === 'memory'
            ? 'Connect the org again (serve keeps secrets in memory only), or start serve with CLIQ_CLIENT_SECRET and CLIQ_REFRESH_TOKEN set.'
            : 'Connect the org again on the Connect screen.',
      });
    }
    return { endpoints: endpointsOf(profile), credentials: { clientId: profile.clientId, ...secrets }, quotas };
  }

  return {
    connectionFor,
    activeConnection() {
      const current = ctx.settings();
      const profile = ctx.activeProfile(current);
      if (!profile) return Promise.reject(noOrgConnected());
      return connectionFor(profile, current);
    },
    async adminCheck(connection) {
      try {
        const { http } = createCliqClient({ ...connection, maxLockWaitMs: 60_000 }, ctx.runtime);
        const chats = await exportChats(http);
        return { ok: true, sampleConversations: chats.length };
      } catch (error) {
        return { ok: false, error: toVaultError(error).toShape() };
      }
    },
    startDemo,
    async close() {
      if (demo) await (await demo.catch(() => null))?.close();
      demo = null;
    },
  };
}

/** The data centre's (or the custom) API and accounts hosts of a profile. */
export function endpointsOf(profile: OrgProfile) {
  return resolveEndpoints({
    dataCentre: profile.dataCentre === 'custom' ? undefined : profile.dataCentre,
    apiBase: profile.apiBase,
    accountsBase: profile.accountsBase,
    network: profile.network,
  });
}

/** `Acme Corp` → `acme-corp`, `acme-corp-2`, …: unique among the profiles. */
export function freeProfileId(name: string, profiles: readonly OrgProfile[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'org';
  let id = base;
  for (let n = 2; profiles.some((p) => p.id === id); n++) id = `${base}-${n}`;
  return id;
}
