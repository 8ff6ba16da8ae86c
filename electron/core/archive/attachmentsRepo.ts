import type Database from 'better-sqlite3-multiple-ciphers';
import type { WriteContext } from './entityStore';
import type { Sealer } from './sealing/sealer';

/** Where fetching an attachment stands (the CHECK of migration 0060). */
export type AttachmentStatus = 'pending' | 'stored' | 'forbidden' | 'not_found' | 'too_large' | 'skipped' | 'failed';

/** A status a download can end in other than 'stored'. */
export type AttachmentFailure = Exclude<AttachmentStatus, 'pending' | 'stored'>;

/** Which files a sync fetches: all of them (up to `maxBytes` each, when set) or none. */
export interface AttachmentPolicy {
  files: 'all' | 'none';
  maxBytes: number | null;
}

/** An attachment the sync should act on now. */
export interface DueAttachment {
  chatId: string;
  messageId: string;
  fileId: string;
  fileName: string | null;
  declaredSize: number | null;
  status: AttachmentStatus;
  attempts: number;
}

/** What a download found. */
export interface StoredFile {
  sha256: string;
  bytes: number;
  contentType: string | null;
  servedName: string | null;
}

/** Attachments of one conversation, by status. */
export interface AttachmentCounts {
  chatId: string;
  total: number;
  stored: number;
  pending: number;
  unavailable: number;
  skipped: number;
}

/**
 * Which rows are due (parameters from {@link dueParams}): new rows; refusals and failures whose
 * backoff has passed; files left out by an earlier, narrower policy that the current one admits.
 * Never a stored file. Shared with the sync plan's count, so the plan and the lane agree.
 */
export const attachmentsDueWhere = `(status = 'pending'
         OR (@all = 1 AND status IN ('forbidden', 'failed', 'too_large') AND coalesce(next_attempt_at, 0) <= @now
             AND (status <> 'too_large' OR @maxBytes IS NULL OR coalesce(declared_size, 0) <= @maxBytes))
         OR (@all = 1 AND status = 'skipped'))`;

export interface DueParams {
  now: number;
  all: 0 | 1;
  maxBytes: number | null;
}

interface Key {
  chatId: string;
  messageId: string;
  fileId: string;
}

/**
 * The attachments table (migration 0060): one sealed row per (chat, message, file). Rows are
 * registered from stored messages (insert-only: a registered row is never overwritten by a later
 * message version), then moved through their statuses by the sync's file lane. Every method runs
 * inside the caller's transaction and re-seals what it writes.
 */
