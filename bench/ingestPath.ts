import { setImmediate } from 'node:timers/promises';
import type { Archive } from '../electron/core/archive/archive';
import type { RunError } from '../electron/core/archive/runsRepo';
import { effectiveLimits } from '../electron/core/cliq/families';
import { CliqHttp } from '../electron/core/cliq/http';
import { RateBudget } from '../electron/core/cliq/rateBudget';
import { emptyCounts, groupCommitMs } from '../electron/core/sync/engine';
import { syncConversationMessages, type ConversationWork } from '../electron/core/sync/messageWalker';
import type { MessageRowParser } from '../electron/core/sync/rowParser';
import type { SyncContext } from '../electron/core/sync/types';
import { systemClock } from '../electron/core/util/clock';
import { silentLogger } from '../electron/core/util/log';

/**
 * What the ingest row (sections/ingest.ts) and the simulator-built archive (simArchive.ts) share:
 * a sync context whose `fetch` never leaves the process, a run with its seal, and the loop that
 * hands each conversation's export page to the real messages walker and times the walker alone.
 */

/**
 * The export pages of the conversations being walked, by chat id: the walker's Maintenance export
 * call (M4) for a conversation is answered with its page, whatever window it asks for.
 */
export class ServedPages {
  private readonly pages = new Map<string, string>();

  set(chatId: string, page: string): void {
    this.pages.set(chatId, page);
  }

  delete(chatId: string): void {
    this.pages.delete(chatId);
  }

  /** The answer to an M4 call at `pathname`, or undefined when it is not one. */
  answer(pathname: string): Response | undefined {
    const match = /^\/maintenanceapi\/v2\/chats\/([^/]+)\/messages$/.exec(pathname);
    if (!match?.[1]) return undefined;
    const page = this.pages.get(decodeURIComponent(match[1]));
    if (page === undefined) throw new Error(`the bench has no page for ${pathname}`);
    return jsonResponse(page);
  }
}

/** A sync context as the engine makes one, quotas out of the way, answering HTTP through `fetch`. */
export function benchSyncContext(archive: Archive, runId: number, fetch: typeof globalThis.fetch, rowParser: MessageRowParser): SyncContext {
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
    options: { full: false, overlapMs: 600_000, membersRefreshMs: 1e12, reconcileAfterMs: 1e12, pageLimit: 100, concurrency: walksInFlight, reactionsPerRun: 0 },
    runId,
    signal: new AbortController().signal,
    rowParser,
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
  /**
   * The time spent making the page on this thread, synchronously (reading it back, rendering it):
   * not ingest. Only synchronous work can be told apart: while an await of the producer is
   * pending, the other conversation's rows may be stored, so such waits count as ingest.
   */
  preparedNs: bigint;
}

/** Conversations walked side by side, as a sync's messages lane does (its default concurrency). */
const walksInFlight = 2;

/**
 * Stores each conversation through syncConversationMessages (parse on the parser thread, validate,
 * map, upsert, FTS, seal, checkpoint), two at a time and in group commits, as the engine does: while
 * one conversation's rows are stored, the next one's page is parsed. Timed: from the first page to
 * the last commit, less the pages' `preparedNs`.
 */
export async function walkPages(
  ctx: SyncContext,
  served: ServedPages,
  conversations: Iterable<PreparedConversation> | AsyncIterable<PreparedConversation>,
): Promise<{ seconds: number; messages: number }> {
  const group = ctx.archive.groupCommits(groupCommitMs);
  const before = ctx.counts.messagesNew;
  const started = process.hrtime.bigint();
  let notIngest = 0n;
  const inFlight = new Set<Promise<void>>();
  const walk = async ({ work, page }: PreparedConversation) => {
    served.set(work.chatId, page);
    await syncConversationMessages(ctx, work);
    served.delete(work.chatId);
    // A real sync waits on the network between pages, and the group commit's timer fires in those
    // waits: a commit a second. Served from memory, nothing here would ever leave the microtask
    // queue, and the whole ingest was one transaction (the 10M build's WAL reached 8.75 GB). Yield
    // to the event loop, inside the timed part: the commits are the ingest's work.
    await setImmediate();
  };
  for await (const conversation of conversations) {
    notIngest += conversation.preparedNs;
    const walking: Promise<void> = walk(conversation).finally(() => inFlight.delete(walking));
    inFlight.add(walking);
    if (inFlight.size >= walksInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  group.end();
  const ns = process.hrtime.bigint() - started - notIngest;
  return { seconds: Number(ns) / 1e9, messages: ctx.counts.messagesNew - before };
}
