import type Database from 'better-sqlite3-multiple-ciphers';
import type { DirectoryTotals } from '../../../shared/archive';
import type { DirectoryKind } from './directoryRepo';

/**
 * Reads of the org directory (migration 0063) for the CLI, and for the Directory screen and the
 * department/role scoping of search and audits that build on them. Every interval comes from the
 * `directory_intervals` view, so each says where its start came from: 'first_archived' (a member
 * when the group was first archived: started_at is null, the start is unknown) or 'noticed' (it
 * began between the listing before and start_noticed_at). An end is always 'noticed'.
 */

export interface DirectoryGroup {
  kind: DirectoryKind;
  groupId: string;
  name: string | null;
  /** Open intervals now. */
  members: number;
  /** For roles: Admin / Cliq Admin profile or a custom admin. */
  isAdmin: boolean;
  firstSeenAt: number;
  goneAt: number | null;
}

export interface DirectoryInterval {
  kind: DirectoryKind;
  groupId: string;
  groupName: string | null;
  userId: string;
  /** The user's name and e-mail from the users table (null for someone U1 never listed). */
  userName: string | null;
  email: string | null;
  /** What the listing said of them in the group (a team's `{"is_moderator":true}`), or null. */
  detailJson: string | null;
  startSource: 'first_archived' | 'noticed';
  startedAt: number | null;
  startNoticedAt: number;
  lastSeenAt: number;
  endedAt: number | null;
}

/** An interval in a role that grants privileged access (Admin, Cliq Admin, a custom admin). */
export interface AdminRoleHolding extends DirectoryInterval {
  profileType: string | null;
  isCustomAdmin: boolean;
}

interface IntervalRow {
  kind: DirectoryKind;
  group_id: string;
  group_name: string | null;
  user_id: string;
  user_name: string | null;
  email: string | null;
  detail_json: string | null;
  start_source: 'first_archived' | 'noticed';
  started_at: number | null;
  start_noticed_at: number;
  last_seen_at: number;
  ended_at: number | null;
}

const intervalColumns = `i.kind, i.group_id, i.group_name, i.user_id, u.name AS user_name, u.email, i.detail_json, i.start_source,
  i.started_at, i.start_noticed_at, i.last_seen_at, i.ended_at`;

function toInterval(row: IntervalRow): DirectoryInterval {
  return {
    kind: row.kind,
    groupId: row.group_id,
    groupName: row.group_name,
    userId: row.user_id,
    userName: row.user_name,
    email: row.email,
    detailJson: row.detail_json,
    startSource: row.start_source,
    startedAt: row.started_at,
    startNoticedAt: row.start_noticed_at,
    lastSeenAt: row.last_seen_at,
    endedAt: row.ended_at,
  };
}

/** Every group of the directory, live and gone, with its open membership count. */
export function directoryGroups(db: Database.Database): DirectoryGroup[] {
  const rows = db
    .prepare<[], { kind: DirectoryKind; group_id: string; name: string | null; is_admin: number; first_seen_at: number; gone_at: number | null; members: number }>(
      `WITH groups AS (
         SELECT 'department' AS kind, department_id AS group_id, name, 0 AS is_admin, first_seen_at, gone_at FROM departments
         UNION ALL SELECT 'designation', designation_id, name, 0, first_seen_at, gone_at FROM designations
         UNION ALL SELECT 'role', role_id, name, is_admin, first_seen_at, gone_at FROM roles
         UNION ALL SELECT 'team', team_id, name, 0, first_seen_at, gone_at FROM teams)
       SELECT g.kind, g.group_id, g.name, g.is_admin, g.first_seen_at, g.gone_at,
              (SELECT count(*) FROM directory_assignments a WHERE a.kind = g.kind AND a.group_id = g.group_id AND a.gone_at IS NULL) AS members
         FROM groups g ORDER BY g.kind, g.name, g.group_id`,
    )
    .all();
  return rows.map((r) => ({ kind: r.kind, groupId: r.group_id, name: r.name, members: r.members, isAdmin: r.is_admin === 1, firstSeenAt: r.first_seen_at, goneAt: r.gone_at }));
}

/** Every interval of every kind (or of one kind), in a total order: kind, group, person, start. */
export function directoryIntervals(db: Database.Database, kind?: DirectoryKind): DirectoryInterval[] {
  return db
    .prepare<[string | null, string | null], IntervalRow>(
      `SELECT ${intervalColumns}
         FROM directory_intervals i LEFT JOIN users u ON u.user_id = i.user_id
        WHERE (? IS NULL OR i.kind = ?)
        ORDER BY i.kind, i.group_id, i.user_id, i.start_noticed_at, i.id`,
    )
    .all(kind ?? null, kind ?? null)
    .map(toInterval);
}

/**
 * Who held a role granting privileged access — Admin, Cliq Admin, or a custom admin — from when to
 * when: the evidence auditors ask for first. A role counts by what the archive holds of it now
 * (roles.is_admin: profile_type Admin or Cliq Admin, or is_custom_admin). Ordered by person, then
 * start, then role.
 */
export function adminRoleHolders(db: Database.Database): AdminRoleHolding[] {
  return db
    .prepare<[], IntervalRow & { profile_type: string | null; is_custom_admin: number }>(
      `SELECT ${intervalColumns}, r.profile_type, r.is_custom_admin
         FROM directory_intervals i JOIN roles r ON r.role_id = i.group_id LEFT JOIN users u ON u.user_id = i.user_id
        WHERE i.kind = 'role' AND r.is_admin = 1
        ORDER BY i.user_id, i.start_noticed_at, i.group_id, i.id`,
    )
    .all()
    .map((row) => ({ ...toInterval(row), profileType: row.profile_type, isCustomAdmin: row.is_custom_admin === 1 }));
}

/** The directory's counts for `stats`; undefined for an archive before migration 0063. */
export function directoryTotals(db: Database.Database): DirectoryTotals | undefined {
  if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'directory_assignments'").get()) return undefined;
  const liveGone = (table: string) =>
    db.prepare<[], { live: number; gone: number }>(`SELECT count(*) FILTER (WHERE gone_at IS NULL) AS live, count(*) FILTER (WHERE gone_at IS NOT NULL) AS gone FROM ${table}`).get() ?? {
      live: 0,
      gone: 0,
    };
  const intervals = db
    .prepare<[], DirectoryTotals['intervals']>(
      `SELECT count(*) FILTER (WHERE gone_at IS NULL) AS open, count(*) FILTER (WHERE gone_at IS NOT NULL) AS closed,
              count(*) FILTER (WHERE first_listing = 1) AS firstArchived
         FROM directory_assignments`,
    )
    .get() ?? { open: 0, closed: 0, firstArchived: 0 };
  const admins = db
    .prepare<[], DirectoryTotals['admins']>(
      `SELECT count(DISTINCT a.user_id) FILTER (WHERE a.gone_at IS NULL) AS current, count(*) FILTER (WHERE a.gone_at IS NOT NULL) AS ended
         FROM directory_assignments a JOIN roles r ON r.role_id = a.group_id
        WHERE a.kind = 'role' AND r.is_admin = 1`,
    )
    .get() ?? { current: 0, ended: 0 };
  return { departments: liveGone('departments'), designations: liveGone('designations'), roles: liveGone('roles'), teams: liveGone('teams'), intervals, admins };
}
