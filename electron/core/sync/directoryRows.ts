import type { ListedMember } from '../archive/directoryRepo';
import type { EntityRow } from '../archive/entityStore';
import { parseCount, parseExportTime } from '../cliq/csv';
import type { DepartmentPayload, DesignationPayload, MemberSummaryPayload, ProfilePayload, TeamMemberPayload, TeamPayload } from '../cliq/directory';
import { truthy } from '../cliq/schemas';
import { canonicalJson } from '../util/json';
import { sourceHash } from './entityRows';

/**
 * Maps the directory's listing items to archive rows (migration 0063). Counts that move with every
 * membership change (members_count, participant_count) and what is relative to the caller (a
 * team's joined / is_moderator) are left out of the source hash: a new history version is made
 * only when the group itself changed (renamed, re-parented, permissions changed…).
 */

interface Item<T> {
  payload: T;
  raw: Record<string, unknown>;
}

const flagCell = (value: boolean | string | null | undefined): number => (truthy(value ?? undefined) ? 1 : 0);
const time = (value: string | null | undefined): number | null => (value ? (parseExportTime(value) ?? null) : null);

export function departmentRow({ payload, raw }: Item<DepartmentPayload>): EntityRow {
  return {
    key: payload.id,
    values: {
      name: payload.name ?? null,
      parent_department_id: payload.parent_department_id ?? null,
      // lead_zuid, else the lead object's id: the pages show either, and the default department neither.
      lead_user_id: payload.lead_zuid ?? payload.lead?.id ?? payload.lead?.zuid ?? null,
      members_count: parseCount(payload.members_count) ?? null,
      is_default: flagCell(payload.is_default),
    },
    sourceJson: JSON.stringify(raw),
    sourceHash: sourceHash(raw, ['members_count']),
  };
}

export function designationRow({ payload, raw }: Item<DesignationPayload>): EntityRow {
  return { key: payload.id, values: { name: payload.name ?? null }, sourceJson: JSON.stringify(raw), sourceHash: sourceHash(raw, []) };
}

/** Admin and Cliq Admin profiles, and any custom admin, hold privileged access. */
export function isAdminProfile(payload: ProfilePayload): boolean {
  return payload.profile_type === 'Admin' || payload.profile_type === 'Cliq Admin' || truthy(payload.is_custom_admin ?? undefined);
}

/** A role is its R1 item and its permissions map, kept together so history keeps both. */
export function roleRow({ payload, raw }: Item<ProfilePayload>, permissions: Record<string, unknown>): EntityRow {
  const source = { profile: raw, permissions };
  return {
    key: payload.id,
    values: {
      name: payload.name ?? null,
      profile_type: payload.profile_type ?? null,
      description: payload.description ?? null,
      is_default: flagCell(payload.is_default),
      is_custom_admin: flagCell(payload.is_custom_admin),
      is_admin: isAdminProfile(payload) ? 1 : 0,
      permissions_json: JSON.stringify(permissions),
      created_at: time(payload.creation_time),
      last_modified: time(payload.last_modified_time),
    },
    sourceJson: JSON.stringify(source),
    sourceHash: sourceHash(source, []),
  };
}

export function teamRow({ payload, raw }: Item<TeamPayload>): EntityRow {
  return {
    key: payload.team_id,
    values: {
      name: payload.name ?? null,
      description: payload.description ?? null,
      is_active: payload.is_active === undefined || payload.is_active === null ? null : flagCell(payload.is_active),
      participant_count: parseCount(payload.participant_count) ?? null,
      created_at: time(payload.creation_time),
    },
    sourceJson: JSON.stringify(raw),
    sourceHash: sourceHash(raw, ['participant_count', 'joined', 'is_moderator']),
  };
}

/** A D3/G3 user summary as a member: `id`, else `zuid`, else `user_id` (null when it names nobody). */
export function summaryMember(payload: MemberSummaryPayload): ListedMember | null {
  const userId = payload.id ?? payload.zuid ?? payload.user_id ?? null;
  return userId === null ? null : { userId, detailJson: null };
}

/** A T3 member: the moderator flag is the interval's detail. */
export function teamMember(payload: TeamMemberPayload): ListedMember {
  return { userId: payload.user_id, detailJson: canonicalJson({ is_moderator: truthy(payload.is_moderator ?? undefined) }) };
}
