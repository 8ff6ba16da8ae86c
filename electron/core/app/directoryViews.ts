import type Database from 'better-sqlite3-multiple-ciphers';
import { personNamer } from '../archive/mentionResolver';
import type { AdminRoleInterval, Assignment, DirectoryGroup, DirectoryKind, DirectoryPage, DirectoryPerson, OptionalSourceView } from '../../../shared/evidence';
import { adminRoleHolders, directoryGroups } from '../archive/directoryReads';
import { directorySources } from '../sync/directory';
import { optionalSourceViews } from '../sync/optionalSources';

/**
 * The Directory screen's reads and the directory pickers' (archive:directory, archive:groups,
 * archive:adminRoles), on the app's read-only connection. An archive before migration 0063 has no
 * directory: every read answers empty rather than failing.
 */

const hasDirectory = (db: Database.Database) => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'view' AND name = 'directory_intervals'").get() !== undefined;

/** Every group, live and gone, with its members now: for the pickers and the groups list. */
export function groupViews(db: Database.Database): DirectoryGroup[] {
  if (!hasDirectory(db)) return [];
  return directoryGroups(db).map(({ kind, groupId, name, members, isAdmin, goneAt }) => ({ kind, groupId, name, members, admin: isAdmin, goneAt }));
}

/** Who held an admin role, when: the intervals still held first (by name), then the ended ones, latest end first. */
export function adminRoleViews(db: Database.Database): AdminRoleInterval[] {
  if (!hasDirectory(db)) return [];
  const named = personNamer(db);
  return adminRoleHolders(db)
    .map((h) => ({
      userId: h.userId,
      name: named(h.userId, h.userName),
      email: h.email,
      roleId: h.groupId,
      roleName: h.groupName,
      profileType: h.isCustomAdmin ? 'custom admin' : h.profileType,
      start: h.startedAt,
      startSource: h.startSource,
      startNoticedAt: h.startNoticedAt,
      end: h.endedAt,
    }))
    .sort(
      (a, b) =>
        Number(a.end !== null) - Number(b.end !== null) ||
        (b.end ?? 0) - (a.end ?? 0) ||
        (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') ||
        a.userId.localeCompare(b.userId) ||
        a.startNoticedAt - b.startNoticedAt,
    );
}

interface PersonRow {
  user_id: string;
  name: string | null;
  email: string | null;
  status: string | null;
  gone_at: number | null;
}

interface AssignmentRow {
  user_id: string;
  kind: DirectoryKind;
  group_id: string;
  group_name: string | null;
  detail_json: string | null;
  start_source: 'first_archived' | 'noticed';
  started_at: number | null;
  start_noticed_at: number;
  ended_at: number | null;
}

/**
 * One page of the people of the directory — everyone the users listing or a group listing named —
 * ordered by name, with every assignment interval each had (held ones first). `text` matches a
 * name, an e-mail, a user id, or the name of a group someone is in now. Paged with offset/limit so
 * an org of 10,000 people answers in one small query per page.
 */
export function directoryPage(db: Database.Database, request: { text?: string | undefined; offset: number; limit: number }): DirectoryPage {
  const sources = sourceViews(db);
  if (!hasDirectory(db)) return { people: [], total: 0, sources };
  const text = request.text?.trim() ?? '';
  const params = { text: text === '' ? null : text, like: `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` };
  const from = `FROM (SELECT user_id FROM users UNION SELECT user_id FROM directory_assignments) p LEFT JOIN users u ON u.user_id = p.user_id
    WHERE @text IS NULL OR u.name LIKE @like ESCAPE '\\' OR u.display_name LIKE @like ESCAPE '\\' OR u.email LIKE @like ESCAPE '\\' OR p.user_id = @text
       OR EXISTS (SELECT 1 FROM directory_intervals i WHERE i.user_id = p.user_id AND i.ended_at IS NULL AND i.group_name LIKE @like ESCAPE '\\')`;
  const total = db.prepare<typeof params, number>(`SELECT count(*) ${from}`).pluck().get(params) ?? 0;
  const rows = db
    .prepare<typeof params & { limit: number; offset: number }, PersonRow>(
      `SELECT p.user_id, coalesce(u.name, u.display_name) AS name, u.email, u.status, u.gone_at ${from}
        ORDER BY coalesce(u.name, u.display_name) IS NULL, coalesce(u.name, u.display_name) COLLATE NOCASE, p.user_id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: request.limit, offset: request.offset });
  const byUser = new Map<string, Assignment[]>();
  const assignments = db
    .prepare<[string], AssignmentRow>(
      `SELECT user_id, kind, group_id, group_name, detail_json, start_source, started_at, start_noticed_at, ended_at
         FROM directory_intervals WHERE user_id IN (SELECT value FROM json_each(?))
        ORDER BY user_id, ended_at IS NOT NULL, kind, start_noticed_at DESC, id`,
    )
    .all(JSON.stringify(rows.map((r) => r.user_id)));
  for (const a of assignments) {
    const list = byUser.get(a.user_id) ?? [];
    list.push({
      kind: a.kind,
      groupId: a.group_id,
      groupName: a.group_name,
      start: a.started_at,
      startSource: a.start_source,
      startNoticedAt: a.start_noticed_at,
      end: a.ended_at,
      detail: a.detail_json,
    });
    byUser.set(a.user_id, list);
  }
  const named = personNamer(db);
  const people: DirectoryPerson[] = rows.map((r) => ({
    userId: r.user_id,
    name: named(r.user_id, r.name),
    email: r.email,
    status: r.status,
    goneAt: r.gone_at,
    assignments: byUser.get(r.user_id) ?? [],
  }));
  return { people, total, sources };
}

/**
 * How each directory source fared at its last run, with its rows: the sources' one declaration
 * (sync/optionalSources.ts), narrowed to the directory's four.
 */
export function sourceViews(db: Database.Database): OptionalSourceView[] {
  const datasets = new Set<string>(Object.values(directorySources).map((source) => source.dataset));
  return optionalSourceViews(db).filter((view) => datasets.has(view.dataset));
}
