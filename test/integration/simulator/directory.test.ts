import { describe, expect, it } from 'vitest';
import { getProfilePermissions, listDepartments, listDesignationMembers, listProfiles, listProfileUsers, listTeamMembers, listTeams } from '../../../electron/core/cliq/directory';
import { exchangeGrantCode } from '../../../electron/core/cliq/oauth';
import { createCliqClient } from '../../../electron/core/createCore';
import { departmentRow, isAdminProfile, teamRow } from '../../../electron/core/sync/directoryRows';
import { connectionTo, useSimulators } from '../../helpers/sim';

describe('the directory reads against the simulator: paging, quirks, scopes', () => {
  const simulator = useSimulators();

  it('walks D1 and G3 by next_token in small pages and gets every item once', async () => {
    const sim = await simulator({ seed: 31, scale: 'small' });
    const { http } = createCliqClient(connectionTo(sim));
    const truth = sim.truth().directory;
    const departments = await listDepartments(http, undefined, undefined, 3);
    expect(departments.map((d) => d.payload.id).sort()).toEqual(truth.departments.map((d) => d.id).sort());
    expect(sim.stats().requests['departments.list']).toBe(Math.ceil(truth.departments.length / 3));
    const biggest = [...truth.designations].sort((a, b) => b.members.length - a.members.length)[0];
    expect(biggest?.members.length).toBeGreaterThan(2);
    const holders = await listDesignationMembers(http, biggest?.id ?? '', undefined, 2);
    expect(holders.map((h) => h.payload.id).sort()).toEqual(biggest?.members);
  });

  it('accepts the pages\' quirks: a bare default department, counts as strings, team ids as numbers, is_active as "true", R2\'s bare user ids', async () => {
    const sim = await simulator({ seed: 31, scale: 'tiny' });
    const { http } = createCliqClient(connectionTo(sim));
    const departments = await listDepartments(http);
    const root = departments.find((d) => d.raw.is_default === true);
    expect(Object.keys(root?.raw ?? {}).sort()).toEqual(['id', 'is_default', 'name']);
    const legal = departments.find((d) => typeof d.raw.members_count === 'string');
    expect(legal && departmentRow(legal).values.members_count).toBe(Number(legal?.raw.members_count));

    const teams = await listTeams(http);
    expect(teams.some((t) => typeof t.raw.team_id === 'number')).toBe(true);
    expect(teams.some((t) => t.raw.is_active === 'true')).toBe(true);
    for (const team of teams) {
      expect(typeof team.payload.team_id).toBe('string');
      expect(teamRow(team).values.is_active).toBe(1);
    }

    const profiles = await listProfiles(http);
    expect(profiles.filter((p) => isAdminProfile(p.payload)).map((p) => p.payload.name)).toEqual(['Admin', 'Cliq Admin', 'Compliance Officers']);
    const admin = profiles.find((p) => p.payload.profile_type === 'Admin');
    const users = await listProfileUsers(http, admin?.payload.id ?? '');
    expect(users.map((u) => u.raw)).toEqual([{ user_id: sim.org.users[sim.org.adminIndex]?.id }]);
    const permissions = await getProfilePermissions(http, admin?.payload.id ?? '');
    expect(Object.keys(permissions)).toContain('organization');
  });

  it('refuses what the pages say is refused: D1 without a search on a Zoho People org (400), a role read without Organisation.READ (403), an unknown team (404)', async () => {
    const sim = await simulator({ seed: 31, scale: 'tiny', peopleIntegrated: true });
    const { http } = createCliqClient(connectionTo(sim));
    await expect(listDepartments(http)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(listDepartments(http, undefined, '')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await listDepartments(http, undefined, 'a')).length).toBeGreaterThan(0);

    const code = sim.issueGrantCode(['ZohoCliq.Users.READ', 'ZohoCliq.Teams.READ']);
    const client = { clientId: sim.admin.clientId, clientSecret: sim.admin.clientSecret };
    const { refreshToken } = await exchangeGrantCode({ accountsBase: sim.accountsBase, credentials: client, code });
    const narrow = createCliqClient(connectionTo(sim, { credentials: { ...client, refreshToken } })).http;
    await expect(listProfiles(narrow)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await listTeams(narrow)).length).toBeGreaterThan(0);
    await expect(listTeamMembers(http, '999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
