import { hostname } from 'node:os';
import { VaultError, toVaultError } from '../../../shared/errors';
import { classifyRun } from '../../../shared/runOutcome';
import { defaultReactionsPerRun } from '../../../shared/scheduleSettings';
import type { Archive } from '../archive/archive';
import type { RunError } from '../archive/runsRepo';
import type { Endpoints } from '../cliq/dataCentres';
import type { CliqHttp } from '../cliq/http';
import type { RateBudget } from '../cliq/rateBudget';
import { listUsers } from '../cliq/rest';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';
import { testPausePoint } from '../util/testPause';
import { toolVersion } from '../version';
import type { AttachmentPolicy } from '../archive/attachmentsRepo';
import { runAccountSources } from './accountSources';
import { fatalCodes, failure, transportCodes } from './failure';
import { createExtrasLane } from './extrasLane';
import { createFilesLane } from './filesLane';
import { syncDirectory } from './directory';
import { checkOrgIdentity, inventoryChannels, inventoryChats, inventoryUsers } from './inventory';
import { planMemberChecks, syncMembers } from './members';
import { syncConversationMessages, type ConversationWork } from './messageWalker';
import { openRowParser } from './rowParser';
import { syncChannelThreads } from './threads';
import type { SyncContext, SyncCounts, SyncOptions, SyncProgress, SyncReport } from './types';
import { ParentFirst, WeightGate, WorkQueue, drain } from './workQueue';

export interface SyncDeps {
  archive: Archive;
  http: CliqHttp;
  budget: RateBudget;
  clock: Clock;
  log: Logger;
  endpoints: Endpoints;
}

/** Transport failures in a row, across conversations, before the run gives up (Cliq is down). */
const circuitBreakerLimit = 3;
/**
 * How long the sync's units share one commit (archive/groupCommit.ts): a crash loses at most this
 * much work, fetched again by the next sync. One second took the ingest of 100k messages from
 * 2.1 GB written to ~0.3 GB (docs/performance.md).
 */
export const groupCommitMs = 1_000;
/** Messages (as Cliq counts them) of the conversations archived side by side, at most. */
const messagesInFlight = 20_000;
/** Threads come without a count; most are short. */
const unknownCountWeight = 1_000;

/** Read through a function: TypeScript cannot see that an await in between may abort the signal. */
function controllerAborted(ctx: SyncContext): boolean {
  return ctx.signal.aborted;
}

/** A run's counters, all zero: every context a sync (or a test or the bench) builds starts here. */
export function emptyCounts(): SyncCounts {
  return {
    chats: 0,
    channels: 0,
    threads: 0,
    users: 0,
    conversationsSynced: 0,
    conversationsUnchanged: 0,
    conversationsFailed: 0,
    messagesNew: 0,
    messagesChanged: 0,
    messagesDeleted: 0,
    messagesRestored: 0,
    membersFirstArchived: 0,
    membersJoined: 0,
    membersLeft: 0,
    goneChats: 0,
    goneUsers: 0,
    filesStored: 0,
    filesDeduplicated: 0,
    filesUnavailable: 0,
    filesSkipped: 0,
    filesForbidden: 0,
  };
}

/**
 * One sync run: take the writer lease, record the run, list the org (inventory), then archive
 * every conversation's members and messages, with threads discovered per channel as it goes.
 * Families are paced independently, so members, messages and thread listings proceed in parallel.
 */
