import type Database from 'better-sqlite3-multiple-ciphers';
import { accountEvidenceTotals } from './accountStats';
import { latestSchemaVersion } from './migrations';
import { RunsRepo } from './runsRepo';
import { fileCoverageByChat, fileTotals, withFiles } from './attachmentReads';
import { directoryTotals } from './directoryReads';
import { extrasTotals, reactionCoverageByChat } from './extrasReads';
import type { ArchiveStats, ConversationCoverage } from '../../../shared/archive';
export type { ArchiveStats, ConversationCoverage } from '../../../shared/archive';

/**
 * Coverage and freshness per conversation: Cliq's reported total next to what the archive holds,
 * and when it was last archived completely. Least fresh (and never complete) first.
 */
export function conversationCoverage(db: Database.Database, options: { limit?: number; onlyProblems?: boolean } = {}): ConversationCoverage[] {
  const problems = options.onlyProblems
    ? `WHERE gone_at IS NULL AND (sync_status IS NULL OR sync_status <> 'complete' OR (server_message_count IS NOT NULL AND server_message_count <> archived_count))`
    : '';
  const files = fileCoverageByChat(db);
  const rows = db
    .prepare<[number], ConversationCoverage>(
      `SELECT chat_id AS chatId, kind, title, server_message_count AS serverMessageCount, archived_count AS archivedCount,
              deleted_count AS deletedCount, sync_status AS syncStatus, last_complete_at AS lastCompleteAt,
              error_code AS errorCode, gone_at AS goneAt
         FROM chat_coverage ${problems}
        ORDER BY last_complete_at IS NOT NULL, last_complete_at, chat_id LIMIT ?`,
    )
    .all(options.limit ?? 100_000);
  const reactions = reactionCoverageByChat(db);
  return withFiles(rows, files).map((row) => {
    const r = reactions.get(row.chatId);
    return r ? { ...row, reactions: r } : row;
  });
}

/** Everything `cliq-vault stats` shows, from a read-only connection. */
export function readArchiveStats(db: Database.Database, runs = 5): ArchiveStats {
  const meta = (key: string) => db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ?? null;
  const liveGone = (table: string) =>
    db.prepare<[], { live: number; gone: number }>(`SELECT count(*) FILTER (WHERE gone_at IS NULL) AS live, count(*) FILTER (WHERE gone_at IS NOT NULL) AS gone FROM ${table}`).get() ?? {
      live: 0,
      gone: 0,
    };
  const conversations: ArchiveStats['conversations'] = {};
  for (const row of db
    .prepare<[], { kind: string; live: number; gone: number }>(
      `SELECT kind, count(*) FILTER (WHERE gone_at IS NULL) AS live, count(*) FILTER (WHERE gone_at IS NOT NULL) AS gone
         FROM chats GROUP BY kind ORDER BY kind`,
    )
    .all()) {
    conversations[row.kind] = { live: row.live, gone: row.gone };
  }
  const channels = liveGone('channels');
  const unmapped = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM channels WHERE chat_id IS NULL AND gone_at IS NULL').get()?.n ?? 0;
  // One pass: an interval opened by its conversation's first listing is "member when first archived".
  const memberships = db
    .prepare<[], { open: number; closed: number; firstArchived: number; fromInfoMessages: number }>(
      `WITH firsts AS (SELECT chat_id, min(first_seen_at) AS at FROM memberships GROUP BY chat_id)
       SELECT count(*) FILTER (WHERE m.gone_at IS NULL) AS open, count(*) FILTER (WHERE m.gone_at IS NOT NULL) AS closed,
              count(*) FILTER (WHERE m.first_seen_at = f.at) AS firstArchived,
              (SELECT count(*) FROM membership_boundaries) AS fromInfoMessages
         FROM memberships m JOIN firsts f ON f.chat_id = m.chat_id`,
    )
    .get() ?? { open: 0, closed: 0, firstArchived: 0, fromInfoMessages: 0 };
  const messages = db
    .prepare<[], { live: number; deleted: number; edited: number }>(
      `SELECT count(*) FILTER (WHERE deleted_at IS NULL) AS live, count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted,
              count(*) FILTER (WHERE version > 1) AS edited FROM messages`,
    )
    .get() ?? { live: 0, deleted: 0, edited: 0 };
  const versions = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM message_versions').get()?.n ?? 0;
  const coverage = db
    .prepare<[], ArchiveStats['coverage']>(
      `SELECT count(*) AS conversations,
              count(*) FILTER (WHERE sync_status = 'complete') AS complete,
              count(*) FILTER (WHERE sync_status IN ('forbidden', 'not_found', 'error')) AS failed,
              count(*) FILTER (WHERE sync_status IS NULL OR sync_status IN ('pending', 'in_progress')) AS pending,
              count(*) FILTER (WHERE server_message_count IS NOT NULL AND server_message_count <> archived_count) AS countMismatches
         FROM chat_coverage WHERE gone_at IS NULL`,
    )
    .get() ?? { conversations: 0, complete: 0, failed: 0, pending: 0, countMismatches: 0 };
  const files = fileTotals(db);
  const directory = directoryTotals(db);
  const account = accountEvidenceTotals(db);
  const extras = extrasTotals(db);
  return {
    schemaVersion: (db.pragma('user_version', { simple: true }) as number | undefined) ?? latestSchemaVersion,
    archiveId: meta('archive.id'),
    orgId: meta('org.id'),
    apiBase: meta('org.api_base'),
    messagesMode: meta('messages.mode'),
    conversations,
    channels: { ...channels, unmapped },
    threads: liveGone('threads'),
    users: liveGone('users'),
    memberships,
    messages: { ...messages, versions },
    coverage,
    ...(files ? { files } : {}),
    ...(directory ? { directory } : {}),
    ...(account ? { account } : {}),
    ...(extras ? { extras } : {}),
    lastRuns: new RunsRepo(db).recent(runs),
  };
}
