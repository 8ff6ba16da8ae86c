import type Database from 'better-sqlite3-multiple-ciphers';
import type { MessageRow } from '../sync/mapMessage';
import type { WriteContext } from './entityStore';
import { keyCeil, keyFloor } from './messageKey';
import type { Sealer } from './sealing/sealer';
import { VaultError } from '../../../shared/errors';
import { insertedColumns, insertedRecord } from './messageRecord';

export interface UpsertCounts {
  inserted: number;
  changed: number;
  unchanged: number;
  restored: number;
  /** Messages retention purged, seen again in Cliq: never archived again (their purge record stays). */
  purged: number;
}

interface Existing {
  id: number;
  content_hash: string;
  raw_json: string;
  text: string | null;
  file_name: string | null;
  extra_text: string | null;
  search_scope: string | null;
  version: number;
  version_seen_at: number;
  deleted_at: number | null;
}

/**
 * Writes messages. Every method must run inside the caller's transaction (one per API page, with
 * the checkpoint), so a page is stored whole or not at all.
 *
 * IMPORTANT: messages_fts and versions_fts are external-content FTS5 tables maintained here,
 * explicitly, in the same transaction (measured ~5× faster than triggers). Any write to the
 * searchable columns of messages (text, file_name, extra_text, search_scope) or to
 * message_versions must go through this class.
 */
