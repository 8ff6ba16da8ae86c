import { badRequest, notFound } from '../http/errors';
import { optionalBool, pageLimit } from '../http/params';
import { jsonReply } from '../http/reply';
import type { Directory, Profile } from '../org/directory';
import { departmentMembers, designationMembers, roleHolders } from '../org/directory';
import type { Org, User } from '../org/model';
import { isoWithOffset } from '../time';
import { param, type ApiRequest, type ApiRoute } from './types';

/**
 * The org directory's reads (docs/cliq-api.md §7.7, with the shapes the pages show):
 * D1/D3, G1/G3, R1/R2 and a role's permissions, T1/T3, with their quirks — members_count as a
 * string, the default department with only id/name/is_default, an optional lead, team_id as a
 * number for some teams and is_active as "true" for others, R2 items only `{user_id}`, teams and
 * team members outside any `data` wrapper. `peopleIntegrated` makes D1 refuse a request without a
 * non-empty `search` (an org on Zoho People).
 */

function directoryOf(request: ApiRequest): Directory {
  const directory = request.state.org.directory;
  if (!directory) throw notFound();
  return directory;
}

/** A user summary as D3 and G3 give it. */
function summary(org: Org, user: User): Record<string, unknown> {
  return { id: user.id, zuid: user.id, zoid: org.zoid, organization_id: org.id, email_id: user.email, display_name: user.displayName, name: user.fullName };
}

/** `limit` + `next_token` over a list (the token carries the offset and the list it belongs to). */
function paged<T>(request: ApiRequest, kind: string, items: T[], fallback: number): { page: T[]; next?: string } {
  const { state, query } = request;
  const limit = pageLimit(query, fallback, state.options.limitOverMax);
  let offset = 0;
  const token = query.get('next_token');
  if (token !== null) {
    const decoded = state.cursors.decode(token, kind);
    if (!decoded || typeof decoded.o !== 'number') throw badRequest('invalid next_token');
    offset = decoded.o;
  }
  const page = items.slice(offset, offset + limit);
  if (offset + limit >= items.length) return { page };
  return { page, next: state.cursors.encode({ k: kind, o: offset + limit }) };
}

const withNext = (body: Record<string, unknown>, next: string | undefined) => (next === undefined ? body : { ...body, next_token: next });

const listDepartments: ApiRoute = {
  method: 'GET',
  path: '/api/v2/departments',
  family: 'departments.list',
  handle(request) {
    const { org, options } = request.state;
    const directory = directoryOf(request);
    const search = request.query.get('search')?.toLowerCase();
    if (options.peopleIntegrated && (search === undefined || search === '')) throw badRequest('search is mandatory for an organisation on Zoho People');
    const all: Record<string, unknown>[] = [
      { id: directory.root.id, name: directory.root.name, is_default: true },
      ...directory.departments.map(({ unit, lead }) => {
        const item: Record<string, unknown> = {
          id: unit.id,
          name: unit.name,
          parent_department_id: directory.root.id,
          members_count: String(departmentMembers(org, unit.id).length),
          is_default: false,
        };
        const leader = lead === null ? undefined : org.users[lead];
        if (leader) {
          item.lead_zuid = leader.id;
          item.lead = { id: leader.id, zuid: leader.id, name: leader.fullName, email_id: leader.email };
        }
        return item;
      }),
    ];
    const matching = search ? all.filter((d) => String(d.name).toLowerCase().includes(search)) : all;
    // D1's documented default page is 25.
    const { page, next } = paged(request, 'departments', matching, 25);
    return jsonReply(withNext({ data: page }, next));
  },
};

const departmentMembersRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v2/departments/{department_id}/members',
  family: 'departments.members',
  handle(request) {
    const directory = directoryOf(request);
    const id = param(request, 'department_id');
    if (id !== directory.root.id && !directory.departments.some((d) => d.unit.id === id)) throw notFound();
    const { org } = request.state;
    return jsonReply({ data: departmentMembers(org, id).map((u) => summary(org, u)) });
  },
};

