import type { DirectoryKind, ListedMember } from '../archive/directoryRepo';
import type { EntityRow } from '../archive/entityStore';
import { getProfilePermissions, listDepartmentMembers, listDepartments, listDesignationMembers, listDesignations, listProfileUsers, listProfiles, listTeamMembers, listTeams } from '../cliq/directory';
import { confirmListing } from './confirmListing';
import { departmentRow, designationRow, roleRow, summaryMember, teamMember, teamRow } from './directoryRows';
import { failure } from './failure';
import { runOptionalSource, type OptionalSource } from './optionalSource';
import type { SyncContext } from './types';

/**
 * The org directory lane (issue 12): departments, designations, roles and teams, each an optional
 * source (its own scope; a refusal is a note and the run completes), each listed whole at every
 * sync. They are small — a group listing is one call, then one member listing per group (two for
 * a role: its holders and its permissions) — and no listing says when its members last changed
 * (members_count stays put through a swap), so nothing cheaper can notice every change.
 *
 * Only a complete listing ends anything: a group missing from the group listing is fetched once
 * more before it is marked gone (confirmListing.ts), a member missing from a member listing
 * likewise, and a listing that fails throws before its transaction, so a failed or partial
 * listing never ends an interval. Each group's members are written in one short transaction.
 */

export const directorySources: Record<DirectoryKind, OptionalSource> = {
  department: { dataset: 'departments', label: 'Departments and their members', scope: 'ZohoCliq.Departments.READ' },
  designation: { dataset: 'designations', label: 'Designations and who held them', scope: 'ZohoCliq.Designations.READ' },
  role: { dataset: 'roles', label: 'Roles (Admin, Cliq Admin, custom admin) and who held them', scope: 'ZohoCliq.Organisation.READ' },
  team: { dataset: 'teams', label: 'Teams and their members', scope: 'ZohoCliq.Teams.READ' },
};

/** How one kind of group is read. */
interface GroupLane<G> {
  kind: DirectoryKind;
  /** The complete group listing, or undefined when Cliq would not give it (noted by the lane). */
  list: () => Promise<G[] | undefined>;
  keyOf: (group: G) => string;
  /** The archive row of a group (a role's needs one more call: its permissions). */
  row: (group: G) => Promise<EntityRow>;
  members: (groupId: string) => Promise<ListedMember[]>;
}

function add(ctx: SyncContext, counter: string, n: number): void {
  ctx.counts[counter] = (ctx.counts[counter] ?? 0) + n;
}

async function syncGroups<G>(ctx: SyncContext, lane: GroupLane<G>): Promise<void> {
  const repo = ctx.archive.directory;
  const store = repo.groups[lane.kind];
  const first = await lane.list();
  if (first === undefined) return;
  const live = store.liveKeys({ where: '1', params: [] });
  const groups = await confirmListing({ first, keyOf: lane.keyOf, live, fetchAgain: async () => (await lane.list()) ?? [] });
  const rows: EntityRow[] = [];
  for (const group of groups) rows.push(await lane.row(group));
  const listed = new Set(rows.map((row) => row.key));
  ctx.archive.transaction(() => {
    const write = ctx.write();
    for (const row of rows) store.upsert(row, write);
    for (const key of live) {
      if (listed.has(key)) continue;
      add(ctx, 'assignmentsEnded', repo.endGroup(lane.kind, key, write));
      add(ctx, 'directoryGroupsGone', 1);
    }
  });
  add(ctx, directorySources[lane.kind].dataset, rows.length);
  for (const row of rows) {
    const members = await confirmListing({
      first: await lane.members(row.key),
      keyOf: (member) => member.userId,
      live: repo.openMembers(lane.kind, row.key),
      fetchAgain: () => lane.members(row.key),
    });
    ctx.archive.transaction(() => {
      const outcome = repo.recordListing(lane.kind, row.key, members, ctx.write());
      add(ctx, 'assignmentsStarted', outcome.started);
      add(ctx, 'assignmentsEnded', outcome.ended);
    });
  }
}