export class MessagesRepo {
  private readonly find: Database.Statement<[string, string], Existing>;
  private readonly anyInChat: Database.Statement<[string], { found: number }>;
  private readonly anyPurged: Database.Statement<[string], { found: number }>;
  private readonly purgedOne: Database.Statement<[string, string]>;
  private readonly maxKey: Database.Statement<[number, number], { k: number | null }>;
  private readonly lastKey: Database.Statement<[], { k: number | null }>;
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly restore: Database.Statement;
  private readonly saveVersion: Database.Statement;
  private readonly ftsInsert: Database.Statement;
  private readonly ftsInsertFromTable: Database.Statement<[string]>;
  /** New messages not yet in messages_fts, while indexing is deferred (see deferIndexing). */
  private deferred: { unit: number[]; group: number[]; pending: Set<number> } | undefined;
  private readonly ftsDelete: Database.Statement;
  private readonly versionFtsInsert: Database.Statement;
  private readonly seenInsert: Database.Statement;
  private readonly seenClear: Database.Statement;
  private readonly seenCount: Database.Statement<[string], { n: number }>;
  private readonly missing: Database.Statement<[string, number, number, string], { id: number; message_id: string }>;
  private readonly tombstone: Database.Statement;
  private readonly event: Database.Statement;
  private readonly liveCount: Database.Statement<[{ c: string }], { n: number }>;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
  ) {
    this.find = db.prepare(
      `SELECT id, content_hash, raw_json, text, file_name, extra_text, search_scope, version, version_seen_at, deleted_at
         FROM messages WHERE chat_id = ? AND message_id = ?`,
    );
    this.anyInChat = db.prepare('SELECT EXISTS (SELECT 1 FROM messages WHERE chat_id = ?) AS found');
    this.anyPurged = db.prepare('SELECT EXISTS (SELECT 1 FROM purged_messages WHERE chat_id = ?) AS found');
    this.purgedOne = db.prepare('SELECT 1 FROM purged_messages WHERE chat_id = ? AND message_id = ?');
    this.maxKey = db.prepare('SELECT max(id) AS k FROM messages WHERE id BETWEEN ? AND ?');
    this.lastKey = db.prepare('SELECT max(id) AS k FROM messages');
    // The insert writes exactly the record that is hashed for the seal, column for column.
    // A taken key is no error (see insertNew): the insert does nothing and says so.
    this.insert = db.prepare(`INSERT INTO messages (${insertedColumns.join(', ')}, row_hash, seal_id) VALUES (${insertedColumns.map(() => '?').join(', ')}, ?, ?) ON CONFLICT (id) DO NOTHING`);
    this.update = db.prepare(
      `UPDATE messages SET time = @time, sender_id = @senderId, sender_name = @senderName, type = @type,
         subtype = @subtype, text = @text, file_name = @fileName, file_id = @fileId, file_mime = @fileMime,
         file_size = @fileSize, extra_text = @extraText, revision = @revision, content_hash = @contentHash,
         raw_json = @rawJson, search_scope = @searchScope, version = version + 1, version_seen_at = @now,
         deleted_at = NULL, deleted_run = NULL
       WHERE id = @id`,
    );
    this.restore = db.prepare('UPDATE messages SET deleted_at = NULL, deleted_run = NULL WHERE id = ?');
    this.saveVersion = db.prepare(
      `INSERT INTO message_versions (message_rowid, version, content_hash, raw_json, text, seen_at, superseded_at, superseded_run)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.ftsInsert = db.prepare('INSERT INTO messages_fts (rowid, text, file_name, extra_text, search_scope) VALUES (?, ?, ?, ?, ?)');
    this.ftsInsertFromTable = db.prepare(
      `INSERT INTO messages_fts (rowid, text, file_name, extra_text, search_scope)
       SELECT id, text, file_name, extra_text, search_scope FROM messages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    );
    this.ftsDelete = db.prepare(`INSERT INTO messages_fts (messages_fts, rowid, text, file_name, extra_text, search_scope) VALUES ('delete', ?, ?, ?, ?, ?)`);
    this.versionFtsInsert = db.prepare('INSERT INTO versions_fts (rowid, text) VALUES (?, ?)');
    this.seenInsert = db.prepare('INSERT OR IGNORE INTO walk_seen (chat_id, message_id) VALUES (?, ?)');
    this.seenClear = db.prepare('DELETE FROM walk_seen WHERE chat_id = ?');
    this.seenCount = db.prepare('SELECT count(*) AS n FROM walk_seen WHERE chat_id = ?');
    this.missing = db.prepare(
      `SELECT m.id, m.message_id FROM messages m
        WHERE m.chat_id = ? AND m.time >= ? AND m.time <= ? AND m.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM walk_seen s WHERE s.chat_id = ? AND s.message_id = m.message_id)`,
    );
    this.tombstone = db.prepare('UPDATE messages SET deleted_at = ?, deleted_run = ? WHERE id = ?');
    const expected: string[] = [...insertedColumns].sort();
    const actual = [...sealer.columnsOf('messages')];
    if (expected.join() !== actual.join()) {
      // The insert fast path hashes the row from the values it inserts: it must know every column.
      throw new VaultError('INTERNAL', `messagesRepo does not know every column of messages (${actual.filter((c) => !expected.includes(c)).join(', ')}).`);
    }
    this.event = db.prepare(`INSERT INTO archive_events (at, run_id, kind, subject, detail) VALUES (?, ?, ?, ?, ?)`);
    // A purged message that was live when purged still counts: Cliq still holds it, and the sync
    // compares this with Cliq's total to notice deletions (sync/messageWalker.ts).
    this.liveCount = db.prepare(
      `SELECT (SELECT count(*) FROM messages WHERE chat_id = @c AND deleted_at IS NULL)
            + (SELECT count(*) FROM purged_messages WHERE chat_id = @c AND deleted_at IS NULL) AS n`,
    );
  }

  /**
   * Group commits only (archive/groupCommit.ts): new messages enter messages_fts in one statement
   * when the group commits, not one by one in each unit. FTS5 writes its pending terms to disk at
   * every savepoint, and each unit of a group is a savepoint: indexing per unit wrote a small
   * segment per unit and merged them over and over (docs/performance.md).
   */
  deferIndexing(on: boolean): void {
    // Turned off with messages still pending only when their group failed and rolled back: the
    // rows are gone with it.
    this.deferred = on ? { unit: [], group: [], pending: new Set() } : undefined;
  }

  /** After each unit (transaction or savepoint): keeps its new messages for indexing, or forgets them. */
  unitEnded(committed: boolean): void {
    const d = this.deferred;
    if (!d || d.unit.length === 0) return;
    if (committed) d.group.push(...d.unit);
    else for (const id of d.unit) d.pending.delete(id);
    d.unit = [];
  }

  /** Indexes the group's new messages; call in the group's transaction, just before it commits. */
  indexDeferred(): void {
    const d = this.deferred;
    if (!d || d.group.length === 0) return;
    this.ftsInsertFromTable.run(JSON.stringify(d.group));
    d.group = [];
    d.pending.clear();
  }

  /** Whether any message of the chat is archived, deleted or not. */
  hasAny(chatId: string): boolean {
    return this.anyInChat.get(chatId)?.found === 1;
  }

  /** Whether retention purged any message of the chat (its records stand for them). */
  hasPurgeRecords(chatId: string): boolean {
    return this.anyPurged.get(chatId)?.found === 1;
  }

  /** Messages of a chat that are archived and not known to be deleted. */
  countLive(chatId: string): number {
    return this.liveCount.get({ c: chatId })?.n ?? 0;
  }

  /** Inserts new messages, versions changed ones, leaves identical ones untouched. */
  upsert(rows: readonly MessageRow[], ctx: WriteContext): UpsertCounts {
    const counts: UpsertCounts = { inserted: 0, changed: 0, unchanged: 0, restored: 0, purged: 0 };
    // A conversation's first sync stores thousands of messages none of which can exist yet: one
    // query per conversation says so, instead of one lookup per message.
    // Per conversation of the call: the ids inserted so far if it had no messages, else null.
    const empty = new Map<string, Set<string> | null>();
    // Conversations retention purged messages of: each new message is checked against the records.
    const purgedIn = new Set<string>();
    for (const row of rows) {
      if (empty.has(row.chatId)) continue;
      empty.set(row.chatId, this.hasAny(row.chatId) ? null : new Set());
      if (this.hasPurgeRecords(row.chatId)) purgedIn.add(row.chatId);
    }
    for (const row of rows) {
      const insertedHere = empty.get(row.chatId);
      const existing = insertedHere && !insertedHere.has(row.messageId) ? undefined : this.find.get(row.chatId, row.messageId);
      insertedHere?.add(row.messageId);
      if (!existing && purgedIn.has(row.chatId) && this.purgedOne.get(row.chatId, row.messageId) !== undefined) {
        counts.purged += 1;
      } else if (!existing) {
        const id = this.insertNew(row, ctx);
        if (this.deferred) {
          this.deferred.unit.push(id);
          this.deferred.pending.add(id);
        } else {
          this.ftsInsert.run(id, row.text, row.fileName, row.extraText, row.searchScope);
        }
        counts.inserted += 1;
      } else if (existing.content_hash !== row.contentHash) {
        const version = this.saveVersion.run(existing.id, existing.version, existing.content_hash, existing.raw_json, existing.text, existing.version_seen_at, ctx.now, ctx.runId);
        this.versionFtsInsert.run(version.lastInsertRowid, existing.text);
        this.sealer.reseal('message_versions', version.lastInsertRowid);
        // A message inserted earlier in this group is not in the index yet: it enters it, with
        // whatever text it has by then, when the group commits.
        const indexed = !this.deferred?.pending.has(existing.id);
        if (indexed) this.ftsDelete.run(existing.id, existing.text, existing.file_name, existing.extra_text, existing.search_scope);
        this.update.run({ ...row, id: existing.id, now: ctx.now });
        this.sealer.reseal('messages', existing.id);
        if (indexed) this.ftsInsert.run(existing.id, row.text, row.fileName, row.extraText, row.searchScope);
        counts.changed += 1;
      } else if (existing.deleted_at !== null) {
        // Seen again after being noticed gone (a transient omission by the server): the message is
        // live again, and the event keeps the fact that it was once missing.
        this.restore.run(existing.id);
        this.sealer.reseal('messages', existing.id);
        const event = this.event.run(ctx.now, ctx.runId, 'message_reappeared', `${row.chatId}/${row.messageId}`, JSON.stringify({ noticedGoneAt: existing.deleted_at }));
        this.sealer.reseal('archive_events', event.lastInsertRowid);
        counts.restored += 1;
      } else {
        counts.unchanged += 1;
      }
    }
    return counts;
  }

  /** Remembers ids seen by a full walk in progress (survives a crash, like the checkpoint). */
  markSeen(chatId: string, messageIds: readonly string[]): void {
    for (const id of messageIds) this.seenInsert.run(chatId, id);
  }

  /**
   * Ends a full walk: every live message of the chat in [fromTime, toTime] that the walk did not
   * see was deleted on the server. It keeps its data and gets deleted_at. Returns how many.
   */
  tombstoneUnseen(chatId: string, fromTime: number, toTime: number, ctx: WriteContext): number {
    const gone = this.missing.all(chatId, fromTime, toTime, chatId);
    for (const row of gone) this.markDeleted(row.id, ctx);
    this.seenClear.run(chatId);
    return gone.length;
  }

  /** How many distinct messages the walk in progress has seen (markSeen) in the chat. */
  countSeen(chatId: string): number {
    return this.seenCount.get(chatId)?.n ?? 0;
  }

  clearSeen(chatId: string): void {
    this.seenClear.run(chatId);
  }

  /** Tombstones every live message of a chat (the chat vanished or was cleared on the server). */
  tombstoneChat(chatId: string, ctx: WriteContext): number {
    this.seenClear.run(chatId);
    return this.tombstoneUnseen(chatId, 0, Number.MAX_SAFE_INTEGER, ctx);
  }

  private markDeleted(id: number, ctx: WriteContext): void {
    this.tombstone.run(ctx.now, ctx.runId, id);
    this.sealer.reseal('messages', id);
  }

  /**
   * Inserts a new message under the key of its millisecond. That key is almost always free; when
   * it is not (more than one message in the same millisecond: 3% of the large simulated org), the
   * insert does nothing (ON CONFLICT on the key) and the next free key is looked up — cheaper than
   * looking it up for every message first, and than a thrown constraint error (an exception with
   * its stack per collision cost ~1 s of a million-message ingest).
   */
  private insertNew(row: MessageRow, ctx: WriteContext): number {
    let id = keyFloor(row.time);
    for (let attempt = 0; ; attempt += 1) {
      const record = insertedRecord(row, id, ctx);
      // Sealed ahead, on the parser thread, for this key and this write (archive/messageRecord.ts).
      const { preseal } = row;
      const seal =
        attempt === 0 && preseal !== undefined && preseal.now === ctx.now && preseal.runId === ctx.runId
          ? this.sealer.hashedElsewhere('messages', preseal.rowHash)
          : this.sealer.hashNew('messages', record);
      if (this.insert.run(...insertedColumns.map((c) => record[c]), seal.rowHash, seal.sealId).changes === 1) {
        this.sealer.inserted(seal);
        return id;
      }
      // allocateKey's key is free (or past every key): a second miss means something else is wrong.
      if (attempt > 0) throw new VaultError('INTERNAL', `The message key ${id} of ${row.chatId}/${row.messageId} is taken twice.`);
      id = this.allocateKey(row.time);
    }
  }

  private allocateKey(time: number): number {
    const base = keyFloor(time);
    const last = keyCeil(time);
    const max = this.maxKey.get(base, last)?.k ?? null;
    if (max === null) return base;
    if (max < last) return max + 1;
    // More than slotsPerMs messages in one millisecond: still unique, just not perfectly time-ordered.
    return (this.lastKey.get()?.k ?? base) + 1;
  }
}
