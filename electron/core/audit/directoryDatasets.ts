import type { Column, Dataset } from './datasets';

/**
 * The org directory in an audit bundle (migration 0063). Decision: the groups — departments,
 * designations, roles, teams — are small reference tables and go into every bundle whole, so a
 * scoped bundle can still name every group; the membership intervals follow the scope's people
 * (temp.scope_users: members of the conversations in scope and senders of its messages), or
 * everyone without a scope. role_members is the privileged-access evidence: with roles.is_admin
 * it says who held an admin role, from when to when.
 */

const groupLife = (what: string): Column[] => [
  { name: 'members_listed_at', type: 'time', meaning: `When the ${what}'s members were first listed completely: those listed then were members when first archived.` },
  { name: 'first_seen_at', type: 'time', meaning: `When the archive first saw this ${what}.` },
  { name: 'last_seen_at', type: 'time', meaning: `When a sync last saw this ${what} on Cliq.` },
  { name: 'gone_at', type: 'time', meaning: `When the archive noticed this ${what} gone from Cliq (empty while it is there). The data is kept.` },
  { name: 'row_hash', type: 'text', meaning: 'SHA-256 of the archived row (see README.txt: ties this line to the sealed archive).' },
];

const groupLifeSql = 'g.members_listed_at, g.first_seen_at, g.last_seen_at, g.gone_at, g.row_hash, g.source_json AS source';

/** A kind's membership intervals, from the directory_intervals view. */
function intervals(name: string, kind: string, group: string, meaning: string): Dataset {
  return {
    name,
    meaning:
      `${meaning} One line per period. A person already listed when the ${group} was first archived has start_source first_archived and no started_at: ` +
      'when they joined is unknown, never the date of that sync.',
    columns: [
      { name: `${kind}_id`, type: 'id', meaning: `The ${group} (see ${kind === 'role' ? 'roles' : `${kind}s`}).` },
      { name: `${kind}_name`, type: 'text', meaning: `Its name as the archive holds it now.` },
      { name: 'user_id', type: 'id', meaning: 'The person (see users).' },
      { name: 'start_source', type: 'text', meaning: 'first_archived (a member when first archived) or noticed (a later listing showed them: began between the listing before and start_noticed_at).' },
      { name: 'started_at', type: 'time', meaning: 'When it began as far as the archive can tell (start_source noticed); empty for first_archived.' },
      { name: 'start_noticed_at', type: 'time', meaning: 'When the archive first saw this person listed in this interval.' },
      { name: 'last_seen_at', type: 'time', meaning: 'When a sync last saw them listed.' },
      { name: 'ended_at', type: 'time', meaning: 'When a sync noticed them no longer listed (ended between last_seen_at and then); empty while it holds.' },
      { name: 'detail', type: 'json', meaning: 'What the listing said of them in the group, e.g. a team\'s {"is_moderator":true}; null for nothing.' },
      { name: 'row_hash', type: 'text', meaning: 'SHA-256 of the archived interval row (see README.txt).' },
    ],
    sql: (scoped) => `SELECT i.group_id AS ${kind}_id, i.group_name AS ${kind}_name, i.user_id, i.start_source, i.started_at, i.start_noticed_at, i.last_seen_at, i.ended_at,
        i.detail_json AS detail, i.row_hash
      FROM directory_intervals i ${scoped ? 'JOIN temp.scope_users s ON s.user_id = i.user_id' : ''}
      WHERE i.kind = '${kind}' ORDER BY i.group_id, i.user_id, i.start_noticed_at, i.id`,
  };
}

export const directoryDatasets: Dataset[] = [
  {
    name: 'departments',
    meaning: "The org's departments (every one, whatever the scope).",
    columns: [
      { name: 'department_id', type: 'id', meaning: 'Cliq department id.' },
      { name: 'name', type: 'text', meaning: 'Department name.' },
      { name: 'parent_department_id', type: 'id', meaning: 'The parent department (empty for the default one).' },
      { name: 'lead_user_id', type: 'id', meaning: 'The department lead, if Cliq names one.' },
      { name: 'members_count', type: 'int', meaning: 'Members Cliq reported at the last sync.' },
      { name: 'is_default', type: 'bool', meaning: "The org's default (root) department." },
      ...groupLife('department'),
      { name: 'source', type: 'json', meaning: 'The department as received.' },
    ],
    sql: () => `SELECT g.department_id, g.name, g.parent_department_id, g.lead_user_id, g.members_count, g.is_default, ${groupLifeSql}
      FROM departments g ORDER BY g.department_id`,
  },
  intervals('department-members', 'department', 'department', 'Who belonged to which department, when.'),
  {
    name: 'designations',
    meaning: "The org's designations (job titles; every one, whatever the scope).",
    columns: [
      { name: 'designation_id', type: 'id', meaning: 'Cliq designation id.' },
      { name: 'name', type: 'text', meaning: 'Designation name.' },
      ...groupLife('designation'),
      { name: 'source', type: 'json', meaning: 'The designation as received.' },
    ],
    sql: () => `SELECT g.designation_id, g.name, ${groupLifeSql} FROM designations g ORDER BY g.designation_id`,
  },
  intervals('designation-members', 'designation', 'designation', 'Who held which designation, when.'),
  {
    name: 'roles',
    meaning: "The org's roles (Cliq's profiles: Admin, Cliq Admin, Members and custom ones; every one, whatever the scope), with their permissions.",
    columns: [
      { name: 'role_id', type: 'id', meaning: 'Cliq profile id.' },
      { name: 'name', type: 'text', meaning: 'Role name.' },
      { name: 'profile_type', type: 'text', meaning: 'Admin, Cliq Admin or Members, as Cliq reports it.' },
      { name: 'is_default', type: 'bool', meaning: 'One of the roles every org has.' },
      { name: 'is_custom_admin', type: 'bool', meaning: 'A custom role with admin rights.' },
      { name: 'is_admin', type: 'bool', meaning: 'Privileged access: profile_type Admin or Cliq Admin, or is_custom_admin (derived by the archive).' },
      { name: 'permissions', type: 'json', meaning: 'The permissions map as received (module → is_admin_module, status, actions).' },
      ...groupLife('role'),
      { name: 'source', type: 'json', meaning: 'The role and its permissions as received: {"profile": …, "permissions": …}.' },
    ],
    sql: () => `SELECT g.role_id, g.name, g.profile_type, g.is_default, g.is_custom_admin, g.is_admin, g.permissions_json AS permissions, ${groupLifeSql}
      FROM roles g ORDER BY g.role_id`,
  },
  intervals('role-members', 'role', 'role', 'Who held which role, when: with roles.is_admin, who held an admin role.'),
  {
    name: 'teams',
    meaning: "The org's teams (every one, whatever the scope).",
    columns: [
      { name: 'team_id', type: 'id', meaning: 'Cliq team id.' },
      { name: 'name', type: 'text', meaning: 'Team name.' },
      { name: 'description', type: 'text', meaning: 'Description.' },
      { name: 'is_active', type: 'bool', meaning: 'Active, as Cliq reported it.' },
      { name: 'participant_count', type: 'int', meaning: 'Members Cliq reported at the last sync.' },
      ...groupLife('team'),
      { name: 'source', type: 'json', meaning: 'The team as received.' },
    ],
    sql: () => `SELECT g.team_id, g.name, g.description, g.is_active, g.participant_count, ${groupLifeSql} FROM teams g ORDER BY g.team_id`,
  },
  intervals('team-members', 'team', 'team', 'Who belonged to which team, when (detail: whether a moderator).'),
];
