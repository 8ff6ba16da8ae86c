import { setImmediate } from 'node:timers/promises';
import type { Archive } from '../electron/core/archive/archive';
import type { RunError } from '../electron/core/archive/runsRepo';
import { effectiveLimits } from '../electron/core/cliq/families';
import { CliqHttp } from '../electron/core/cliq/http';
import { RateBudget } from '../electron/core/cliq/rateBudget';
import { emptyCounts, groupCommitMs } from '../electron/core/sync/engine';
import { syncConversationMessages, type ConversationWork } from '../electron/core/sync/messageWalker';
import type { SyncContext } from '../electron/core/sync/types';
import { systemClock } from '../electron/core/util/clock';
import { silentLogger } from '../electron/core/util/log';

/**
 * What the ingest row (sections/ingest.ts) and the simulator-built archive (simArchive.ts) share:
 * a sync context whose `fetch` never leaves the process, a run with its seal, and the loop that
 * hands each conversation's export page to the real messages walker and times the walker alone.
 */

/** The page the walker's Maintenance export call (M4) is answered with: the conversation being walked. */
export interface ServedPage {
  page: string;
}

/** A sync context as the engine makes one, quotas out of the way, answering HTTP through `fetch`. */
export function benchSyncContext(archive: Archive, runId: number, fetch: typeof globalThis.fetch): SyncContext {
  const budget = new RateBudget({ limits: effectiveLimits({}, 1e9), clock: systemClock });
  const http = new CliqHttp({
    endpoints: { apiBase: 'http://cliq.bench', accountsBase: 'http://accounts.bench', dataCentre: 'custom', network: undefined },
    tokens: { accessToken: () => Promise.resolve('bench'), invalidate: () => undefined },
    budget,
    clock: systemClock,
    log: silentLogger,
    fetch,
  });
  const errors: RunError[] = [];
  return {
    archive,
    http,
    budget,
    clock: systemClock,
    log: silentLogger,
    options: { full: false, overlapMs: 600_000, membersRefreshMs: 1e12, reconcileAfterMs: 1e12, pageLimit: 100, concurrency: 1, reactionsPerRun: 0 },
    runId,
    signal: new AbortController().signal,
    counts: emptyCounts(),
    errors,
    write: () => ({ runId, now: Date.now() }),
    warn: (error) => errors.push(error),
    progress: () => undefined,
  };
}

/** A JSON answer, as the simulator's listener would have sent it. */
export function jsonResponse(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}

/** Records a run and opens its seal, as a sync does before it writes anything. */
export function openBenchRun(archive: Archive): number {
  return archive.transaction(() => {
    const runId = archive.runs.start(Date.now(), 'bench', {}, process.pid, 'bench');
    archive.sealer.open('sync', runId, Date.now());
    return runId;
  });
}

/** Finishes the run and closes its seal, in that order, as a sync does: the seal covers the run's record. */
export function closeBenchRun(archive: Archive, ctx: SyncContext): void {
  archive.transaction(() => {
    const now = Date.now();
    archive.runs.finish(ctx.runId, { now, status: ctx.errors.length === 0 ? 'complete' : 'partial', counts: { ...ctx.counts }, calls: ctx.budget.callCounts(), rateLimited: {}, errors: ctx.errors });
    archive.sealer.close(archive.sealer.openSeal ?? 0, now);
  });
}

/** One conversation, its export page already in hand. */
export interface PreparedConversation {
  work: ConversationWork;
  page: string;
}

/**
 * Stores each conversation through syncConversationMessages (parse, validate, map, upsert, FTS,
 * seal, checkpoint), in group commits as the engine does. Only the walker and the last commit are
 * timed: producing the pages (reading them back, or rendering them) is not ingest, and neither is
 * `after` (the builder's members), which runs between two conversations.
 */
export async function walkPages(
  ctx: SyncContext,
  served: ServedPage,
  conversations: Iterable<PreparedConversation> | AsyncIterable<PreparedConversation>,
  after?: (work: ConversationWork) => Promise<void>,
): Promise<{ seconds: number; messages: number }> {
  const group = ctx.archive.groupCommits(groupCommitMs);
  const before = ctx.counts.messagesNew;
  let ns = 0n;
  for await (const { work, page } of conversations) {
    served.page = page;
    const started = process.hrtime.bigint();
    await syncConversationMessages(ctx, work);
    // A real sync waits on the network between pages, and the group commit's timer fires in those
    // waits: a commit a second. Served from memory, nothing here ever left the microtask queue, and
    // the whole ingest was one transaction (the 10M build's WAL reached 8.75 GB). Yield to the event
    // loop, inside the timed part: the commits are the ingest's work.
    await setImmediate();
    ns += process.hrtime.bigint() - started;
    if (after) await after(work);
  }
  served.page = '';
  const committing = process.hrtime.bigint();
  group.end();
  ns += process.hrtime.bigint() - committing;
  return { seconds: Number(ns) / 1e9, messages: ctx.counts.messagesNew - before };
}