const listDesignations: ApiRoute = {
  method: 'GET',
  path: '/api/v2/designations',
  family: 'designations.list',
  handle(request) {
    const search = request.query.get('search')?.toLowerCase();
    const all = directoryOf(request).designations.filter((g) => !search || g.name.toLowerCase().includes(search));
    const { page, next } = paged(request, 'designations', all, 100);
    return jsonReply(withNext({ data: page.map((g) => ({ id: g.id, name: g.name })) }, next));
  },
};

const designationMembersRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v2/designations/{designation_id}/members',
  family: 'designations.members',
  handle(request) {
    const id = param(request, 'designation_id');
    if (!directoryOf(request).designations.some((g) => g.id === id)) throw notFound('designation_not_exist');
    const { org, options } = request.state;
    const { page, next } = paged(request, `designation:${id}`, designationMembers(org, id), options.defaultPageSize);
    return jsonReply(withNext({ data: page.map((u) => summary(org, u)) }, next));
  },
};

function profileItem(request: ApiRequest, profile: Profile): Record<string, unknown> {
  const { org, options } = request.state;
  const item: Record<string, unknown> = {
    id: profile.id,
    name: profile.name,
    profile_type: profile.type,
    is_default: profile.isDefault,
    is_custom_admin: profile.isCustomAdmin,
    organization_id: org.id,
    creation_time: isoWithOffset(profile.creationTime, options.timezoneOffsetMinutes),
    last_modified_time: isoWithOffset(profile.lastModifiedTime, options.timezoneOffsetMinutes),
  };
  if (profile.description !== '') item.description = profile.description;
  return item;
}

function profileOf(request: ApiRequest): Profile {
  const profile = directoryOf(request).profiles.find((p) => p.id === param(request, 'PROFILE_ID'));
  if (!profile) throw notFound();
  return profile;
}

const listProfiles: ApiRoute = {
  method: 'GET',
  path: '/api/v2/profiles',
  family: 'profiles.list',
  handle: (request) => jsonReply({ data: directoryOf(request).profiles.map((p) => profileItem(request, p)) }),
};

const profileUsers: ApiRoute = {
  method: 'GET',
  path: '/api/v2/profiles/{PROFILE_ID}/users',
  family: 'profiles.users',
  handle(request) {
    const profile = profileOf(request);
    return jsonReply({ data: roleHolders(request.state.org, profile.id).map((u) => ({ user_id: u.id })) });
  },
};

const profilePermissions: ApiRoute = {
  method: 'GET',
  path: '/api/v2/profiles/{PROFILE_ID}/permissions',
  family: 'profiles.permissions',
  handle: (request) => jsonReply({ data: profileOf(request).permissions }),
};

const listTeams: ApiRoute = {
  method: 'GET',
  path: '/api/v2/teams',
  family: 'teams.list',
  handle(request) {
    const { org, options } = request.state;
    const directory = directoryOf(request);
    const joined = optionalBool(request.query, 'joined');
    const teams = org.teams.flatMap((team, k) => {
      const info = directory.teams.get(team.id);
      if (!info) return [];
      const member = info.members.has(request.viewer);
      if (joined !== undefined && joined !== member) return [];
      return [
        {
          // The pages show team_id as a number in T1 and as a string in T2: both appear here.
          team_id: k % 2 === 0 ? Number(team.id) : team.id,
          name: team.name,
          description: info.description,
          organization_id: org.zoid,
          creation_time: isoWithOffset(info.creationTime, options.timezoneOffsetMinutes),
          is_active: k % 3 === 1 ? 'true' : true,
          is_moderator: info.members.get(request.viewer) === true,
          joined: member,
          participant_count: info.members.size,
        },
      ];
    });
    return jsonReply({ teams });
  },
};

const teamMembers: ApiRoute = {
  method: 'GET',
  path: '/api/v2/teams/{TEAM_ID}/members',
  family: 'teams.members',
  handle(request) {
    const { org } = request.state;
    const info = directoryOf(request).teams.get(param(request, 'TEAM_ID'));
    if (!info) throw notFound();
    const members = [...info.members].map(([index, moderator]) => ({ user_id: org.users[index]?.id ?? '', display_name: org.users[index]?.fullName ?? '', is_moderator: moderator }));
    return jsonReply({ members });
  },
};

export const directoryRoutes: ApiRoute[] = [listDepartments, departmentMembersRoute, listDesignations, designationMembersRoute, listProfiles, profileUsers, profilePermissions, listTeams, teamMembers];
