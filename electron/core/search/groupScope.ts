import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import type { DirectoryKind } from '../../../shared/evidence';

/** The directory filters of a search or an audit scope: group ids or exact names, per kind. */
export interface GroupFilter {
  departments?: readonly string[] | undefined;
  designations?: readonly string[] | undefined;
  teams?: readonly string[] | undefined;
  roles?: readonly string[] | undefined;
}

/**
 * One assignment interval as a message filter: messages sent by `userId` at a time t with
 * `from <= t < to`. null: open on that side (a start found at the group's first listing is
 * unknown, so the interval counts as covering everything before; an interval still held has no end).
 */
export type SenderSpan = [userId: string, from: number | null, to: number | null];

const filterKinds: { field: keyof GroupFilter; kind: DirectoryKind; table: string; key: string; noun: string }[] = [
  { field: 'departments', kind: 'department', table: 'departments', key: 'department_id', noun: 'department' },
  { field: 'designations', kind: 'designation', table: 'designations', key: 'designation_id', noun: 'designation' },
  { field: 'teams', kind: 'team', table: 'teams', key: 'team_id', noun: 'team' },
  { field: 'roles', kind: 'role', table: 'roles', key: 'role_id', noun: 'role' },
];

/** Whether any directory filter was given. */
export function hasGroupFilter(filter: GroupFilter): boolean {
  return filterKinds.some(({ field }) => filter[field] !== undefined);
}

/** The directory filters that were given, as "department Legal, role Admin" (for a bundle's scope rule). */
export function describeGroupFilter(filter: GroupFilter): string {
  return filterKinds.flatMap(({ field, noun }) => (filter[field] ?? []).map((ref) => `${noun} ${JSON.stringify(ref)}`)).join(', ');
}

/**
 * The sender spans of the groups a filter names (OR within and across kinds), or undefined when
 * it names none. Each reference is a group id or a group's exact name (case aside; a name several
 * groups share, a gone one included, names them all). An unknown one is a USAGE error listing the
 * close names.
 *
 * A span runs from the sync that noticed the assignment — or, for one found at the group's first
 * listing (start unknown), from always — until the sync that noticed it ended: a message before a
 * noticed start or at/after a noticed end is out.
 */
export function groupSpans(db: Database.Database, filter: GroupFilter): SenderSpan[] | undefined {
  if (!hasGroupFilter(filter)) return undefined;
  if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'view' AND name = 'directory_intervals'").get()) {
    throw new VaultError('USAGE', 'This archive has no org directory yet.', { hint: 'Open it with this version and sync once with the directory scopes granted.' });
  }
  const groups: { kind: DirectoryKind; id: string }[] = [];
  for (const spec of filterKinds) {
    for (const ref of filter[spec.field] ?? []) groups.push(...resolveGroup(db, spec, ref).map((id) => ({ kind: spec.kind, id })));
  }
  return db
    .prepare<[string], { user_id: string; started_at: number | null; ended_at: number | null }>(
      `SELECT i.user_id, i.started_at, i.ended_at
         FROM directory_intervals i JOIN json_each(?) g ON g.value ->> '$.kind' = i.kind AND g.value ->> '$.id' = i.group_id
        ORDER BY i.user_id, i.id`,
    )
    .all(JSON.stringify(groups))
    .map((r) => [r.user_id, r.started_at, r.ended_at]);
}

/**
 * Puts `spans` in temp.search_spans (indexed by user) on this connection, replacing what an earlier
 * search left there: the row check looks each message's sender up there. A JSON list checked per
 * row measured 44 s for 300k messages and 1,500 spans; the indexed table, 78 ms. Temp tables live
 * beside the archive, not in it, so a read-only connection may write them (audit scopes do too);
 * searches on one connection run one at a time (better-sqlite3 is synchronous).
 */
export function loadSpans(db: Database.Database, spans: readonly SenderSpan[]): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS search_spans (user_id TEXT NOT NULL, from_time INTEGER, to_time INTEGER);
    CREATE INDEX IF NOT EXISTS temp.search_spans_user ON search_spans (user_id);
    DELETE FROM temp.search_spans;`);
  const insert = db.prepare('INSERT INTO temp.search_spans (user_id, from_time, to_time) VALUES (?, ?, ?)');
  for (const [user, from, to] of spans) insert.run(user, from, to);
}

/** The ids of the groups of one kind that `ref` names: its id, else its exact name, else its name in any case. */
function resolveGroup(db: Database.Database, spec: (typeof filterKinds)[number], ref: string): string[] {
  const byId = db.prepare<[string], string>(`SELECT ${spec.key} FROM ${spec.table} WHERE ${spec.key} = ?`).pluck().all(ref);
  if (byId.length > 0) return byId;
  const byName = db.prepare<[string], string>(`SELECT ${spec.key} FROM ${spec.table} WHERE name = ? ORDER BY ${spec.key}`).pluck().all(ref);
  if (byName.length > 0) return byName;
  const anyCase = db.prepare<[string], string>(`SELECT ${spec.key} FROM ${spec.table} WHERE lower(name) = lower(?) ORDER BY ${spec.key}`).pluck().all(ref);
  if (anyCase.length > 0) return anyCase;
  const names = db.prepare<[], string>(`SELECT DISTINCT name FROM ${spec.table} WHERE name IS NOT NULL ORDER BY name`).pluck().all();
  const close = closeNames(ref, names);
  throw new VaultError('USAGE', `No ${spec.noun} has the id or name ${JSON.stringify(ref)}.${close.length > 0 ? ` Close names: ${close.map((n) => JSON.stringify(n)).join(', ')}.` : ''}`, {
    hint: names.length === 0 ? `The archive holds no ${spec.noun}s: sync with the directory scopes granted.` : `Give a ${spec.noun}'s id or its exact name, as the directory lists them.`,
  });
}

/** Up to five names near `ref`: containing it (or contained in it), or a few edits away. */
export function closeNames(ref: string, names: readonly string[]): string[] {
  const wanted = ref.toLowerCase();
  const scored = names
    .map((name) => {
      const lower = name.toLowerCase();
      const contains = lower.includes(wanted) || wanted.includes(lower);
      return { name, score: contains ? 0 : editDistance(wanted, lower) };
    })
    .filter((s) => s.score <= Math.max(2, Math.floor(wanted.length / 3)));
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 5)
    .map((s) => s.name);
}

/** Levenshtein distance (names are short). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
