import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminRoleHolders, directoryIntervals } from '../../../electron/core/archive/directoryReads';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { renderSyncReport } from '../../../electron/cli/output';
import { syncArchive } from '../../../electron/core/createCore';
import type { RunningSimulator } from '../../../electron/simulator';
import { apiFamilies, type RouteFamily } from '../../../electron/simulator/families';
import { archiverScopes } from '../../../shared/cliqScopes';
import { connectionTo, grantedCredentials, useSimulators } from '../../helpers/sim';
import { readRows } from '../../helpers/readRows';
import { useTempDir } from '../../helpers/tempDir';

const read = readRows;

interface Held {
  kind: string;
  group_id: string;
  user_id: string;
}
const order = (a: Held, b: Held) => (`${a.kind} ${a.group_id} ${a.user_id}` < `${b.kind} ${b.group_id} ${b.user_id}` ? -1 : 1);

/** Who belongs to what, as the simulator serves it. */
function truthHeld(sim: RunningSimulator): Held[] {
  const d = sim.truth().directory;
  return [
    ...d.departments.flatMap((g) => g.members.map((user_id) => ({ kind: 'department', group_id: g.id, user_id }))),
    ...d.designations.flatMap((g) => g.members.map((user_id) => ({ kind: 'designation', group_id: g.id, user_id }))),
    ...d.roles.flatMap((g) => g.members.map((user_id) => ({ kind: 'role', group_id: g.id, user_id }))),
    ...d.teams.flatMap((g) => g.members.map((m) => ({ kind: 'team', group_id: g.team_id, user_id: m.user_id }))),
  ].sort(order);
}

const archiveHeld = (path: string) => read<Held>(path, 'SELECT kind, group_id, user_id FROM directory_assignments WHERE gone_at IS NULL').sort(order);

/** The groups, with the names the archive holds now. */
function archiveGroups(path: string) {
  return {
    departments: read<{ id: string; name: string; is_default: number }>(path, 'SELECT department_id AS id, name, is_default FROM departments WHERE gone_at IS NULL ORDER BY id'),
    designations: read<{ id: string; name: string }>(path, 'SELECT designation_id AS id, name FROM designations WHERE gone_at IS NULL ORDER BY id'),
    roles: read<{ id: string; profile_type: string; is_admin: number }>(path, 'SELECT role_id AS id, profile_type, is_admin FROM roles WHERE gone_at IS NULL ORDER BY id'),
    teams: read<{ id: string; name: string }>(path, 'SELECT team_id AS id, name FROM teams WHERE gone_at IS NULL ORDER BY id'),
  };
}

function truthGroups(sim: RunningSimulator) {
  const d = sim.truth().directory;
  const byId = <T extends { id: string }>(rows: T[]) => rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    departments: byId(d.departments.map((g) => ({ id: g.id, name: g.name, is_default: g.is_default ? 1 : 0 }))),
    designations: byId(d.designations.map((g) => ({ id: g.id, name: g.name }))),
    roles: byId(d.roles.map((g) => ({ id: g.id, profile_type: g.profile_type, is_admin: g.is_admin ? 1 : 0 }))),
    teams: byId(d.teams.map((g) => ({ id: g.team_id, name: g.name }))),
  };
}

/** The directory's families (the simulator's list, in its order). */
const directoryFamilies: RouteFamily[] = apiFamilies.filter((f) => /^(departments|designations|profiles|teams)\./.test(f));

/** The fewest calls a listing of the whole directory takes: one per listing, one per group's members, and a role's permissions. */
function minimumCalls(sim: RunningSimulator): Record<string, number> {
  const d = sim.truth().directory;
  return {
    'departments.list': 1,
    'departments.members': d.departments.length,
    'designations.list': 1,
    'designations.members': d.designations.length,
    'profiles.list': 1,
    'profiles.users': d.roles.length,
    'profiles.permissions': d.roles.length,
    'teams.list': 1,
    'teams.members': d.teams.length,
  };
}

const callsOf = (calls: Record<string, number>) => Object.fromEntries(directoryFamilies.map((f) => [f, calls[f] ?? 0]));

