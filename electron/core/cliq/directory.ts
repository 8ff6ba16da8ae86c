import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { parseJsonBody } from '../util/json';
import type { Family } from './families';
import type { CliqHttp } from './http';
import { envelope, validateItems, walk, type Page } from './rest';
import { idSchema } from './schemas';

/**
 * The org directory's reads (docs/cliq-api.md §7.7): departments (D1, D3), designations (G1, G3),
 * roles (R1, R2 and a role's permissions) and teams (T1, T3). Every listing follows `next_token`
 * when one comes back and stops when it is absent, so an endpoint documented without paging costs
 * one call, and one that pages after all is still read whole.
 *
 * The schemas accept the quirks the pages show: `members_count` as a string, `team_id` as a number
 * or a string, `is_active` as a boolean or "true", the default department with only id, name and
 * is_default, an optional `lead`, R2 items that are only `{user_id}`.
 */

const optionalText = z.string().optional().nullable();
const optionalId = idSchema.optional().nullable();
const flag = z.union([z.boolean(), z.string()]).optional().nullable();
const count = z.union([z.number(), z.string()]).optional().nullable();
/** Every directory listing: a collection key (checked apart) and maybe a cursor. */
const cursorPage = z.looseObject({ next_token: z.string().optional().nullable() });

export const departmentSchema = z.looseObject({
  id: idSchema,
  name: optionalText,
  parent_department_id: optionalId,
  lead_zuid: optionalId,
  lead: z.looseObject({ id: optionalId, zuid: optionalId }).optional().nullable(),
  members_count: count,
  is_default: flag,
});
export type DepartmentPayload = z.infer<typeof departmentSchema>;

export const designationSchema = z.looseObject({ id: idSchema, name: optionalText });
export type DesignationPayload = z.infer<typeof designationSchema>;

/** A user summary (D3, G3): `id` and `zuid` name the same user; either may be the one sent. */
export const memberSummarySchema = z.looseObject({ id: optionalId, zuid: optionalId, user_id: optionalId, name: optionalText, email_id: optionalText });
export type MemberSummaryPayload = z.infer<typeof memberSummarySchema>;

export const profileSchema = z.looseObject({
  id: idSchema,
  name: optionalText,
  profile_type: optionalText,
  is_default: flag,
  is_custom_admin: flag,
  description: optionalText,
  creation_time: optionalText,
  last_modified_time: optionalText,
});
export type ProfilePayload = z.infer<typeof profileSchema>;

export const profileUserSchema = z.looseObject({ user_id: idSchema });

export const teamSchema = z.looseObject({
  team_id: idSchema,
  name: optionalText,
  description: optionalText,
  creation_time: optionalText,
  participant_count: count,
  is_active: flag,
});
export type TeamPayload = z.infer<typeof teamSchema>;

export const teamMemberSchema = z.looseObject({ user_id: idSchema, display_name: optionalText, is_moderator: flag });
export type TeamMemberPayload = z.infer<typeof teamMemberSchema>;

/** A page size Cliq accepts where it documents `limit` (D1's default is 25; no maximum is documented). */
const directoryLimit = 100;

interface ListSpec<T> {
  family: Family;
  path: string;
  /** The collection key of the envelope (`data`, `teams`, `members`). */
  key: string;
  schema: z.ZodType<T>;
  what: string;
  query?: Record<string, string | number | undefined>;
}

/** Reads a whole listing, following `next_token` while one comes back. */
async function listAll<T>(http: CliqHttp, spec: ListSpec<T>, signal?: AbortSignal): Promise<Page<T>['items']> {
  const items: Page<T>['items'] = [];
  for await (const page of walk<T>(
    (cursor) =>
      http.get({
        family: spec.family,
        path: spec.path,
        query: { ...spec.query, next_token: cursor },
        rest: true,
        accept: 'json',
        parse: (body) => {
          const parsed = envelope(cursorPage, body, spec.what);
          const list = parsed[spec.key];
          if (!Array.isArray(list)) throw new VaultError('MALFORMED_RESPONSE', `The ${spec.what} page has no \`${spec.key}\` list.`);
          const next = typeof parsed.next_token === 'string' && parsed.next_token !== '' ? parsed.next_token : undefined;
          return { items: validateItems(list, spec.schema, spec.what), next };
        },
        signal,
      }),
    spec.what,
  )) {
    items.push(...page.items);
  }
  return items;
}