export class AttachmentsRepo {
  private readonly register: Database.Statement<[number, number | null, string], { rid: number }>;
  private readonly rowidOf: Database.Statement<[string, string, string], { rid: number; attempts: number; first_attempt_at: number | null; status: string }>;
  private readonly stored: Database.Statement;
  private readonly failed: Database.Statement;
  private readonly dueAll: Database.Statement;
  private readonly dueChat: Database.Statement;
  private readonly dueCountAll: Database.Statement<[DueParams], { n: number }>;
  private readonly dueCountChat: Database.Statement<[DueParams & { chatId: string }], { n: number }>;
  private readonly perChat: Database.Statement<[], { chat_id: string; total: number; stored: number; pending: number; unavailable: number; skipped: number }>;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
  ) {
    // `WHERE true`: SQLite needs it to tell an upsert clause from a join after INSERT … SELECT.
    this.register = db.prepare(
      `INSERT INTO attachments (chat_id, message_id, file_id, message_key, file_name, declared_size, declared_type, first_seen_at, first_seen_run)
       SELECT m.chat_id, m.message_id, m.file_id, m.id, m.file_name, m.file_size, m.file_mime, ?, ?
         FROM messages m INDEXED BY messages_files
        WHERE m.chat_id = ? AND m.file_id IS NOT NULL AND true
        ORDER BY m.id
       ON CONFLICT (chat_id, message_id, file_id) DO NOTHING
       RETURNING rowid AS rid`,
    );
    this.rowidOf = db.prepare('SELECT rowid AS rid, attempts, first_attempt_at, status FROM attachments WHERE chat_id = ? AND message_id = ? AND file_id = ?');
    this.stored = db.prepare(
      `UPDATE attachments SET status = 'stored', reason = NULL, sha256 = @sha256, bytes = @bytes, content_type = @contentType, served_name = @servedName,
         attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, @now), last_attempt_at = @now, next_attempt_at = NULL
       WHERE rowid = @rid`,
    );
    this.failed = db.prepare(
      `UPDATE attachments SET status = @status, reason = @reason, attempts = attempts + @attempted,
         first_attempt_at = CASE WHEN @attempted = 1 THEN coalesce(first_attempt_at, @now) ELSE first_attempt_at END,
         last_attempt_at = CASE WHEN @attempted = 1 THEN @now ELSE last_attempt_at END,
         next_attempt_at = @nextAttemptAt
       WHERE rowid = @rid`,
    );
    // What to fetch next: new rows; refusals and failures whose backoff has passed; files left
    // out by an earlier, narrower policy that the current one admits. Never a stored file.
    const dueColumns = 'chat_id AS chatId, message_id AS messageId, file_id AS fileId, file_name AS fileName, declared_size AS declaredSize, status, attempts';
    // Not one tried since @since (the run's file lane began): a refusal whose backoff passes while a
    // long run goes on waits for the next run.
    const notTriedSince = '(last_attempt_at IS NULL OR last_attempt_at < @since)';
    this.dueAll = db.prepare(`SELECT ${dueColumns} FROM attachments WHERE ${attachmentsDueWhere} AND ${notTriedSince} ORDER BY message_key LIMIT @limit`);
    this.dueChat = db.prepare(`SELECT ${dueColumns} FROM attachments WHERE chat_id = @chatId AND ${attachmentsDueWhere} AND ${notTriedSince} ORDER BY message_key LIMIT @limit`);
    this.dueCountAll = db.prepare(`SELECT count(*) AS n FROM attachments WHERE ${attachmentsDueWhere}`);
    this.dueCountChat = db.prepare(`SELECT count(*) AS n FROM attachments WHERE chat_id = @chatId AND ${attachmentsDueWhere}`);
    this.perChat = db.prepare(
      `SELECT chat_id, count(*) AS total, sum(status = 'stored') AS stored, sum(status = 'pending') AS pending,
              sum(status IN ('forbidden', 'not_found', 'too_large', 'failed')) AS unavailable, sum(status = 'skipped') AS skipped
         FROM attachments GROUP BY chat_id ORDER BY chat_id`,
    );
  }

  /**
   * Registers every file the stored messages of a chat reference that has no row yet, as
   * 'pending' with what the message declared. Existing rows are left as they are. Returns how
   * many were added.
   */
  registerFromMessages(chatId: string, ctx: WriteContext): number {
    const added = this.register.all(ctx.now, ctx.runId, chatId);
    for (const { rid } of added) this.sealer.reseal('attachments', rid);
    return added.length;
  }

  /**
   * Attachments to act on now under `policy`, oldest message first, none tried at or after `since`;
   * of one chat when `chatId` is given. With policy 'none' only new rows come back (for the sync to
   * mark them skipped).
   */
  due(now: number, limit: number, policy: AttachmentPolicy, since: number, chatId?: string): DueAttachment[] {
    const params = { ...dueParams(now, policy), limit, since };
    return (chatId === undefined ? this.dueAll.all(params) : this.dueChat.all({ ...params, chatId })) as DueAttachment[];
  }

  /** How many attachments {@link due} would return without a limit: the file lane's remaining work. */
  dueCount(now: number, policy: AttachmentPolicy, chatId?: string): number {
    const params = dueParams(now, policy);
    return (chatId === undefined ? this.dueCountAll.get(params) : this.dueCountChat.get({ ...params, chatId }))?.n ?? 0;
  }

  /** The file's bytes are in the file store: the row's final state (a stored file is never fetched again). */
  recordStored(key: Key, file: StoredFile, ctx: WriteContext): void {
    const row = this.rowidOf.get(key.chatId, key.messageId, key.fileId);
    if (!row) return;
    this.stored.run({ ...file, now: ctx.now, rid: row.rid });
    this.sealer.reseal('attachments', row.rid);
  }

  /**
   * A download that ended without the bytes, or a decision not to download (`attempted: false`:
   * skipped by policy, or declared larger than the limit). `nextAttemptAt` is when a retry may
   * come (null: when the policy admits it).
   */
  recordFailure(key: Key, status: AttachmentFailure, reason: string | null, nextAttemptAt: number | null, ctx: WriteContext, attempted = true): void {
    const row = this.rowidOf.get(key.chatId, key.messageId, key.fileId);
    if (!row || row.status === 'stored') return;
    this.failed.run({ status, reason, nextAttemptAt, now: ctx.now, attempted: attempted ? 1 : 0, rid: row.rid });
    this.sealer.reseal('attachments', row.rid);
  }

  /** Attachments per conversation, by status (coverage). */
  countsPerChat(): AttachmentCounts[] {
    return this.perChat.all().map((r) => ({ chatId: r.chat_id, total: r.total, stored: r.stored, pending: r.pending, unavailable: r.unavailable, skipped: r.skipped }));
  }
}

/** The parameters of {@link attachmentsDueWhere} for a policy at a time. */
export function dueParams(now: number, policy: AttachmentPolicy): DueParams {
  return { now, all: policy.files === 'all' ? 1 : 0, maxBytes: policy.maxBytes };
}

/**
 * When a refused or failed download may be tried again: an hour after the first attempt, doubling
 * with each one, at most a day.
 */
export function nextAttemptAfter(now: number, attempts: number): number {
  const hour = 3_600_000;
  return now + Math.min(24 * hour, hour * 2 ** Math.max(0, Math.min(attempts - 1, 10)));
}
