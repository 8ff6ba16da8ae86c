import type Database from 'better-sqlite3-multiple-ciphers';
import type { Sealer } from './sealing/sealer';

/** entity_history's kinds: the directory's four came with migration 0063, calls and scheduled messages with 0065. */
export type EntityKind = 'chat' | 'channel' | 'thread' | 'user' | 'department' | 'designation' | 'role' | 'team' | 'call' | 'call_participant' | 'scheduled_message';
export type Cell = string | number | null;

/** Which sync run, and when, a write belongs to. */
export interface WriteContext {
  runId: number;
  now: number;
}

export interface EntityRow {
  key: string;
  /** Normalised columns of the table, by column name. */
  values: Record<string, Cell>;
  sourceJson: string;
  /** Hash of the source minus counters that move with every message (see entity_history). */
  sourceHash: string;
}

export type UpsertOutcome = 'inserted' | 'unchanged' | 'changed' | 'reappeared';

interface Spec {
  kind: EntityKind;
  table: 'chats' | 'channels' | 'threads' | 'users' | 'departments' | 'designations' | 'roles' | 'teams' | 'calls' | 'call_participants' | 'scheduled_messages';
  keyColumn: string;
  columns: readonly string[];
}

/**
 * Upserts for the inventory tables (chats, channels, threads, users, and the directory's
 * departments, designations, roles and teams: archive/directoryRepo.ts), which share one life
 * cycle: first seen → seen again (maybe changed: the previous source goes to entity_history) →
 * noticed gone (gone_at) → maybe seen again (an archive event says so). Nothing is ever deleted.
 *
 * The SQL is built once from the table's column list and prepared once per connection.
 */
