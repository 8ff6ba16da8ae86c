import type Database from 'better-sqlite3-multiple-ciphers';
import type { FilesPolicy } from '../../../shared/settings';
import { bytesPerMb } from '../../../shared/settings';
import type { AdminCheck, SyncPlan } from '../../../shared/views';
import { attachmentsDueWhere, dueParams, type DueParams } from '../archive/attachmentsRepo';
import { RunsRepo } from '../archive/runsRepo';
import { effectiveLimits, families, isFamily, type Family } from '../cliq/families';
import type { Connection } from '../createCore';

/** Calls a first sync makes besides the per-conversation ones: the org's listings. */
const firstSyncListings: readonly Family[] = ['maint.chats', 'maint.channels', 'users.list', 'channels.list'];

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
 * What the next sync will cost, before it runs. Families are paced in parallel, each on its own
 * quota, so the time is set by the family with the most calls for its quota. An incremental sync
 * skips unchanged conversations, so the last run's calls per family (members over C3 at 100 a
 * minute, messages, optional sources…) are the best guess, with the due files counted afresh.
 * Before the first sync the count of conversations comes from one Maintenance listing call (the
 * admin check) and each costs one members and one messages export (which channels C3 can read
 * is only known after the first listing).
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
  const limits = effectiveLimits(connection.quotas, connection.quotaScale ?? 1);
  const calls = new Map<Family, number>();
  if (lastRun && lastRun.status !== 'running') {
    for (const [family, n] of Object.entries(lastRun.calls)) if (isFamily(family) && family !== 'files.get' && n > 0) calls.set(family, n);
  } else {
    calls.set('maint.members', conversations);
    calls.set('maint.messages', conversations);
    for (const family of firstSyncListings) calls.set(family, 1);
  }
  if (files.policy.fetch === 'all' && (due ?? 0) > 0) calls.set('files.get', due ?? 0);
  const familyMs = (family: Family) => ((calls.get(family) ?? 0) / limits[family].perMinute) * 60_000;
  const busiest = [...calls.keys()].sort((a, b) => familyMs(b) - familyMs(a) || (a < b ? -1 : 1));
  // The message and member exports are always named (they set the pace of a first sync), and files when fetched.
  const shown = new Set<Family>(['maint.members', 'maint.messages', ...(files.policy.fetch === 'all' ? (['files.get'] as const) : []), ...busiest.slice(0, 2)]);
  return {
    knownConversations: known,
    firstSync: lastRun === null,
    estimatedCalls: [...calls.values()].reduce((a, b) => a + b, 0),
    estimatedMs: Math.round(Math.max(0, ...busiest.map(familyMs))),
    filesDue: files.policy.fetch === 'none' ? null : due,
    budget: [...shown].map((family) => `${families[family].label}: ${limits[family].perMinute} requests a minute`),
    lastRun,
  };
}
