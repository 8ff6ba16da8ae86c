import type Database from 'better-sqlite3';
import type { AdminCheck, SyncPlan } from '../../../shared/views';
import { RunsRepo } from '../archive/runsRepo';
import { effectiveLimits, families, type Family } from '../cliq/families';
import type { Connection } from '../createCore';

/** Calls a sync makes besides the per-conversation ones: the listings (chats, channels, users, threads). */
const listingCalls = 4;

/**
 * What the next sync will cost, before it runs. The count of conversations comes from the
 * archive, or, before the first sync, from one Maintenance listing call (the admin check). Each
 * conversation costs up to one members and one messages export; those two families are paced
 * in parallel, so the slower of them sets the time.
 */
export async function planSync(db: Database.Database | null, connection: Connection, check: (connection: Connection) => Promise<AdminCheck>): Promise<SyncPlan> {
  const known = db?.prepare<[], { n: number }>('SELECT count(*) AS n FROM chats WHERE gone_at IS NULL').get()?.n ?? 0;
  const lastRun = db ? (new RunsRepo(db).recent(1)[0] ?? null) : null;
  let conversations = known;
  if (known === 0) {
    const admin = await check(connection);
    conversations = admin.sampleConversations ?? 0;
  }
  const limits = effectiveLimits(connection.quotas, connection.quotaScale ?? 1);
  const perConversation: Family[] = ['maint.members', 'maint.messages'];
  // An incremental sync skips unchanged conversations; the last run's calls are the best guess.
  const estimatedCalls = lastRun && lastRun.status !== 'running' ? Object.values(lastRun.calls).reduce((a, b) => a + b, 0) : listingCalls + conversations * perConversation.length;
  const perFamily = lastRun ? Math.ceil((estimatedCalls - listingCalls) / perConversation.length) : conversations;
  const estimatedMs = Math.max(...perConversation.map((family) => (Math.max(perFamily, 0) / limits[family].perMinute) * 60_000));
  return {
    knownConversations: known,
    firstSync: lastRun === null,
    estimatedCalls,
    estimatedMs: Math.round(estimatedMs),
    budget: perConversation.map((family) => `${families[family].label}: ${limits[family].perMinute} requests a minute`),
    lastRun,
  };
}
