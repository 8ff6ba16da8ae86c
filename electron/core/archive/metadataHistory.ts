import type Database from 'better-sqlite3-multiple-ciphers';
import type { FieldChange, HistorySubject, MetadataChange, MetadataHistory } from '../../../shared/views';

/**
 * A conversation's, a person's or a directory group's metadata history, for people to read: each state the archive
 * replaced (entity_history) compared field by field with the state that replaced it. The states
 * are Cliq's payloads verbatim (the export row, the listing item, or both under `export`/`rest`),
 * so fields are compared by their dotted path, nested objects one level deep. Fields that move
 * with every message (counts, last-message times) never made a new state (entityRows.ts), but a
 * new state carries their then-current values: they are left out here too, so a rename reads as a
 * rename and not as a rename plus a message count.
 */

/** Which archive rows make up a subject, by entity_history kind: its table and key column. */
const records: Record<HistorySubject, { kind: string; table: string; keyColumn: string; keySql: string }[]> = {
  conversation: [
    { kind: 'chat', table: 'chats', keyColumn: 'chat_id', keySql: '@key' },
    // A channel's conversation is keyed by its chat id; its channel row by the channel id.
    { kind: 'channel', table: 'channels', keyColumn: 'channel_id', keySql: '(SELECT channel_id FROM channels WHERE chat_id = @key)' },
    { kind: 'thread', table: 'threads', keyColumn: 'thread_chat_id', keySql: '@key' },
  ],
  user: [{ kind: 'user', table: 'users', keyColumn: 'user_id', keySql: '@key' }],
  // The org directory's groups (migration 0063): one record each, keyed by Cliq's id.
  department: [{ kind: 'department', table: 'departments', keyColumn: 'department_id', keySql: '@key' }],
  designation: [{ kind: 'designation', table: 'designations', keyColumn: 'designation_id', keySql: '@key' }],
  role: [{ kind: 'role', table: 'roles', keyColumn: 'role_id', keySql: '@key' }],
  team: [{ kind: 'team', table: 'teams', keyColumn: 'team_id', keySql: '@key' }],
};

/** Fields whose every value differs from sync to sync without anything about the entity changing. */
const movingFields = new Set([
  'last_modified_time',
  'total_message_count',
  'participant_count',
  'last_message_info',
  'last_message_information',
  'unread_message_count',
  'unread_time',
  'muted_interval',
  'joined',
  'pinned',
  'current_user_role',
  'follower_count',
  'is_follower',
  'message_count',
]);

function flatten(source: unknown, prefix = '', depth = 0, out = new Map<string, string>()): Map<string, string> {
  if (source !== null && typeof source === 'object' && !Array.isArray(source) && depth < 2) {
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (movingFields.has(key)) continue;
      flatten(value, prefix === '' ? key : `${prefix}.${key}`, depth + 1, out);
    }
  } else if (source !== undefined && source !== null && prefix !== '') {
    out.set(prefix, typeof source === 'string' ? source : JSON.stringify(source));
  }
  return out;
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return { unreadable: json };
  }
}

/** What differs from `before` to `after`, field by field, in a stable order. */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields.filter((f) => a.get(f) !== b.get(f)).map((field) => ({ field, before: a.get(field) ?? null, after: b.get(field) ?? null }));
}

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function prepared(db: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map<string, Database.Statement>()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

export function metadataHistory(db: Database.Database, subject: HistorySubject, key: string): MetadataHistory {
  const changes: MetadataChange[] = [];
  let firstSeenAt: number | null = null;
  let goneAt: number | null = null;
  const subjects: string[] = [];
  for (const record of records[subject]) {
    // An archive read before its migration to 0063 has no directory tables: nothing to show.
    if (prepared(db, "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(record.table) === 0) continue;
    const current = prepared(db, `SELECT ${record.keyColumn} AS key, source_json, first_seen_at, gone_at FROM ${record.table} WHERE ${record.keyColumn} = ${record.keySql}`).get({ key }) as
      { key: string; source_json: string; first_seen_at: number; gone_at: number | null } | undefined;
    if (!current) continue;
    subjects.push(current.key);
    firstSeenAt = firstSeenAt === null ? current.first_seen_at : Math.min(firstSeenAt, current.first_seen_at);
    if (current.gone_at !== null) goneAt = Math.max(goneAt ?? 0, current.gone_at);
    const states = prepared(db, `SELECT source_json, seen_at, superseded_at, superseded_run FROM entity_history WHERE kind = ? AND entity_key = ? ORDER BY superseded_at, id`).all(
      record.kind,
      current.key,
    ) as { source_json: string; seen_at: number; superseded_at: number; superseded_run: number | null }[];
    states.forEach((state, i) => {
      const next = states[i + 1]?.source_json ?? current.source_json;
      const diff = fieldChanges(parse(state.source_json), parse(next));
      // A state replaced by one differing only in moving fields is not a change a person would see.
      if (diff.length > 0) changes.push({ kind: record.kind, seenAt: state.seen_at, changedAt: state.superseded_at, runId: state.superseded_run, changes: diff });
    });
  }
  changes.sort((a, b) => b.changedAt - a.changedAt || a.kind.localeCompare(b.kind));
  const events =
    subjects.length === 0
      ? []
      : (prepared(db, `SELECT at, kind, coalesce(detail, '') AS detail FROM archive_events WHERE subject IN (SELECT value FROM json_each(?)) ORDER BY at DESC, id DESC LIMIT 200`).all(
          JSON.stringify(subjects),
        ) as { at: number; kind: string; detail: string }[]);
  return { firstSeenAt, goneAt, changes, events };
}
