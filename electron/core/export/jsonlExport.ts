import type Database from 'better-sqlite3';
import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VaultError } from '../../../shared/errors';
import { throwIfAborted } from '../util/clock';

export const exportKinds = ['chats', 'channels', 'threads', 'members', 'memberships', 'users', 'messages', 'attachments'] as const;
export type ExportKind = (typeof exportKinds)[number];

/**
 * One query per kind. Column lists are explicit (no SELECT * leaves a repository) and every
 * ordering is total, so the same archive always gives byte-identical files. `*_json` columns are
 * emitted verbatim as JSON values (see toLine), so the stored payload reaches the file unchanged.
 *
 * IMPORTANT: adding a column to an archive table means deciding whether it belongs here.
 */
const queries: Record<ExportKind, string> = {
  chats: `SELECT chat_id, kind, title, creator_id, created_at, participant_count, server_message_count,
            server_last_modified, first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run,
            source_json AS source
          FROM chats ORDER BY chat_id`,
  channels: `SELECT channel_id, rest_channel_id, chat_id, name, unique_name, description, level, status, role, creator_id,
            created_at, last_modified, participant_count, server_message_count, first_seen_at, first_seen_run,
            last_seen_at, last_seen_run, gone_at, gone_run, source_json AS source
          FROM channels ORDER BY channel_id`,
  threads: `SELECT thread_chat_id, parent_chat_id, channel_id, title, thread_message_id, parent_message_sender, thread_state,
            follower_count, last_message_at, first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run,
            source_json AS source
          FROM threads ORDER BY thread_chat_id`,
  members: `SELECT chat_id, member_key, user_id, name, email, joined_at, joined_source, joined_message_id,
            joined_noticed_at AS first_seen_at, joined_noticed_run AS first_seen_run, last_seen_at, last_seen_run
          FROM membership_intervals WHERE left_noticed_at IS NULL ORDER BY chat_id, member_key`,
  // joined_source / left_source: where each boundary comes from (migration 0061; first_archived:
  // a member when the conversation was first archived, joined_at empty).
  memberships: `SELECT chat_id, member_key, user_id, name, email, joined_at, joined_source, joined_message_id,
            joined_noticed_at AS first_seen_at, joined_noticed_run AS first_seen_run, last_seen_at, last_seen_run,
            left_at, left_source, left_message_id, left_noticed_at AS gone_at, left_noticed_run AS gone_run
          FROM membership_intervals ORDER BY chat_id, member_key, first_seen_at, id`,
  users: `SELECT user_id, email, name, display_name, status, first_seen_at, first_seen_run, last_seen_at, last_seen_run,
            gone_at, gone_run, source_json AS source
          FROM users ORDER BY user_id`,
  messages: `SELECT chat_id, message_id, time, sender_id, sender_name, type, subtype, text, file_name, file_id, file_mime,
            file_size, extra_text, revision, content_hash, version, version_seen_at, first_seen_at, first_seen_run,
            deleted_at, deleted_run, raw_json AS raw
          FROM messages ORDER BY chat_id, time, message_id`,
  // One record per (conversation, message, file): what Cliq declared, what was served and stored
  // (sha256 names the object in <archive>.files/), or why not (status, reason).
  attachments: `SELECT chat_id, message_id, file_id, file_name, declared_size, declared_type, content_type, served_name,
            status, reason, sha256, bytes, first_attempt_at, last_attempt_at, attempts, next_attempt_at, first_seen_at,
            first_seen_run
          FROM attachments ORDER BY chat_id, message_id, file_id`,
};

/** Kinds whose table a later migration added: an archive not yet upgraded by a sync lacks it. */
const addedBy: Partial<Record<ExportKind, { table: string; version: number }>> = { attachments: { table: 'attachments', version: 60 } };

/** Columns holding stored JSON text: spliced into the line as-is instead of being re-encoded. */
const jsonColumns = new Set(['source', 'raw']);

function toLine(row: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    const encoded = jsonColumns.has(key) && typeof value === 'string' ? value : JSON.stringify(value ?? null);
    parts.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${parts.join(',')}}\n`;
}

/**
 * Streams one kind of record to a JSONL file: one JSON object per line, ids as strings, times as
 * epoch ms, the stored payload verbatim. Written to a temporary file beside `outPath` and renamed
 * into place only when complete, so a failure or cancel never leaves a partial file behind.
 */
export async function exportJsonl(db: Database.Database, kind: ExportKind, outPath: string, signal?: AbortSignal): Promise<{ rows: number; path: string }> {
  const added = addedBy[kind];
  if (added !== undefined && db.prepare('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?').get('table', added.table) === undefined) {
    throw new VaultError('USAGE', `This archive predates ${kind} (schema ${added.version}); nothing about them is recorded in it yet.`, {
      hint: 'Run a sync of this archive first: it upgrades the archive and records them.',
    });
  }
  const temp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.partial`);
  const stream = createWriteStream(temp, { flags: 'wx' });
  let rows = 0;
  try {
    await once(stream, 'open');
    for (const row of db.prepare(queries[kind]).iterate() as IterableIterator<Record<string, unknown>>) {
      throwIfAborted(signal);
      if (!stream.write(toLine(row))) await once(stream, 'drain');
      rows += 1;
    }
    stream.end();
    await once(stream, 'finish');
    renameSync(temp, outPath);
    return { rows, path: outPath };
  } catch (error) {
    stream.destroy();
    rmSync(temp, { force: true });
    if (error instanceof VaultError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new VaultError('IO_ERROR', `Could not write ${outPath}${code ? ` (${code})` : ''}.`, {
      cause: error,
      hint: code === 'ENOSPC' ? 'The disk is full; free some space and export again.' : 'Check that the folder exists and is writable.',
    });
  }
}