export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncReport> {
  const { archive, clock, log, budget } = deps;
  const me = { holder: `cliq-vault ${toolVersion} sync`, pid: process.pid, host: hostname() };
  const leaseTtl = options.leaseTtlMs ?? 30_000;
  const lease = archive.lease.acquire(me, leaseTtl);
  if (!lease.ok) {
    const { current } = lease;
    throw new VaultError('ARCHIVE_LOCKED', `The archive is being written by another process (${current.holder}, pid ${current.pid} on ${current.host}).`, {
      hint: 'Wait for that sync or backup to finish, then run again.',
    });
  }
  testPausePoint('sync:leased');

  const controller = new AbortController();
  let fatal: VaultError | undefined;
  const abort = (error: VaultError) => {
    fatal ??= error;
    controller.abort(error);
  };
  const onOuterAbort = () => abort(new VaultError('CANCELLED', 'The sync was cancelled.'));
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const startedAt = clock.now();
  const { runId, sealId } = archive.transaction(() => {
    const orphans = archive.runs.closeOrphans(startedAt);
    if (orphans > 0) log.info(`marked ${orphans} interrupted earlier run(s) as partial`);
    // Their seals are closed now, over what they committed (digests and rows commit together).
    archive.sealer.closeInterrupted(startedAt);
    const id = archive.runs.start(startedAt, toolVersion, { full: options.full ?? false, endpoints: deps.endpoints }, process.pid, me.host);
    return { runId: id, sealId: archive.sealer.open('sync', id, startedAt) };
  });

  const counts = emptyCounts();
  const errors: RunError[] = [];
  const rowParser = openRowParser();
  const progressState: SyncProgress = { phase: 'starting', chatsTotal: 0, chatsDone: 0, messagesStored: 0, calls: 0, etaMs: 0, filesStored: 0, filesDone: 0, filesRemaining: 0 };
  let lastSaved = 0;
  const remaining = { messages: 0, members: 0, channels: 0, files: 0 };

  const ctx: SyncContext = {
    archive,
    http: deps.http,
    budget,
    clock,
    log,
    options: {
      full: options.full ?? false,
      overlapMs: options.overlapMs ?? 10 * 60_000,
      membersRefreshMs: options.membersRefreshMs ?? 7 * 86_400_000,
      reconcileAfterMs: options.reconcileAfterMs ?? 30 * 86_400_000,
      pageLimit: options.pageLimit ?? 100,
      concurrency: options.concurrency ?? 2,
      reactionsPerRun: options.reactionsPerRun ?? defaultReactionsPerRun,
    },
    runId,
    signal: controller.signal,
    rowParser,
    counts,
    errors,
    write: () => ({ runId, now: clock.now() }),
    warn: (error) => {
      errors.push(error);
      log.warn(error.message, { code: error.code });
    },
    progress: (update) => {
      Object.assign(progressState, update);
      const calls = Object.values(budget.callCounts()).reduce((a, b) => a + b, 0);
      progressState.calls = calls;
      progressState.etaMs = Math.max(
        budget.estimateMs('maint.messages', remaining.messages),
        budget.estimateMs('maint.members', remaining.members),
        budget.estimateMs('threads.list', remaining.channels),
        budget.estimateMs('files.get', remaining.files),
      );
      progressState.filesStored = counts.filesStored ?? 0;
      progressState.filesRemaining = remaining.files;
      const paused = (['maint.messages', 'maint.members', 'threads.list', 'files.get'] as const).map((f) => budget.lockedUntil(f) ?? 0);
      const pausedUntil = Math.max(...paused);
      if (pausedUntil > 0) progressState.pausedUntil = pausedUntil;
      else delete progressState.pausedUntil;
      options.onProgress?.({ ...progressState });
      const now = clock.now();
      if (now - lastSaved > 2_000) {
        lastSaved = now;
        archive.runs.progress(runId, counts, budget.callCounts(), budget.rateLimitedCounts());
      }
    },
  };

  // The lease must outlive the run: renew it, and stop writing at once if another process took it.
  const heartbeat = setInterval(
    () => {
      try {
        if (!archive.lease.heartbeat(me, leaseTtl)) abort(new VaultError('ARCHIVE_LOCKED', 'Another process took over the archive during the sync.'));
      } catch (error) {
        log.warn(`lease heartbeat failed: ${toVaultError(error).message}`);
      }
    },
    Math.max(1_000, leaseTtl / 3),
  );
  heartbeat.unref();

  const group = archive.groupCommits(groupCommitMs);
  try {
    await syncEverything(deps, ctx, remaining, abort, { files: options.files ?? 'all', maxBytes: options.filesMaxBytes ?? null });
  } catch (error) {
    const e = failure(controller.signal.reason instanceof VaultError ? controller.signal.reason : error);
    fatal ??= e;
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener('abort', onOuterAbort);
    testPausePoint('sync:end');
    try {
      group.end();
    } catch (error) {
      fatal ??= failure(error);
    }
    await rowParser.close();
  }

  const endedAt = clock.now();
  if (fatal && fatal.code !== 'CANCELLED') errors.push({ code: fatal.code, message: fatal.message });
  // Whether the notes leave the run complete is the vocabulary's call (shared/warnings.ts).
  const { status, cancelled } = classifyRun({ cancelled: false, fatal, errors });
  const calls = budget.callCounts();
  const rateLimited = budget.rateLimitedCounts();
  archive.transaction(() => {
    archive.runs.finish(runId, { now: endedAt, status: cancelled ? 'cancelled' : status, counts, calls, rateLimited, errors });
    archive.sealer.close(sealId, endedAt);
  });
  archive.lease.release(me);
  ctx.progress({ phase: 'finishing' });

  const report: SyncReport = {
    runId,
    status,
    cancelled,
    startedAt,
    endedAt,
    counts,
    calls,
    callsTotal: Object.values(calls).reduce((a, b) => a + b, 0),
    messageCalls: calls['maint.messages'] ?? 0,
    rateLimited,
    errors,
    messagesMode: archive.meta.get('messages.mode'),
  };
  // The hint is what the user acts on (re-authorise, wait, free space): it must reach them.
  if (fatal && !cancelled) report.fatal = fatal.toShape();
  return report;
}