const segment = (id: string) => encodeURIComponent(id);

/**
 * D1: every department. `search` is sent only when given: an org on Zoho People refuses D1 without
 * one (sync/directory.ts decides what to do about it).
 */
export function listDepartments(http: CliqHttp, signal?: AbortSignal, search?: string, limit = directoryLimit) {
  return listAll(http, { family: 'departments.list', path: '/api/v2/departments', key: 'data', schema: departmentSchema, what: 'departments', query: { limit, search } }, signal);
}

/** D3: the members of one department (no paging documented; a `next_token` is followed). */
export function listDepartmentMembers(http: CliqHttp, departmentId: string, signal?: AbortSignal) {
  return listAll(
    http,
    { family: 'departments.members', path: `/api/v2/departments/${segment(departmentId)}/members`, key: 'data', schema: memberSummarySchema, what: `members of department ${departmentId}` },
    signal,
  );
}

/** G1: every designation. */
export function listDesignations(http: CliqHttp, signal?: AbortSignal) {
  return listAll(http, { family: 'designations.list', path: '/api/v2/designations', key: 'data', schema: designationSchema, what: 'designations', query: { limit: directoryLimit } }, signal);
}

/** G3: the holders of one designation (`limit`, and `next_token` if one comes back). */
export function listDesignationMembers(http: CliqHttp, designationId: string, signal?: AbortSignal, limit = directoryLimit) {
  return listAll(
    http,
    {
      family: 'designations.members',
      path: `/api/v2/designations/${segment(designationId)}/members`,
      key: 'data',
      schema: memberSummarySchema,
      what: `members of designation ${designationId}`,
      query: { limit },
    },
    signal,
  );
}

/** R1: every role (Cliq calls them profiles). */
export function listProfiles(http: CliqHttp, signal?: AbortSignal) {
  return listAll(http, { family: 'profiles.list', path: '/api/v2/profiles', key: 'data', schema: profileSchema, what: 'roles' }, signal);
}

/** R2: who holds one role; each item is only `{user_id}`. */
export function listProfileUsers(http: CliqHttp, profileId: string, signal?: AbortSignal) {
  return listAll(http, { family: 'profiles.users', path: `/api/v2/profiles/${segment(profileId)}/users`, key: 'data', schema: profileUserSchema, what: `holders of role ${profileId}` }, signal);
}

/**
 * The permissions of one role: a map of module → `{is_admin_module, status, actions}`, returned
 * as the JSON object received (inside `data` when Cliq wraps it, else the body itself).
 */
export function getProfilePermissions(http: CliqHttp, profileId: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const what = `permissions of role ${profileId}`;
  return http.get({
    family: 'profiles.permissions',
    path: `/api/v2/profiles/${segment(profileId)}/permissions`,
    rest: true,
    accept: 'json',
    parse: (body) => {
      const parsed = parseJsonBody(body, what);
      const inner = isObject(parsed) && isObject(parsed.data) ? parsed.data : parsed;
      if (!isObject(inner)) throw new VaultError('MALFORMED_RESPONSE', `The ${what} are not a JSON object.`);
      return inner;
    },
    signal,
  });
}

/** T1: every team (`{teams: […]}`). */
export function listTeams(http: CliqHttp, signal?: AbortSignal) {
  return listAll(http, { family: 'teams.list', path: '/api/v2/teams', key: 'teams', schema: teamSchema, what: 'teams' }, signal);
}

/** T3: the members of one team (`{members: […]}`), moderators flagged. */
export function listTeamMembers(http: CliqHttp, teamId: string, signal?: AbortSignal) {
  return listAll(http, { family: 'teams.members', path: `/api/v2/teams/${segment(teamId)}/members`, key: 'members', schema: teamMemberSchema, what: `members of team ${teamId}` }, signal);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
