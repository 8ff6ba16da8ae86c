import { hash32, Rng } from '../random';
import type { Org, OrgUnit, User } from './model';

/**
 * The org directory (docs/cliq-api.md §7.7): departments, designations, roles ("profiles") and
 * teams, with who belongs to each. Drawn from its own random stream, so adding it left every
 * generated org's existing content byte for byte as it was.
 *
 * Departments and designations are the units users already reference (U1 shows them): a user's
 * department is the one D3 lists them in, so U1 and D3 never disagree. Every user holds exactly one
 * role; the org admin holds Admin.
 */

export type ProfileType = 'Admin' | 'Cliq Admin' | 'Members';

export interface Profile {
  id: string;
  name: string;
  type: ProfileType;
  isDefault: boolean;
  isCustomAdmin: boolean;
  description: string;
  creationTime: number;
  lastModifiedTime: number;
  /** module → {is_admin_module, status, actions}, served as is by the permissions endpoint. */
  permissions: Record<string, { is_admin_module: boolean; status: string; actions: Record<string, boolean> }>;
}

export interface DepartmentInfo {
  unit: OrgUnit;
  /** The user index of the lead, or null (the `lead` object is then left out). */
  lead: number | null;
}

export interface TeamInfo {
  description: string;
  creationTime: number;
  /** User index → moderator. */
  members: Map<number, boolean>;
}

export interface Directory {
  /** The default (root) department: served with only id, name and is_default. */
  root: OrgUnit;
  departments: DepartmentInfo[];
  designations: OrgUnit[];
  profiles: Profile[];
  /** User index → profile id. */
  roleOf: Map<number, string>;
  /** Team id → its details and members. */
  teams: Map<string, TeamInfo>;
}

const DAY = 86_400_000;
const DIRECTORY_STREAM = 0xd12ec7;

function module(admin: boolean, actions: string[], enabled = true) {
  return { is_admin_module: admin, status: enabled ? 'enabled' : 'disabled', actions: Object.fromEntries(actions.map((a) => [a, enabled])) };
}

const adminPermissions = () => ({
  organization: module(true, ['manage_users', 'manage_roles', 'export_data']),
  channels: module(false, ['create', 'delete', 'manage_members']),
  bots: module(false, ['create', 'delete']),
});
const memberPermissions = () => ({
  organization: module(true, ['manage_users', 'manage_roles', 'export_data'], false),
  channels: module(false, ['create']),
  bots: module(false, ['create'], false),
});

/** Builds the directory of a generated org from the units its users reference. */
export function generateDirectory(org: Org, units: { departments: OrgUnit[]; designations: OrgUnit[] }, seed: number, now: number): Directory {
  const rng = new Rng(hash32(seed, DIRECTORY_STREAM));
  const root: OrgUnit = { id: `9${rng.digits(18)}`, name: org.name };
  const departments = units.departments.map((unit) => {
    const members = org.users.filter((u) => u.department.id === unit.id);
    return { unit, lead: members.length > 0 && rng.chance(0.7) ? rng.pick(members).index : null };
  });
  const created = now - 400 * DAY;
  const profile = (name: string, type: ProfileType, isDefault: boolean, isCustomAdmin: boolean, description: string, admin: boolean): Profile => ({
    id: `93${rng.digits(12)}`,
    name,
    type,
    isDefault,
    isCustomAdmin,
    description,
    creationTime: created,
    lastModifiedTime: created,
    permissions: admin ? adminPermissions() : memberPermissions(),
  });
  const profiles = [
    profile('Admin', 'Admin', true, false, 'Full control of the organisation', true),
    profile('Cliq Admin', 'Cliq Admin', true, false, 'Administers Cliq for the organisation', true),
    profile('Members', 'Members', true, false, '', false),
    profile('Compliance Officers', 'Members', false, true, 'Custom admin: retention and exports', true),
  ];
  const [admin, cliqAdmin, members, custom] = profiles as [Profile, Profile, Profile, Profile];
  const roleOf = new Map<number, string>();
  for (const user of org.users) roleOf.set(user.index, user.index === org.adminIndex ? admin.id : members.id);
  const others = org.users.filter((u) => u.index !== org.adminIndex && u.index !== org.memberIndex);
  const [cliqAdminHolder, customHolder] = rng.sample(others, 2);
  if (cliqAdminHolder) roleOf.set(cliqAdminHolder.index, cliqAdmin.id);
  if (customHolder) roleOf.set(customHolder.index, custom.id);

  const teams = new Map<string, TeamInfo>();
  for (const team of org.teams) {
    const picked = rng.sample(org.users, Math.min(org.users.length, rng.int(2, 6)));
    teams.set(team.id, {
      description: `${team.name} team`,
      creationTime: created + rng.int(0, 300) * DAY,
      members: new Map(picked.map((u, k) => [u.index, k === 0])),
    });
  }
  return { root, departments, designations: units.designations, profiles, roleOf, teams };
}

/** What a directory change between syncs did (MutationResult.directory). */
export interface DirectoryChange {
  change: 'department_moved' | 'role_granted' | 'role_revoked' | 'team_left' | 'designation_renamed';
  /** The person concerned (absent for a rename). */
  userId?: string;
  /** The group they joined, were granted, or that was renamed. */
  groupId: string;
  /** The group they left, or the earlier name of a renamed designation. */
  from?: string;
}

