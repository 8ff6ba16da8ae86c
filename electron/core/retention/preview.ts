import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConversationKind } from '../../../shared/search';
import type { RetentionConversation, RetentionPolicy, RetentionPreview } from '../../../shared/retention';
import { markHeld } from '../holds/holdScope';
import { prepared } from '../search/search';
import { dueParams, markDue } from './dueMessages';

export const dayMs = 86_400_000;

/** The cut-off of a policy now: messages older than `keepDays` whole days (of 24 hours) are due. */
export function cutoffOf(policy: RetentionPolicy, now: number): number {
  return now - policy.keepDays * dayMs;
}

interface ChatRow {
  chatId: string;
  title: string | null;
  kind: ConversationKind;
  purge: number;
  keptHeld: number;
  oldest: number | null;
  newest: number | null;
}

/**
 * The dry run: per conversation, what the policy would purge now and what an active hold keeps.
 * Reads only (temp tables of this connection), so it runs on a read-only connection and changes no
 * byte of the archive. Call in one read transaction for a consistent answer.
 */
export function retentionPreview(db: Database.Database, policy: RetentionPolicy, chatIds: readonly string[], now: number): RetentionPreview {
  const cutoff = cutoffOf(policy, now);
  const held = markHeld(db);
  markDue(db, dueParams(policy, cutoff, chatIds));
  const rows = prepared(
    db,
    `SELECT d.chat_id AS chatId, c.title, c.kind, sum(d.held = 0) AS purge, sum(d.held) AS keptHeld,
            min(CASE WHEN d.held = 0 THEN m.time END) AS oldest, max(CASE WHEN d.held = 0 THEN m.time END) AS newest
       FROM temp.retention_due d JOIN messages m ON m.id = d.key JOIN chats c ON c.chat_id = d.chat_id
      GROUP BY d.chat_id`,
  ).all() as ChatRow[];
  const perChat = (sql: string) => new Map((prepared(db, sql).all() as { chatId: string; n: number }[]).map((r) => [r.chatId, r.n]));
  const versions = perChat(`SELECT d.chat_id AS chatId, count(*) AS n FROM temp.retention_due d JOIN message_versions v ON v.message_rowid = d.key WHERE d.held = 0 GROUP BY d.chat_id`);
  const attachments = perChat(
    `SELECT d.chat_id AS chatId, count(*) AS n FROM temp.retention_due d JOIN messages m ON m.id = d.key
       JOIN attachments a ON a.chat_id = m.chat_id AND a.message_id = m.message_id WHERE d.held = 0 GROUP BY d.chat_id`,
  );
  const conversations: RetentionConversation[] = rows
    .map((r) => ({ ...r, versions: versions.get(r.chatId) ?? 0, attachments: attachments.get(r.chatId) ?? 0 }))
    .sort((a, b) => b.purge - a.purge || b.keptHeld - a.keptHeld || (a.chatId < b.chatId ? -1 : 1));
  const sum = (pick: (c: RetentionConversation) => number) => conversations.reduce((n, c) => n + pick(c), 0);
  return {
    policy,
    cutoff,
    holds: held.holds,
    purge: sum((c) => c.purge),
    keptHeld: sum((c) => c.keptHeld),
    versions: sum((c) => c.versions),
    attachments: sum((c) => c.attachments),
    conversations,
  };
}
