import type Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { VaultError } from '../../../shared/errors';
import { retentionPolicySchema, type RetentionPolicyInput, type RetentionPreview, type RetentionResult } from '../../../shared/retention';
import { describeIssue } from '../../../shared/validation';
import { openArchive, type Archive } from '../archive/archive';
import { openArchiveDb } from '../archive/connection';
import { referencedObjects } from '../files/referenced';
import { openFileStore } from '../files/store';
import { currentActor } from '../holds/holdWrites';
import { markHeld } from '../holds/holdScope';
import { chatByIdOrTitle } from '../search/chatByName';
import { prepared } from '../search/search';
import { systemClock, type Clock } from '../util/clock';
import { testPausePoint } from '../util/testPause';
import { toolVersion } from '../version';
import { dueParams, nextDueBatch } from './dueMessages';
import { cutoffOf, retentionPreview } from './preview';

export interface RetentionOptions {
  /** The app's org profile running it (its name); absent from the CLI. */
  profile?: string | null;
  clock?: Pick<Clock, 'now'>;
  /** Messages purged per transaction (each batch whole or not at all, in its own seal). */
  batchSize?: number;
  /** Called between batches, outside any transaction (progress; tests place a hold here). */
  onBatch?: (purgedSoFar: number) => void;
}

/** Parses a policy and resolves its conversations (ids or exact titles) against the archive. */
function policyFor(db: Database.Database, input: RetentionPolicyInput) {
  const parsed = retentionPolicySchema.safeParse(input);
  if (!parsed.success) throw new VaultError('USAGE', `Invalid retention policy: ${describeIssue(parsed.error, { subject: 'policy' })}.`);
  const policy = parsed.data;
  const chatIds = [...new Set(policy.conversations)].map((given) => chatByIdOrTitle(db, given));
  return { policy, chatIds };
}

/**
 * The dry run from an archive's path: what the policy would purge now, per conversation, and what
 * holds keep. Opens the archive read-only: nothing in it changes.
 */
export function previewRetention(archivePath: string, input: RetentionPolicyInput, options: Pick<RetentionOptions, 'clock'> = {}): RetentionPreview {
  const db = openArchiveDb(archivePath, { readonly: true });
  try {
    return previewOn(db, input, (options.clock ?? systemClock).now());
  } finally {
    db.close();
  }
}

/** The dry run on a connection the caller keeps (the screens' read-only one), in one read transaction. */
export function previewOn(db: Database.Database, input: RetentionPolicyInput, now: number): RetentionPreview {
  const { policy, chatIds } = policyFor(db, input);
  return db.transaction(() => retentionPreview(db, policy, chatIds, now))();
}

interface MessageToPurge {
  id: number;
  chat_id: string;
  message_id: string;
  time: number;
  sender_id: string | null;
  content_hash: string;
  row_hash: string | null;
  text: string | null;
  file_name: string | null;
  extra_text: string | null;
  search_scope: string | null;
  deleted_at: number | null;
  kind: string | null;
}

/**
 * Removes one message and what goes with it — its earlier versions, attachment records,
 * reactions, reaction checks, pins (which copy its text) and index entries — and writes its sealed
 * purge record. Each sealed
 * row leaves its seal's digest first (Sealer.removing), so verify balances. Inside a transaction
 * with a seal open. Returns the stored file objects its attachments named.
 */