type DepartmentItem = Awaited<ReturnType<typeof listDepartments>>[number];

const summaries = (items: { payload: Parameters<typeof summaryMember>[0] }[]): ListedMember[] =>
  items.map((item) => summaryMember(item.payload)).filter((member): member is ListedMember => member !== null);

/**
 * D1 for an org on Zoho People needs a `search` term (docs/cliq-api.md §7.7). Without one Cliq
 * answers 400; one more attempt with an empty term follows, and if that is refused too the lane
 * notes DEPARTMENTS_NEED_SEARCH and archives no departments (ending nothing). A term that matches
 * every name does not exist, so no listing could be proven complete.
 */
async function departmentsListing(ctx: SyncContext): Promise<GroupLane<DepartmentItem>['list']> {
  const plain = () => listDepartments(ctx.http, ctx.signal);
  const emptySearch = () => listDepartments(ctx.http, ctx.signal, '');
  for (const attempt of [plain, emptySearch]) {
    try {
      const first = await attempt();
      let used = false;
      // The first answer is handed out once; confirmListing's second look fetches again.
      return () => {
        if (used) return attempt();
        used = true;
        return Promise.resolve(first);
      };
    } catch (error) {
      if (failure(error).code !== 'BAD_REQUEST') throw error;
    }
  }
  ctx.warn({
    code: 'DEPARTMENTS_NEED_SEARCH',
    dataset: 'departments',
    message: 'Departments were not archived: Cliq lists them only with a search term (an org on Zoho People), so no listing could be complete.',
  });
  return () => Promise.resolve(undefined);
}

async function syncDepartments(ctx: SyncContext): Promise<void> {
  const list = await departmentsListing(ctx);
  await syncGroups(ctx, {
    kind: 'department',
    list,
    keyOf: (item) => item.payload.id,
    row: (item) => Promise.resolve(departmentRow(item)),
    members: async (id) => summaries(await listDepartmentMembers(ctx.http, id, ctx.signal)),
  });
}

function syncDesignations(ctx: SyncContext): Promise<void> {
  return syncGroups(ctx, {
    kind: 'designation',
    list: () => listDesignations(ctx.http, ctx.signal),
    keyOf: (item) => item.payload.id,
    row: (item) => Promise.resolve(designationRow(item)),
    members: async (id) => summaries(await listDesignationMembers(ctx.http, id, ctx.signal)),
  });
}

function syncRoles(ctx: SyncContext): Promise<void> {
  return syncGroups(ctx, {
    kind: 'role',
    list: () => listProfiles(ctx.http, ctx.signal),
    keyOf: (item) => item.payload.id,
    row: async (item) => roleRow(item, await getProfilePermissions(ctx.http, item.payload.id, ctx.signal)),
    members: async (id) => (await listProfileUsers(ctx.http, id, ctx.signal)).map((item) => ({ userId: item.payload.user_id, detailJson: null })),
  });
}

function syncTeams(ctx: SyncContext): Promise<void> {
  return syncGroups(ctx, {
    kind: 'team',
    list: () => listTeams(ctx.http, ctx.signal),
    keyOf: (item) => item.payload.team_id,
    row: (item) => Promise.resolve(teamRow(item)),
    members: async (id) => (await listTeamMembers(ctx.http, id, ctx.signal)).map((item) => teamMember(item.payload)),
  });
}

/**
 * Archives the whole directory: the four sources side by side (each on its own rate families),
 * each through runOptionalSource. Never throws for one source's refusal or failure; rethrows what
 * stops every source (authorisation, a full disk).
 */
export async function syncDirectory(ctx: SyncContext): Promise<void> {
  const results = await Promise.allSettled([
    runOptionalSource(ctx, directorySources.department, () => syncDepartments(ctx)),
    runOptionalSource(ctx, directorySources.designation, () => syncDesignations(ctx)),
    runOptionalSource(ctx, directorySources.role, () => syncRoles(ctx)),
    runOptionalSource(ctx, directorySources.team, () => syncTeams(ctx)),
  ]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}
