import type Database from 'better-sqlite3-multiple-ciphers';
import type { RetentionPolicy } from '../../../shared/retention';
import { keyFloor } from '../archive/messageKey';
import { prepared } from '../search/search';

/**
 * Which messages a retention policy makes due: older than the cut-off, in the conversations of its
 * kinds and its conversations (a channel brings its threads), sent by a member of its departments.
 * Empty lists scope nothing out. Message keys follow time (archive/messageKey.ts), so "older than
 * the cut-off" is a range of the messages table's own key.
 */
const dueSql = `
  SELECT m.id AS key, m.chat_id AS chat_id FROM messages m JOIN chats c ON c.chat_id = m.chat_id
   WHERE m.id < @cutoffKey AND m.id > @after
     AND (@kinds = '[]' OR c.kind IN (SELECT value FROM json_each(@kinds)))
     AND (@chats = '[]' OR m.chat_id IN (SELECT value FROM json_each(@chats)
                                         UNION SELECT t.thread_chat_id FROM threads t WHERE t.parent_chat_id IN (SELECT value FROM json_each(@chats))))
     AND (@departments = '[]' OR m.sender_id IN (SELECT a.user_id FROM directory_assignments a
                                                  WHERE a.kind = 'department' AND a.group_id IN (SELECT value FROM json_each(@departments))))`;

export interface DueParams {
  cutoffKey: number;
  after: number;
  kinds: string;
  chats: string;
  departments: string;
}

/** The statement parameters of a policy at a cut-off (conversations already resolved to ids). */
export function dueParams(policy: RetentionPolicy, cutoff: number, chatIds: readonly string[]): DueParams {
  return {
    cutoffKey: keyFloor(cutoff),
    after: -1,
    kinds: JSON.stringify(policy.kinds),
    chats: JSON.stringify(chatIds),
    departments: JSON.stringify(policy.departments),
  };
}

/**
 * Fills temp.retention_due with every due message and whether an active hold keeps it (call
 * holds' markHeld first, in the same transaction). For the dry run and the final count of a purge.
 */
export function markDue(db: Database.Database, params: DueParams): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS retention_due (key INTEGER PRIMARY KEY, chat_id TEXT NOT NULL, held INTEGER NOT NULL);
           DELETE FROM temp.retention_due;`);
  prepared(
    db,
    `INSERT INTO temp.retention_due (key, chat_id, held)
     SELECT d.key, d.chat_id, EXISTS (SELECT 1 FROM temp.held_messages h WHERE h.key = d.key) FROM (${dueSql}) d ORDER BY d.key`,
  ).run(params);
}

/** The next `limit` due messages after key `params.after` that no active hold keeps (after markHeld). */
export function nextDueBatch(db: Database.Database, params: DueParams, limit: number): number[] {
  return prepared(db, `SELECT d.key FROM (${dueSql}) d WHERE NOT EXISTS (SELECT 1 FROM temp.held_messages h WHERE h.key = d.key) ORDER BY d.key LIMIT @limit`)
    .pluck()
    .all({ ...params, limit }) as number[];
}