async function syncEverything(
  deps: SyncDeps,
  ctx: SyncContext,
  remaining: { messages: number; members: number; channels: number; files: number },
  abort: (error: VaultError) => void,
  policy: AttachmentPolicy,
): Promise<void> {
  ctx.progress({ phase: 'inventory' });

  // Identity first: which org do these credentials reach? Checked before anything is written.
  const users = listUsers(ctx.http, ctx.signal);
  const first = await users.next().catch((error: unknown) => {
    if (error instanceof VaultError && error.code === 'NOT_FOUND' && deps.endpoints.network !== undefined) {
      throw new VaultError('USAGE', `Cliq does not know the network "${deps.endpoints.network}" (the users listing answered 404).`, {
        cause: error,
        hint: 'Use the unique name or id shown in the network URL (https://cliq.zoho.com/network/<name>), or leave --network out for the org itself.',
        ui: {
          message: `Cliq does not know the network "${deps.endpoints.network}" (the users listing answered 404).`,
          hint: 'Use the unique name or id shown in the network URL (https://cliq.zoho.com/network/<name>), or leave the network empty for the org itself.',
        },
      });
    }
    throw error;
  });
  if (first.done) throw new VaultError('MALFORMED_RESPONSE', 'The users listing returned nothing.');
  checkOrgIdentity(ctx, first.value);
  const { endpoints } = deps;
  ctx.archive.transaction(() => {
    ctx.archive.meta.set('org.api_base', endpoints.apiBase);
    ctx.archive.meta.set('org.data_centre', endpoints.dataCentre);
    if (endpoints.network !== undefined) ctx.archive.meta.set('org.network', endpoints.network);
  });

  // The org directory (departments, designations, roles, teams): its own families, beside the rest.
  // A failure that stops every source stops the run, as in the other lanes.
  const directoryLane = syncDirectory(ctx).catch((error: unknown) => {
    const e = failure(error);
    if (e.code !== 'CANCELLED' && !controllerAborted(ctx)) abort(e);
  });

  const messageQueue = new WorkQueue<ConversationWork>();
  const memberQueue = new WorkQueue<{ chat: ConversationWork; messagesChanged: boolean }>();
  /** Conversations whose messages are stored: their attachments are registered and due. */
  const files = createFilesLane(ctx, policy, remaining, abort);
  const filesLane = files.run();
  /** Reactions and sticky messages of the conversations REST can read (sync/extrasLane.ts). */
  const extras = createExtrasLane(ctx);
  const extrasLane = extras.run();
  const seen = new Set<string>();
  const memberFeed = new ParentFirst(
    memberQueue,
    (item) => item.chat.chatId,
    (item) => item.chat.parentChatId,
    (chatId) => seen.has(chatId),
  );
  const enqueue = (chat: ConversationWork) => {
    if (seen.has(chat.chatId)) return;
    seen.add(chat.chatId);
    extras.know(chat);
    messageQueue.push(chat);
    remaining.messages += 1;
    remaining.members += 1;
    ctx.progress({ chatsTotal: seen.size });
  };

  // Per lane: the members of a conversation are listed right after its messages, so one lane's
  // successes must not hide that the other keeps failing.
  const consecutiveTransport = { messages: 0, members: 0 };
  const stopped = new Set<string>();
  /** Runs one step for one conversation; decides what a failure means for the run. */
  const guarded = async (lane: 'messages' | 'members', chat: ConversationWork, step: () => Promise<void>) => {
    if (stopped.has(lane) || controllerAborted(ctx)) return;
    try {
      await step();
      consecutiveTransport[lane] = 0;
    } catch (error) {
      const e = failure(error);
      if (e.code === 'CANCELLED' || controllerAborted(ctx)) return;
      if (fatalCodes.has(e.code)) {
        abort(e);
        return;
      }
      if (e.code === 'RATE_LIMITED') {
        stopped.add(lane);
        ctx.warn({ code: e.code, family: lane, message: `${e.message} The remaining conversations are left for the next run.` });
        return;
      }
      const status = e.code === 'FORBIDDEN' ? 'forbidden' : e.code === 'NOT_FOUND' ? 'not_found' : 'error';
      ctx.archive.syncState.fail(chat.chatId, status, e.code, e.message, ctx.clock.now());
      ctx.counts.conversationsFailed += lane === 'messages' ? 1 : 0;
      ctx.warn({ code: e.code, chatId: chat.chatId, message: `${lane === 'messages' ? 'Messages' : 'Members'} of ${chat.chatId}: ${e.message}` });
      if (transportCodes.has(e.code)) {
        consecutiveTransport[lane] += 1;
        if (consecutiveTransport[lane] >= circuitBreakerLimit) {
          abort(
            new VaultError(e.code, `Cliq kept failing (${consecutiveTransport[lane]} conversations in a row): ${e.message}`, {
              hint: 'Nothing stored was lost; run the sync again when Cliq answers.',
            }),
          );
        }
      }
    }
  };

  // A single-shot export holds a conversation's whole history in memory while it is stored: two
  // big ones at once set the sync's peak memory. Conversations run side by side only while the
  // messages Cliq reports for them add up to no more than this (a bigger one runs alone).
  const inMemory = new WeightGate(messagesInFlight);
  const messagesLane = drain(messageQueue, ctx.options.concurrency, async (chat) => {
    const release = await inMemory.acquire(chat.serverCount ?? unknownCountWeight);
    let messagesChanged = false;
    try {
      await guarded('messages', chat, async () => {
        const outcome = await syncConversationMessages(ctx, chat);
        if (outcome === 'unchanged') ctx.counts.conversationsUnchanged += 1;
        else ctx.counts.conversationsSynced += 1;
        messagesChanged = outcome !== 'unchanged';
      });
    } finally {
      release();
    }
    // Members after messages: a join or leave recorded by an info message is stored by now, so
    // its time can bound the interval (sync/members.ts). The two lanes still overlap.
    memberFeed.push({ chat, messagesChanged });
    // Whatever of the conversation is stored (all of it, or the pages before a failure), its
    // files are registered and handed to the file lane. Unchanged conversations too: an archive
    // from before attachments existed registers its files on the next sync.
    if (!controllerAborted(ctx)) {
      files.add(chat.chatId);
      extras.add(chat, messagesChanged);
    }
    remaining.messages -= 1;
    ctx.progress({ chatsDone: seen.size - remaining.messages });
  });
  const messagesDone = messagesLane.finally(async () => {
    files.close();
    extras.close();
    memberFeed.close();
    // Nothing parses messages after this lane: the thread's heap is not held through the rest of
    // the run (members, files, reactions), where a 10M sync peaked (docs/performance.md).
    await ctx.rowParser.close();
  });

  const membersLane = drain(memberQueue, ctx.options.concurrency, async (item) => {
    const { chat, messagesChanged } = item;
    await guarded('members', chat, async () => {
      await syncMembers(ctx, chat, messagesChanged);
    });
    memberFeed.finished(item);
    remaining.members -= 1;
  });

  const producers = (async () => {
    try {
      const [chats, channels, usersDone] = await Promise.allSettled([
        inventoryChats(ctx).then((list) => {
          planMemberChecks(ctx, list);
          list.forEach(enqueue);
        }),
        inventoryChannels(ctx).then((inv) => {
          planMemberChecks(ctx, inv.conversations);
          inv.conversations.forEach(enqueue);
          return inv.channels;
        }),
        inventoryUsers(ctx, first.value, users),
      ]);
      for (const result of [chats, channels, usersDone]) {
        if (result.status === 'rejected') {
          const e = failure(result.reason);
          if (fatalCodes.has(e.code) || e.code === 'CANCELLED') throw e;
          ctx.warn({ code: e.code, message: `Inventory: ${e.message}` });
        }
      }
      if (channels.status === 'fulfilled') {
        ctx.progress({ phase: 'threads' });
        remaining.channels = channels.value.length;
        for (const channel of channels.value) {
          if (controllerAborted(ctx)) break;
          try {
            (await syncChannelThreads(ctx, channel)).forEach(enqueue);
          } catch (error) {
            const e = failure(error);
            if (fatalCodes.has(e.code) || e.code === 'CANCELLED') throw e;
            ctx.warn({ code: e.code, message: `Threads of channel ${channel.key}: ${e.message}` });
            if (e.code === 'RATE_LIMITED') break;
          }
          remaining.channels -= 1;
        }
      }
      ctx.progress({ phase: 'conversations' });
    } finally {
      messageQueue.close();
    }
  })();

  const accountSources = runAccountSources(ctx, messagesDone);
  // Reactions are checked while the rest of the run goes on, never after it (sync/extrasLane.ts).
  void Promise.allSettled([producers, messagesDone, membersLane, filesLane, directoryLane, accountSources]).then(() => extras.othersDone());
  const results = await Promise.allSettled([producers, messagesDone, membersLane, filesLane, directoryLane, accountSources, extrasLane]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}