export interface DirectoryMutation {
  moveDepartments?: number | undefined;
  grantRoles?: number | undefined;
  revokeRoles?: number | undefined;
  leaveTeams?: number | undefined;
  renameDesignations?: number | undefined;
}

/**
 * Directory changes between syncs, drawn from their own stream (the message mutations' draws are
 * untouched). Granting makes a Members holder Cliq Admin; revoking returns a Cliq Admin or custom
 * admin holder (never the org admin) to Members.
 */
export function mutateDirectory(org: Org, spec: DirectoryMutation, seed: number, now: number): DirectoryChange[] {
  const directory = org.directory;
  const changes: DirectoryChange[] = [];
  if (!directory) return changes;
  const rng = new Rng(hash32(seed, DIRECTORY_STREAM));
  const byType = (type: ProfileType, custom = false) => directory.profiles.find((p) => p.type === type && p.isCustomAdmin === custom);
  const membersProfile = byType('Members');
  const cliqAdmin = byType('Cliq Admin');
  for (const user of rng.sample(org.users, spec.moveDepartments ?? 0)) {
    const to = rng.pick(directory.departments.filter((d) => d.unit.id !== user.department.id)).unit;
    changes.push({ change: 'department_moved', userId: user.id, groupId: to.id, from: user.department.id });
    user.department = to;
    user.modifiedTime = now;
  }
  const holders = (test: (profileId: string) => boolean) => org.users.filter((u) => u.index !== org.adminIndex && test(directory.roleOf.get(u.index) ?? ''));
  if (membersProfile && cliqAdmin) {
    // One change per person per mutation: whoever is granted here is not revoked in the same step.
    const grantedNow = new Set<number>();
    for (const user of rng.sample(
      holders((id) => id === membersProfile.id),
      spec.grantRoles ?? 0,
    )) {
      grantedNow.add(user.index);
      directory.roleOf.set(user.index, cliqAdmin.id);
      changes.push({ change: 'role_granted', userId: user.id, groupId: cliqAdmin.id, from: membersProfile.id });
    }
    const privileged = new Set(directory.profiles.filter((p) => p.type !== 'Members' || p.isCustomAdmin).map((p) => p.id));
    for (const user of rng.sample(
      holders((id) => privileged.has(id) && id !== byType('Admin')?.id).filter((u) => !grantedNow.has(u.index)),
      spec.revokeRoles ?? 0,
    )) {
      changes.push({ change: 'role_revoked', userId: user.id, groupId: membersProfile.id, from: directory.roleOf.get(user.index) ?? '' });
      directory.roleOf.set(user.index, membersProfile.id);
    }
  }
  const teamSeats = [...directory.teams].flatMap(([teamId, team]) => [...team.members.keys()].map((index) => ({ teamId, index })));
  for (const seat of rng.sample(teamSeats, spec.leaveTeams ?? 0)) {
    directory.teams.get(seat.teamId)?.members.delete(seat.index);
    changes.push({ change: 'team_left', userId: org.users[seat.index]?.id ?? '', groupId: seat.teamId });
  }
  for (const unit of rng.sample(directory.designations, spec.renameDesignations ?? 0)) {
    changes.push({ change: 'designation_renamed', groupId: unit.id, from: unit.name });
    // Users reference the unit itself: U1 shows the new name too.
    unit.name = `Senior ${unit.name.trim()}`;
  }
  return changes;
}

export interface DirectoryTruth {
  departments: { id: string; name: string; is_default: boolean; members: string[] }[];
  designations: { id: string; name: string; members: string[] }[];
  roles: { id: string; name: string; profile_type: ProfileType; is_custom_admin: boolean; is_admin: boolean; members: string[] }[];
  teams: { team_id: string; name: string; members: { user_id: string; is_moderator: boolean }[] }[];
}

const sortedIds = (users: User[]) => users.map((u) => u.id).sort();

/** The directory as the D/G/R/T endpoints serve it, ids sorted, for tests to compare with. */
export function directoryTruth(org: Org): DirectoryTruth {
  const directory = org.directory;
  if (!directory) return { departments: [], designations: [], roles: [], teams: [] };
  return {
    departments: [
      { id: directory.root.id, name: directory.root.name, is_default: true, members: [] },
      ...directory.departments.map((d) => ({ id: d.unit.id, name: d.unit.name, is_default: false, members: sortedIds(departmentMembers(org, d.unit.id)) })),
    ],
    designations: directory.designations.map((g) => ({ id: g.id, name: g.name, members: sortedIds(designationMembers(org, g.id)) })),
    roles: directory.profiles.map((p) => ({
      id: p.id,
      name: p.name,
      profile_type: p.type,
      is_custom_admin: p.isCustomAdmin,
      is_admin: p.type !== 'Members' || p.isCustomAdmin,
      members: sortedIds(roleHolders(org, p.id)),
    })),
    teams: org.teams.map((t) => ({
      team_id: t.id,
      name: t.name,
      members: [...(directory.teams.get(t.id)?.members ?? [])]
        .map(([index, moderator]) => ({ user_id: org.users[index]?.id ?? '', is_moderator: moderator }))
        .sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0)),
    })),
  };
}

export const departmentMembers = (org: Org, id: string): User[] => org.users.filter((u) => u.department.id === id);
export const designationMembers = (org: Org, id: string): User[] => org.users.filter((u) => u.designation.id === id);
export const roleHolders = (org: Org, profileId: string): User[] => org.users.filter((u) => org.directory?.roleOf.get(u.index) === profileId);