describe('sync: the org directory (departments, designations, roles, teams)', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('archives the directory equal to the truth, then every change between syncs as intervals; a no-change re-sync makes the minimum calls', async () => {
    const sim = await simulator({ seed: 12, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    const first = await syncArchive(path, connectionTo(sim, { credentials: await grantedCredentials(sim, archiverScopes) }));
    expect(first.status).toBe('complete');
    expect(first.errors).toEqual([]);
    expect(archiveGroups(path)).toEqual(truthGroups(sim));
    expect(archiveHeld(path)).toEqual(truthHeld(sim));
    expect(first.counts.assignmentsStarted).toBe(truthHeld(sim).length);
    expect(callsOf(first.calls)).toEqual(minimumCalls(sim));
    // Every interval of the first listing: a member when first archived, never "assigned" that day.
    expect(read<{ n: number }>(path, "SELECT count(*) AS n FROM directory_intervals WHERE start_source <> 'first_archived' OR started_at IS NOT NULL")[0]?.n).toBe(0);
    // The default department came with only id, name and is_default.
    expect(read<{ source_json: string }>(path, 'SELECT source_json FROM departments WHERE is_default = 1').map((r) => Object.keys(JSON.parse(r.source_json) as object).sort())).toEqual([
      ['id', 'is_default', 'name'],
    ]);

    const changes = sim.mutate({ seed: 3, moveDepartments: 1, grantRoles: 1, revokeRoles: 1, leaveTeams: 1, renameDesignations: 1 }).directory;
    expect(changes.map((c) => c.change).sort()).toEqual(['department_moved', 'designation_renamed', 'role_granted', 'role_revoked', 'team_left']);
    const second = await syncArchive(path, connectionTo(sim, { credentials: await grantedCredentials(sim, archiverScopes) }));
    expect(second.status).toBe('complete');
    expect(archiveGroups(path)).toEqual(truthGroups(sim));
    expect(archiveHeld(path)).toEqual(truthHeld(sim));
    // moved (1 ended, 1 started), granted (1+1), revoked (1+1), left the team (1 ended).
    expect([second.counts.assignmentsStarted, second.counts.assignmentsEnded]).toEqual([3, 4]);
    const d = sim.truth().directory;
    expect(renderSyncReport(second)).toContain(
      `  Directory:      ${d.departments.length} departments, ${d.designations.length} designations, ${d.roles.length} roles, ${d.teams.length} teams; 3 assignments started, 4 ended\n`,
    );

    const db = new Database(path, { readonly: true });
    try {
      const moved = changes.find((c) => c.change === 'department_moved');
      const intervals = directoryIntervals(db, 'department').filter((i) => i.userId === moved?.userId);
      expect(intervals.map((i) => [i.groupId, i.startSource, i.endedAt === null])).toEqual(
        [
          [moved?.from, 'first_archived', false],
          [moved?.groupId, 'noticed', true],
        ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
      );
      const renamed = changes.find((c) => c.change === 'designation_renamed');
      const history = db.prepare<[string], { source_json: string }>("SELECT source_json FROM entity_history WHERE kind = 'designation' AND entity_key = ?").all(renamed?.groupId ?? '');
      expect(history.map((h) => (JSON.parse(h.source_json) as { name: string }).name)).toEqual([renamed?.from]);

      // Who held an admin role, when: the granted one from a noticed start, the revoked one until a noticed end.
      const granted = changes.find((c) => c.change === 'role_granted');
      const revoked = changes.find((c) => c.change === 'role_revoked');
      const admins = adminRoleHolders(db);
      expect(admins.find((a) => a.userId === granted?.userId)).toMatchObject({ profileType: 'Cliq Admin', startSource: 'noticed', endedAt: null });
      expect(admins.find((a) => a.userId === revoked?.userId)?.endedAt).not.toBeNull();
      const adminIds = new Set(
        sim
          .truth()
          .directory.roles.filter((r) => r.is_admin)
          .flatMap((r) => r.members),
      );
      expect(new Set(admins.filter((a) => a.endedAt === null).map((a) => a.userId))).toEqual(adminIds);
      expect(admins.some((a) => a.isCustomAdmin)).toBe(true);
    } finally {
      db.close();
    }

    sim.resetStats();
    const third = await syncArchive(path, connectionTo(sim));
    expect(third.status).toBe('complete');
    expect([third.counts.assignmentsStarted ?? 0, third.counts.assignmentsEnded ?? 0]).toEqual([0, 0]);
    // The minimum: nothing in a listing says a group's members are unchanged (a count survives a swap).
    expect(callsOf(third.calls)).toEqual(minimumCalls(sim));
    expect(Object.fromEntries(directoryFamilies.map((f) => [f, sim.stats().requests[f]]))).toEqual(minimumCalls(sim));
    expect(read<{ n: number }>(path, "SELECT count(*) AS n FROM entity_history WHERE kind IN ('department', 'designation', 'role', 'team')")[0]?.n).toBe(1);
  });

  it('without Organisation.READ the roles are skipped with a note naming dataset and scope; the run completes and nothing archived is lost', async () => {
    const sim = await simulator({ seed: 12, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const roles = read<Held>(path, "SELECT kind, group_id, user_id FROM directory_assignments WHERE kind = 'role' AND gone_at IS NULL");
    expect(roles.length).toBe(sim.org.users.length);

    sim.mutate({ seed: 4, grantRoles: 1, leaveTeams: 1 });
    const without = await grantedCredentials(
      sim,
      archiverScopes.filter((s) => s !== 'ZohoCliq.Organisation.READ'),
    );
    const report = await syncArchive(path, connectionTo(sim, { credentials: without }));
    expect(report.status).toBe('complete');
    expect(report.errors).toEqual([expect.objectContaining({ code: 'SOURCE_NOT_GRANTED', dataset: 'roles', scope: 'ZohoCliq.Organisation.READ' })]);
    // Roles as they were (the grant is not seen, nothing ended); the other datasets follow the truth.
    expect(read<Held>(path, "SELECT kind, group_id, user_id FROM directory_assignments WHERE kind = 'role' AND gone_at IS NULL")).toEqual(roles);
    expect(read<{ n: number }>(path, "SELECT count(*) AS n FROM directory_assignments WHERE kind = 'role' AND gone_at IS NOT NULL")[0]?.n).toBe(0);
    expect(archiveHeld(path).filter((h) => h.kind !== 'role')).toEqual(truthHeld(sim).filter((h) => h.kind !== 'role'));
    expect(read<{ value: string }>(path, "SELECT value FROM meta WHERE key = 'source.roles'").map((r) => (JSON.parse(r.value) as { status: string }).status)).toEqual(['not_granted']);
  });

  it('an org on Zoho People (D1 needs a search term): one empty-search attempt, then a note; departments archived earlier stay open', async () => {
    const sim = await simulator({ seed: 12, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const before = read<Held>(path, "SELECT kind, group_id, user_id FROM directory_assignments WHERE kind = 'department' AND gone_at IS NULL");
    sim.configure({ peopleIntegrated: true });
    sim.resetStats();
    const report = await syncArchive(path, connectionTo(sim));
    expect(report.status).toBe('complete');
    expect(report.errors.map((e) => [e.code, e.dataset])).toEqual([['DEPARTMENTS_NEED_SEARCH', 'departments']]);
    expect([sim.stats().requests['departments.list'], sim.stats().requests['departments.members']]).toEqual([2, 0]);
    expect(read<Held>(path, "SELECT kind, group_id, user_id FROM directory_assignments WHERE kind = 'department' AND gone_at IS NULL")).toEqual(before);
    expect(read<{ n: number }>(path, 'SELECT count(*) AS n FROM departments WHERE gone_at IS NOT NULL')[0]?.n).toBe(0);
  });

  it('verify covers the directory: a changed group or interval is caught', async () => {
    const sim = await simulator({ seed: 12, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const db = new Database(path);
    try {
      expect(verifyArchive(db).problems).toEqual([]);
      db.prepare("UPDATE directory_assignments SET user_id = 'someone-else' WHERE id = (SELECT min(id) FROM directory_assignments WHERE kind = 'role')").run();
      db.prepare("UPDATE roles SET is_admin = 0 WHERE profile_type = 'Admin'").run();
      const tables = verifyArchive(db).problems.map((p) => p.table);
      expect(tables).toContain('directory_assignments');
      expect(tables).toContain('roles');
    } finally {
      db.close();
    }
  });
});