export class EntityStore {
  private readonly select: Database.Statement<[string], { rowid: number; source_json: string; source_hash: string; version_seen_at: number; gone_at: number | null }>;
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly history: Database.Statement;
  private readonly event: Database.Statement;
  private readonly goneStmt: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly spec: Spec,
    private readonly sealer: Sealer,
  ) {
    const { table, keyColumn, columns } = spec;
    const dataCols = columns.join(', ');
    const dataParams = columns.map((c) => `@${c}`).join(', ');
    const dataSet = columns.map((c) => `${c} = @${c}`).join(', ');
    this.select = db.prepare(`SELECT rowid, source_json, source_hash, version_seen_at, gone_at FROM ${table} WHERE ${keyColumn} = ?`);
    this.insert = db.prepare(
      `INSERT INTO ${table} (${keyColumn}, ${dataCols}, source_json, source_hash, version_seen_at,
         first_seen_at, first_seen_run, last_seen_at, last_seen_run)
       VALUES (@key, ${dataParams}, @source_json, @source_hash, @now, @now, @run, @now, @run)`,
    );
    this.update = db.prepare(
      `UPDATE ${table} SET ${dataSet}, source_json = @source_json, source_hash = @source_hash,
         version_seen_at = @version_seen_at, last_seen_at = @now, last_seen_run = @run, gone_at = NULL, gone_run = NULL
       WHERE ${keyColumn} = @key`,
    );
    this.history = db.prepare(
      `INSERT INTO entity_history (kind, entity_key, source_json, seen_at, superseded_at, superseded_run)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.event = db.prepare(`INSERT INTO archive_events (at, run_id, kind, subject, detail) VALUES (?, ?, ?, ?, ?)`);
    this.goneStmt = db.prepare(`UPDATE ${table} SET gone_at = ?, gone_run = ? WHERE ${keyColumn} = ? AND gone_at IS NULL RETURNING rowid`);
  }

  upsert(row: EntityRow, ctx: WriteContext): UpsertOutcome {
    const existing = this.select.get(row.key);
    const params = { ...row.values, key: row.key, source_json: row.sourceJson, source_hash: row.sourceHash, now: ctx.now, run: ctx.runId };
    const table = this.spec.table;
    if (!existing) {
      this.sealer.reseal(table, this.insert.run(params).lastInsertRowid);
      return 'inserted';
    }
    const changed = existing.source_hash !== row.sourceHash;
    if (changed) {
      const history = this.history.run(this.spec.kind, row.key, existing.source_json, existing.version_seen_at, ctx.now, ctx.runId);
      this.sealer.reseal('entity_history', history.lastInsertRowid);
    }
    this.update.run({ ...params, version_seen_at: changed ? ctx.now : existing.version_seen_at });
    this.sealer.reseal(table, existing.rowid);
    if (existing.gone_at !== null) {
      const event = this.event.run(ctx.now, ctx.runId, `${this.spec.kind}_reappeared`, row.key, JSON.stringify({ noticedGoneAt: existing.gone_at }));
      this.sealer.reseal('archive_events', event.lastInsertRowid);
      return 'reappeared';
    }
    return changed ? 'changed' : 'unchanged';
  }

  /**
   * After a complete listing: every live row matching `scope` whose key was not listed is marked
   * gone. Returns the keys newly marked. `scope` is a fixed SQL condition written by the caller.
   */
  markGone(seen: ReadonlySet<string>, ctx: WriteContext, scope: { where: string; params: Cell[] }): string[] {
    const gone = this.liveKeys(scope).filter((key) => !seen.has(key));
    for (const key of gone) this.markOneGone(key, ctx);
    return gone;
  }

  /** Keys of live rows matching `scope` (a fixed SQL condition written by the caller). */
  liveKeys(scope: { where: string; params: Cell[] }): string[] {
    const { table, keyColumn } = this.spec;
    return this.db
      .prepare<Cell[], { key: string }>(`SELECT ${keyColumn} AS key FROM ${table} WHERE gone_at IS NULL AND (${scope.where})`)
      .all(...scope.params)
      .map((r) => r.key);
  }

  /**
   * A text field of the stored source (`$.path`, a fixed JSON path written by the caller) of every
   * row matching `scope` where it is present, by key.
   */
  sourceField(path: string, scope: { where: string; params: Cell[] }): Map<string, string> {
    const { table, keyColumn } = this.spec;
    const rows = this.db
      .prepare<Cell[], { key: string; value: string }>(
        `SELECT ${keyColumn} AS key, json_extract(source_json, '${path}') AS value FROM ${table}
          WHERE (${scope.where}) AND json_type(source_json, '${path}') = 'text'`,
      )
      .all(...scope.params);
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  markOneGone(key: string, ctx: WriteContext): boolean {
    const row = this.goneStmt.get(ctx.now, ctx.runId, key) as { rowid: number } | undefined;
    if (row) this.sealer.reseal(this.spec.table, row.rowid);
    return row !== undefined;
  }
}

export const chatColumns = ['kind', 'kind_source', 'title', 'creator_id', 'created_at', 'participant_count', 'server_message_count', 'server_last_modified'] as const;
export const channelColumns = [
  'rest_channel_id',
  'chat_id',
  'name',
  'unique_name',
  'description',
  'level',
  'status',
  'role',
  'creator_id',
  'created_at',
  'last_modified',
  'participant_count',
  'server_message_count',
] as const;
export const threadColumns = ['parent_chat_id', 'channel_id', 'title', 'thread_message_id', 'parent_message_sender', 'thread_state', 'follower_count', 'last_message_at'] as const;
export const userColumns = ['email', 'name', 'display_name', 'status'] as const;
/** Calls, their participants and scheduled messages (migration 0065) share the life cycle. */
export const callColumns = [
  'session_id',
  'nrs_id',
  'type',
  'title',
  'scope',
  'chat_id',
  'chat_title',
  'start_time',
  'end_time',
  'host_id',
  'host_name',
  'participant_count',
  'is_partial',
  'recording',
] as const;
export const callParticipantColumns = ['call_id', 'user_id', 'name', 'email', 'role', 'start_time', 'end_time'] as const;
/** The fate columns are not here: sync/scheduledMessages.ts decides them apart from the payload. */
export const scheduledMessageColumns = [
  'api_version',
  'chat_id',
  'creator_id',
  'creator_name',
  'sender_id',
  'sender_name',
  'message_type',
  'text',
  'file_name',
  'timezone',
  'schedule_kind',
  'scheduled_at',
  'schedule_status',
  'created_at',
] as const;

export function createEntityStores(db: Database.Database, sealer: Sealer) {
  return {
    chats: new EntityStore(db, { kind: 'chat', table: 'chats', keyColumn: 'chat_id', columns: chatColumns }, sealer),
    channels: new EntityStore(db, { kind: 'channel', table: 'channels', keyColumn: 'channel_id', columns: channelColumns }, sealer),
    threads: new EntityStore(db, { kind: 'thread', table: 'threads', keyColumn: 'thread_chat_id', columns: threadColumns }, sealer),
    users: new EntityStore(db, { kind: 'user', table: 'users', keyColumn: 'user_id', columns: userColumns }, sealer),
    calls: new EntityStore(db, { kind: 'call', table: 'calls', keyColumn: 'call_id', columns: callColumns }, sealer),
    callParticipants: new EntityStore(db, { kind: 'call_participant', table: 'call_participants', keyColumn: 'entry_key', columns: callParticipantColumns }, sealer),
    scheduledMessages: new EntityStore(db, { kind: 'scheduled_message', table: 'scheduled_messages', keyColumn: 'scheduled_id', columns: scheduledMessageColumns }, sealer),
  };
}
export type EntityStores = ReturnType<typeof createEntityStores>;