function purgeMessage(archive: Archive, runId: number, key: number, now: number): string[] {
  const db = archive.db;
  const m = prepared(
    db,
    `SELECT m.id, m.chat_id, m.message_id, m.time, m.sender_id, m.content_hash, m.row_hash, m.text, m.file_name, m.extra_text, m.search_scope, m.deleted_at, c.kind
       FROM messages m LEFT JOIN chats c ON c.chat_id = m.chat_id WHERE m.id = ?`,
  ).get(key) as MessageToPurge | undefined;
  if (!m) throw new VaultError('INTERNAL', `retention: message ${key} vanished during its purge.`);
  const versions = prepared(db, 'SELECT id, text FROM message_versions WHERE message_rowid = ?').all(key) as { id: number; text: string | null }[];
  for (const v of versions) {
    prepared(db, `INSERT INTO versions_fts (versions_fts, rowid, text) VALUES ('delete', ?, ?)`).run(v.id, v.text);
    archive.sealer.removing('message_versions', v.id);
    prepared(db, 'DELETE FROM message_versions WHERE id = ?').run(v.id);
  }
  const attachments = prepared(db, 'SELECT rowid AS id, sha256, status FROM attachments WHERE chat_id = ? AND message_id = ?').all(m.chat_id, m.message_id) as {
    id: number;
    sha256: string | null;
    status: string;
  }[];
  for (const a of attachments) {
    archive.sealer.removing('attachments', a.id);
    prepared(db, 'DELETE FROM attachments WHERE rowid = ?').run(a.id);
  }
  for (const r of prepared(db, 'SELECT id FROM reactions WHERE chat_id = ? AND message_id = ?').pluck().all(m.chat_id, m.message_id) as number[]) {
    archive.sealer.removing('reactions', r);
    prepared(db, 'DELETE FROM reactions WHERE id = ?').run(r);
  }
  prepared(db, 'DELETE FROM reaction_checks WHERE message_rowid = ?').run(key);
  // A pin keeps its own copy of the message's text: it goes with the message. Cliq's pin API spells
  // the id with '%20' (or a space) where the messages API has '_'.
  const pins = prepared(db, "SELECT id FROM sticky_messages WHERE chat_id = ? AND replace(replace(message_id, '%20', '_'), ' ', '_') = ?")
    .pluck()
    .all(m.chat_id, m.message_id) as number[];
  for (const pin of pins) {
    archive.sealer.removing('sticky_messages', pin);
    prepared(db, 'DELETE FROM sticky_messages WHERE id = ?').run(pin);
  }
  prepared(db, `INSERT INTO messages_fts (messages_fts, rowid, text, file_name, extra_text, search_scope) VALUES ('delete', ?, ?, ?, ?, ?)`).run(
    key,
    m.text,
    m.file_name,
    m.extra_text,
    m.search_scope,
  );
  archive.sealer.removing('messages', key);
  prepared(db, 'DELETE FROM messages WHERE id = ?').run(key);
  const record = prepared(
    db,
    `INSERT INTO purged_messages (run_id, chat_id, message_id, message_key, time, sender_id, chat_kind, content_hash, row_hash_was, versions, attachments, deleted_at, purged_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(runId, m.chat_id, m.message_id, key, m.time, m.sender_id, m.kind, m.content_hash, m.row_hash, versions.length, attachments.length, m.deleted_at, now);
  archive.sealer.reseal('purged_messages', record.lastInsertRowid);
  return attachments.flatMap((a) => (a.status === 'stored' && a.sha256 !== null ? [a.sha256] : []));
}

/** A fingerprint of the holds: it changes with every hold placed or released. */
function holdsFingerprint(db: Database.Database): string {
  return JSON.stringify(prepared(db, 'SELECT (SELECT count(*) FROM legal_holds) AS holds, (SELECT count(*) FROM legal_hold_releases) AS releases').get());
}

/**
 * Applies a policy: purges every due message no active hold keeps, in batches. Each batch is one
 * transaction in a seal of its own (kind 'audit'): the held set is evaluated again inside it
 * whenever the holds changed, so a hold placed while a purge runs wins from the next batch on,
 * and a crash leaves every message either whole or purged with its record. Holds the writer lease
 * (no sync meanwhile). File store objects no stored attachment names any more are removed after
 * the last batch; an object whose purge committed but whose removal a crash stopped is removed
 * by the next purge, which sweeps the store when it finds a run interrupted.
 */
export async function applyRetention(archivePath: string, input: RetentionPolicyInput, options: RetentionOptions = {}): Promise<RetentionResult> {
  const clock = options.clock ?? systemClock;
  const batchSize = options.batchSize ?? 2_000;
  const archive = openArchive(archivePath, { create: false, clock });
  const me = { holder: `cliq-vault ${toolVersion} retention`, pid: process.pid, host: hostname() };
  try {
    const { policy, chatIds } = policyFor(archive.db, input);
    const lease = archive.lease.acquire(me, 60_000);
    if (!lease.ok) {
      throw new VaultError('ARCHIVE_LOCKED', `The archive is being written by another process (${lease.current.holder}, pid ${lease.current.pid} on ${lease.current.host}).`, {
        hint: 'Wait for that sync or backup to finish, then run the purge again. Nothing was purged.',
      });
    }
    try {
      const startedAt = clock.now();
      const cutoff = cutoffOf(policy, startedAt);
      const actor = currentActor(options.profile);
      let interrupted = 0;
      const runId = archive.transaction(() => {
        const seal = archive.sealer.open('audit', null, startedAt);
        // A run a crash stopped stays 'running' until now: it was interrupted.
        for (const id of prepared(archive.db, "SELECT run_id FROM retention_runs WHERE status = 'running'").pluck().all() as number[]) {
          prepared(archive.db, "UPDATE retention_runs SET status = 'interrupted' WHERE run_id = ?").run(id);
          archive.sealer.reseal('retention_runs', id);
          interrupted += 1;
        }
        const id = Number(
          prepared(
            archive.db,
            `INSERT INTO retention_runs (started_at, status, policy_json, cutoff_time, profile, os_user, host, tool_version, purged, kept_held, files_removed)
             VALUES (?, 'running', ?, ?, ?, ?, ?, ?, 0, 0, 0)`,
          ).run(startedAt, JSON.stringify({ ...policy, conversations: chatIds }), cutoff, actor.profile, actor.osUser, actor.host, actor.toolVersion).lastInsertRowid,
        );
        archive.sealer.reseal('retention_runs', id);
        archive.sealer.close(seal, startedAt);
        return id;
      });

      const params = dueParams(policy, cutoff, chatIds);
      let fingerprint = '';
      let purged = 0;
      const shas = new Set<string>();
      for (;;) {
        const done = archive.transaction(() => {
          const now = clock.now();
          const current = holdsFingerprint(archive.db);
          if (current !== fingerprint) {
            markHeld(archive.db);
            fingerprint = current;
          }
          const keys = nextDueBatch(archive.db, params, batchSize);
          if (keys.length === 0) return true;
          const seal = archive.sealer.open('audit', null, now);
          for (const key of keys) for (const sha of purgeMessage(archive, runId, key, now)) shas.add(sha);
          purged += keys.length;
          prepared(archive.db, 'UPDATE retention_runs SET purged = ? WHERE run_id = ?').run(purged, runId);
          archive.sealer.reseal('retention_runs', runId);
          // A test kills the process here: the batch is written but not committed.
          testPausePoint('retention:batch');
          archive.sealer.close(seal, now);
          params.after = keys[keys.length - 1] ?? params.after;
          return false;
        });
        if (done) break;
        options.onBatch?.(purged);
        if (!archive.lease.heartbeat(me, 60_000)) throw new VaultError('ARCHIVE_LOCKED', 'Another process took over the archive during the purge.');
      }

      // A test kills the process here: every batch is committed, no file removed yet.
      testPausePoint('retention:files');
      // After an interrupted run, the bytes it purged but had not removed yet are found by a sweep.
      const filesRemoved = await removeUnreferenced(archivePath, archive.db, shas, interrupted > 0);
      const preview = archive.db.transaction(() => retentionPreview(archive.db, policy, chatIds, startedAt))();
      archive.transaction(() => {
        const now = clock.now();
        const seal = archive.sealer.open('audit', null, now);
        prepared(archive.db, "UPDATE retention_runs SET status = 'complete', ended_at = ?, kept_held = ?, files_removed = ? WHERE run_id = ?").run(now, preview.keptHeld, filesRemoved, runId);
        archive.sealer.reseal('retention_runs', runId);
        archive.sealer.close(seal, now);
      });
      return { ...preview, purge: purged, runId, filesRemoved };
    } finally {
      archive.lease.release(me);
    }
  } finally {
    archive.close();
  }
}

/**
 * Removes the file store objects of purged attachments that no stored attachment names any more
 * (two messages may share one object). After the batches commit: a file is not transactional, and
 * an object removed before its rows were gone could be missing from an archive that still names it.
 */
async function removeUnreferenced(archivePath: string, db: Database.Database, purgedShas: ReadonlySet<string>, sweep: boolean): Promise<number> {
  const store = openFileStore(archivePath);
  const shas = new Set(purgedShas);
  // Under the writer lease no sync is storing a file meanwhile: every object nothing names is a
  // purge's leftover (or a download whose row a crash rolled back, fetched again if needed).
  if (sweep && existsSync(store.root)) for await (const sha of store.list()) shas.add(sha);
  if (shas.size === 0) return 0;
  // One read of what the stored attachments still name (attachments has no index on sha256).
  const stillNamed = new Set((referencedObjects(db) ?? []).map((o) => o.sha256));
  let removed = 0;
  for (const sha of shas) {
    if (stillNamed.has(sha)) continue;
    try {
      await unlink(store.pathOf(sha));
      removed += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
