import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiverScopeUses } from '../../shared/cliqScopes';
import type { Family } from '../../electron/core/cliq/families';
import { exchangeGrantCode } from '../../electron/core/cliq/oauth';
import { syncArchive, type Connection } from '../../electron/core/createCore';
import type { SyncReport } from '../../electron/core/sync';
import { DiscreteEventClock, startSimulator, type RunningSimulator } from '../../electron/simulator';
import type { Row } from '../results';

/** The evidence sources of issue 12, by the rate families their calls are counted under. */
const sources = {
  'directory (D, G, R, T)': [
    'departments.list',
    'departments.members',
    'designations.list',
    'designations.members',
    'profiles.list',
    'profiles.users',
    'profiles.permissions',
    'teams.list',
    'teams.members',
  ],
  'reactions (MS3)': ['messages.reactions'],
  'sticky messages (H3)': ['chats.sticky'],
  'calls (X1, X2)': ['mediasessions.list', 'mediasessions.participants'],
  'scheduled messages (S2, S1)': ['scheduled.list', 'scheduled.legacy'],
} as const satisfies Record<string, readonly Family[]>;
type Source = keyof typeof sources;

/** Every family of those sources: the API row counts the calls of the rest. */
export const sourceFamilies: readonly Family[] = Object.values(sources).flat();

/**
 * Reactions never hold a run open (sync/extrasLane.ts): once the other lanes are done, a run makes
 * no check its quota would delay, so a no-change re-sync makes at most one minute of it.
 */
const reactionsPerMinute = 20;
/** The default cap on reaction checks per run (SyncOptions.reactionsPerRun). */
const reactionsPerRun = 200;

const callsOf = (report: SyncReport, source: Source) => sources[source].reduce((n, family) => n + (report.calls[family] ?? 0), 0);

/**
 * The fewest calls a re-sync with no change in Cliq can make for each source but reactions: the
 * directory has no change signal, so every group and its members are listed (one page each here);
 * sticky messages none
 * within the week; calls one X1 with the sync token; scheduled messages one S2 page (one account's
 * list).
 */
function reSyncMinimum(sim: RunningSimulator): Record<Exclude<Source, 'reactions (MS3)'>, number> {
  const d = sim.truth().directory;
  const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
  const directory = pages(d.departments.length) + d.departments.length + 1 + d.designations.reduce((n, g) => n + pages(g.members.length), 0) + 1 + 2 * d.roles.length + 1 + d.teams.length;
  return {
    'directory (D, G, R, T)': directory,
    'sticky messages (H3)': 0,
    'calls (X1, X2)': 1,
    'scheduled messages (S2, S1)': 1,
  };
}

/**
 * What the sources of issue 12 cost: their calls on a first sync and on a re-sync with no change
 * in Cliq (against the minimum above), and the time they add to that re-sync, with real quotas in
 * virtual time (DiscreteEventClock) and in wall time. The comparison re-syncs a copy of the same
 * archive with a grant of only the required scopes, where each optional source stops at its first
 * refusal (sync/optionalSource.ts).
 */
export async function benchSources(scale: 'tiny' | 'small' | 'medium' | 'large'): Promise<Row[]> {
  const clock = new DiscreteEventClock();
  const sim = await startSimulator({ scale, seed: 1, clock });
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-'));
  const runtime = { clock, fetch: clock.fetch, random: () => 0.5 };
  const connection = (credentials: Connection['credentials']): Connection => ({
    endpoints: { apiBase: sim.apiBase, accountsBase: sim.accountsBase, dataCentre: 'custom', network: undefined },
    credentials,
  });
  try {
    const full = join(dir, 'all-scopes.sqlite');
    // Files have their own section: left out here, so the re-sync is one with nothing to fetch.
    const options = { files: 'none' as const };
    const first = await syncArchive(full, connection(sim.admin), options, runtime);
    const required = join(dir, 'required-scopes.sqlite');
    copyFileSync(full, required);

    const timed = async (path: string, credentials: Connection['credentials']) => {
      // Runs a minute apart at least, as a schedule makes them: Cliq counts each minute's calls
      // across runs, and a new run's budget starts empty.
      await clock.sleep(61_000);
      const virtualStart = clock.now();
      const wallStart = performance.now();
      const report = await syncArchive(path, connection(credentials), options, runtime);
      return { report, virtualS: (clock.now() - virtualStart) / 1000, wallS: (performance.now() - wallStart) / 1000 };
    };
    const withSources = await timed(full, sim.admin);
    const client = { clientId: sim.admin.clientId, clientSecret: sim.admin.clientSecret };
    const scopes = archiverScopeUses.filter((use) => use.optional !== true).map((use) => use.scope);
    const { refreshToken } = await exchangeGrantCode({ accountsBase: sim.accountsBase, credentials: client, code: sim.issueGrantCode(scopes) });
    const without = await timed(required, { ...client, refreshToken });

    const minimum = reSyncMinimum(sim);
    const rows: Row[] = [];
    for (const source of Object.keys(sources) as Source[]) {
      rows.push({ section: 'sources', measure: `${scale} org, first sync: ${source} calls`, figure: callsOf(first, source), unit: 'calls', target: '' });
    }
    for (const source of Object.keys(sources) as Source[]) {
      const made = callsOf(withSources.report, source);
      if (source === 'reactions (MS3)') {
        // Messages still due their first check, checked while the rest of the run works and
        // within one minute of quota once it is done (a message asked in both id spellings after
        // a 404 is one check and two calls); the time rows below show the run is no longer for it.
        const checked = withSources.report.counts.reactionsChecked ?? 0;
        const allowed = Math.min(reactionsPerRun, reactionsPerMinute * (Math.ceil(without.virtualS / 60) + 1));
        rows.push({
          section: 'sources',
          measure: `no-change re-sync: ${source} messages checked (${made} calls)`,
          figure: checked,
          unit: 'checks',
          target: '≤ quota while the run lasts',
          limit: { figure: allowed, label: 'checks the quota allows' },
          ratio: checked / Math.max(allowed, 1),
          pass: checked <= allowed,
        });
        continue;
      }
      const least = minimum[source];
      rows.push({
        section: 'sources',
        measure: `no-change re-sync: ${source} calls`,
        figure: made,
        unit: 'calls',
        target: '= minimum',
        limit: { figure: least, label: 'calls minimum' },
        ...(least > 0 ? { ratio: made / least } : {}),
        pass: made === least,
      });
    }
    rows.push(
      {
        section: 'sources',
        measure: 'no-change re-sync, virtual time with the optional sources',
        figure: withSources.virtualS,
        unit: 's',
        target: '',
        limit: { figure: without.virtualS, label: 's without them' },
        ratio: withSources.virtualS / Math.max(without.virtualS, 1),
      },
      {
        section: 'sources',
        measure: 'no-change re-sync, wall time with the optional sources',
        figure: withSources.wallS,
        unit: 's',
        target: '',
        limit: { figure: without.wallS, label: 's without them' },
        ratio: withSources.wallS / Math.max(without.wallS, 0.001),
      },
    );
    return rows;
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
