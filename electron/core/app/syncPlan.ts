import type Database from 'better-sqlite3';
import type { FilesPolicy } from '../../../shared/settings';
import { bytesPerMb } from '../../../shared/settings';
import type { AdminCheck, SyncPlan } from '../../../shared/views';
import { attachmentsDueWhere, dueParams, type DueParams } from '../archive/attachmentsRepo';
import { RunsRepo } from '../archive/runsRepo';
import { effectiveLimits, families, type Family } from '../cliq/families';
import type { Connection } from '../createCore';

/** Calls a sync makes besides the per-conversation ones: the listings (chats, channels, users, threads). */
const listingCalls = 4;

/**
 * Files the next sync will try to download under the policy: attachment rows that are due (the
 * same rule as the files lane, attachmentsRepo.ts) plus files of stored messages not yet registered
 * (an archive synced before attachments existed). Null when the archive predates them.
 */
function filesDue(db: Database.Database, policy: FilesPolicy, now: number): number | null {
  const hasTable = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'attachments'").get()?.n === 1;
  if (!hasTable || policy.fetch === 'none') return hasTable ? 0 : null;
  const maxBytes = policy.maxMb === null ? null : Math.floor(policy.maxMb * bytesPerMb);
  // The lane's own rule, less the files declared over the limit: those are marked without a call.
  const due = db
    .prepare<[DueParams], { n: number }>(`SELECT count(*) AS n FROM attachments WHERE ${attachmentsDueWhere} AND (@maxBytes IS NULL OR coalesce(declared_size, 0) <= @maxBytes)`)
    .get(dueParams(now, { files: 'all', maxBytes }))?.n;
  const unregistered = db
    .prepare<[], { n: number }>(
      `SELECT count(*) AS n FROM messages m INDEXED BY messages_files
        WHERE m.file_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.chat_id = m.chat_id AND a.message_id = m.message_id AND a.file_id = m.file_id)`,
    )
    .get()?.n;
  return (due ?? 0) + (unregistered ?? 0);
}

/**
 * What the next sync will cost, before it runs. The count of conversations comes from the
 * archive, or, before the first sync, from one Maintenance listing call (the admin check). Each
 * conversation costs up to one members and one messages export, and each due file one download;
 * the three families are paced in parallel, so the slowest of them sets the time.
 */
export async function planSync(
  db: Database.Database | null,
  connection: Connection,
  check: (connection: Connection) => Promise<AdminCheck>,
  files: { policy: FilesPolicy; now: number },
): Promise<SyncPlan> {
  const known = db?.prepare<[], { n: number }>('SELECT count(*) AS n FROM chats WHERE gone_at IS NULL').get()?.n ?? 0;
  const lastRun = db ? (new RunsRepo(db).recent(1)[0] ?? null) : null;
  let conversations = known;
  if (known === 0) {
    const admin = await check(connection);
    conversations = admin.sampleConversations ?? 0;
  }
  const due = db ? filesDue(db, files.policy, files.now) : null;
  const downloads = due ?? 0;
  const limits = effectiveLimits(connection.quotas, connection.quotaScale ?? 1);
  const perConversation: Family[] = ['maint.members', 'maint.messages'];
  // An incremental sync skips unchanged conversations; the last run's calls (less its downloads,
  // counted afresh) are the best guess.
  const lastCalls = lastRun && lastRun.status !== 'running' ? Object.values(lastRun.calls).reduce((a, b) => a + b, 0) - (lastRun.calls['files.get'] ?? 0) : null;
  const conversationCalls = lastCalls ?? listingCalls + conversations * perConversation.length;
  const perFamily = lastCalls !== null ? Math.ceil((conversationCalls - listingCalls) / perConversation.length) : conversations;
  const estimatedMs = Math.max(...perConversation.map((family) => (Math.max(perFamily, 0) / limits[family].perMinute) * 60_000), (downloads / limits['files.get'].perMinute) * 60_000);
  const budgetFamilies: Family[] = files.policy.fetch === 'all' ? [...perConversation, 'files.get'] : perConversation;
  return {
    knownConversations: known,
    firstSync: lastRun === null,
    estimatedCalls: conversationCalls + downloads,
    estimatedMs: Math.round(estimatedMs),
    filesDue: files.policy.fetch === 'none' ? null : due,
    budget: budgetFamilies.map((family) => `${families[family].label}: ${limits[family].perMinute} requests a minute`),
    lastRun,
  };
}
