import type { ChatSyncState } from '../archive/syncStateRepo';
import type { WriteContext } from '../archive/entityStore';
import { exportMessagesInto, type MessageWindow } from '../cliq/maintenance';
import type { MessageRow } from './mapMessage';
import { SingleShotWriter } from './singleShot';
import type { SyncContext } from './types';
import { changesOf, upsertRows } from './upsertRows';

/** What the engine knows about a conversation from this run's inventory. */
export interface ConversationWork {
  chatId: string;
  title: string | null;
  kind: 'direct' | 'group' | 'bot' | 'channel' | 'thread';
  serverCount: number | null;
  serverModified: number | null;
  participantCount: number | null;
  /**
   * What says the members may have changed: the conversation's last activity (a join or leave posts
   * an info message). A thread's members are its channel's, so its channel's activity counts too.
   */
  membersModified: number | null;
  /**
   * For a channel: its REST id, and whether C3 (its members over REST) should answer the connected
   * admin — they joined it, or it is organisation-level (docs/cliq-api.md §10.7). See sync/members.ts.
   */
  channel?: { restId: string; restReadable: boolean; spotCheck?: boolean };
  /**
   * For a group chat the connected account is in (this run's chats listing, H1, showed it): its
   * members are read with H2 and checked at every sync as far as H2's quota allows (sync/members.ts).
   */
  ownChat?: { spotCheck?: boolean };
  /** For a thread: its channel's chat id (a thread's members are its channel's). */
  parentChatId?: string;
}

export type WalkOutcome = 'unchanged' | 'synced';

/** The largest page we ask for when more messages than a page share one millisecond. */
const maxLimit = 1_000;
/** How far past "now" a window reaches, for clocks that disagree a little. */
const clockSlackMs = 5 * 60_000;

/**
 * Archives the messages of one conversation.
 *
 * The Maintenance messages export documents no parameters (docs/cliq-api.md §6.5, §9.1), so every request
 * carries fromtime/totime/limit with REST semantics and every answer is judged:
 * - more messages than `limit`, or any outside the window → the server ignored the window: the
 *   answer is the whole history in one shot ("single-shot");
 * - exactly `limit`, all inside → the server pages by window: walk on from the last time seen;
 * - fewer than `limit` → the end, in either behaviour.
 * Windows start one millisecond before the last time seen, so messages sharing that millisecond
 * are fetched again whether bounds are inclusive or exclusive; ids dedupe them.
 *
 * Each page is stored with its checkpoint in one transaction: a crash at any instant resumes from
 * the last committed page, and re-fetching a page changes nothing (upserts compare content hashes).
 */
export async function syncConversationMessages(ctx: SyncContext, chat: ConversationWork): Promise<WalkOutcome> {
  const { archive } = ctx;
  const state = archive.syncState.get(chat.chatId);
  if (isUnchanged(ctx, chat, state)) return 'unchanged';

  let walk = resumeOrStart(ctx, chat, state);
  const first = await walkWindows(ctx, chat, walk);
  if (first.escalate) {
    // An incremental walk could not account for what changed (see needsFullWalk): walk it all.
    walk = { from: 0, cursor: 0, full: true, recorded: false };
    await walkWindows(ctx, chat, walk);
  }
  return 'synced';
}

function isUnchanged(ctx: SyncContext, chat: ConversationWork, state: ChatSyncState): boolean {
  return !ctx.options.full && state.status === 'complete' && chat.serverModified !== null && state.syncedLastModified === chat.serverModified && state.syncedMessageCount === chat.serverCount;
}

interface Walk {
  from: number;
  cursor: number;
  full: boolean;
  /**
   * Whether the checkpoint records this walk yet. A new walk is recorded in the transaction of its
   * first page, not in one of its own: one commit (one fsync) fewer per conversation.
   */
  recorded: boolean;
}

function resumeOrStart(ctx: SyncContext, chat: ConversationWork, state: ChatSyncState): Walk {
  // A walk that a crash, a rate limit or an error interrupted keeps walk_from: carry on from there.
  if (state.walkFrom !== null && state.status !== 'complete') {
    ctx.log.debug(`resuming ${chat.chatId} at ${state.cursorTime ?? state.walkFrom}`);
    return { from: state.walkFrom, cursor: state.cursorTime ?? state.walkFrom, full: state.walkFull, recorded: true };
  }
  const now = ctx.clock.now();
  const full =
    ctx.options.full ||
    state.lastCompleteAt === null ||
    state.lastFullAt === null ||
    now - state.lastFullAt > ctx.options.reconcileAfterMs ||
    // Fewer messages on the server than at the last pass: something was deleted.
    (chat.serverCount !== null && state.syncedMessageCount !== null && chat.serverCount < state.syncedMessageCount);
  const from = full ? 0 : Math.max(0, (state.cursorTime ?? 0) - ctx.options.overlapMs);
  return { from, cursor: from, full, recorded: false };
}

/** Records a new walk in the checkpoint; call inside the transaction of its first page. */
function recordWalk(ctx: SyncContext, chat: ConversationWork, walk: Walk): void {
  if (walk.recorded) return;
  ctx.archive.syncState.startWalk(chat.chatId, walk.from, walk.full, ctx.clock.now());
  if (walk.full) ctx.archive.messages.clearSeen(chat.chatId);
}

async function walkWindows(ctx: SyncContext, chat: ConversationWork, walk: Walk): Promise<{ escalate: boolean }> {
  const { archive } = ctx;
  let limit = ctx.options.pageLimit;
  let cursor = walk.cursor;
  let foundChanges = 0;
  const upper = Math.max(ctx.clock.now(), chat.serverModified ?? 0) + clockSlackMs;

  // The millisecond given up on as a coverage gap, and where the next window must start instead.
  let gapAt: number | undefined;
  let fromOverride: number | undefined;

  for (;;) {
    const window: MessageWindow = { fromTime: fromOverride ?? Math.max(0, cursor - 1), toTime: upper, limit };
    fromOverride = undefined;
    ctx.progress({ chatId: chat.chatId, chatTitle: chat.title });
    const page = await exportMessagesInto(
      ctx.http,
      chat.chatId,
      window,
      async (body) => {
        // One write stores the whole answer. A conversation archived for the first time has only
        // new messages: their row hashes are made as they are parsed, off the storing thread. Not
        // for one archived before, whose answers repeat what is stored (a whole history, each
        // time it changes, from a server that ignores the window): hashing them would be waste.
        const collector = new PageCollector(ctx, chat, limit, ctx.write());
        const sealAhead = !ctx.archive.messages.hasAny(chat.chatId);
        await ctx.rowParser.parse(body, chat.chatId, sealAhead ? collector.write : undefined, (rows) => {
          for (const row of rows) collector.take(row);
        });
        return collector.finish();
      },
      ctx.signal,
    );
    if (page.streamed) {
      // More messages than asked for: the server ignored the window, and the answer, a whole
      // history, was stored as it was parsed.
      rememberMode(ctx, 'single-shot');
      page.streamed.finish();
      return { escalate: false };
    }
    const { rows, write } = page;

    const outside = rows.some((r) => r.time < window.fromTime || r.time > window.toTime);
    // A page no bigger than asked that holds a message from outside the window (a repeat from an
    // earlier page) is a windowed page with a stray, unless it holds every message Cliq reports:
    // judged a whole history, its span would make every archived message it lacks look deleted.
    const ignoredWindow = outside && (window.fromTime === 0 || (chat.serverCount !== null && rows.length >= chat.serverCount));
    // A full page from a server already known to send whole histories, holding every message Cliq
    // reports: provably complete, so no second call to tell it from a first page.
    const wholeHistory = window.fromTime === 0 && ctx.archive.meta.get('messages.mode') === 'single-shot' && chat.serverCount !== null && rows.length >= chat.serverCount;
    if (ignoredWindow || wholeHistory) {
      rememberMode(ctx, 'single-shot');
      storeSingleShot(ctx, chat, rows, write);
      return { escalate: false };
    }
    let ended = false;
    if (gapAt !== undefined && rows.length > 0 && rows.every((r) => r.time <= (gapAt ?? 0))) {
      if (window.fromTime <= gapAt) {
        // Bounds are inclusive: the window one millisecond back re-sent the millisecond already given
        // up on. Step past it (an exclusive server never gets here: it starts after that millisecond).
        fromOverride = gapAt + 1;
        continue;
      }
      // Asked from past the gap, and sent nothing after it again: this server ignores the window
      // (a whole history that happens to fill a page, from a conversation without a server total).
      // Nothing newer exists. Stepping past the gap again asked the same question forever: the
      // 10M build met a thread of exactly one page.
      ended = true;
    }

    const last = rows.reduce((max, r) => Math.max(max, r.time), cursor);
    // After asking for a bigger page, an answer of exactly the normal size means the server caps the
    // page: it is NOT "fewer than asked, so the end" — treating it so would silently drop the rest.
    const capped = limit > ctx.options.pageLimit && rows.length === ctx.options.pageLimit;
    const done = ended || (rows.length < limit && !capped);
    let next = last;
    if (!done && last <= cursor) {
      // A whole page inside [cursor-1, cursor]: more messages share this millisecond than a page
      // holds. Ask for bigger pages; if the server will not give them, record the gap and move on.
      if (limit < maxLimit && !capped) {
        limit = Math.min(limit * 2, maxLimit);
        foundChanges += storePage(ctx, chat, rows, walk, cursor, write);
        continue;
      }
      ctx.warn({
        code: 'COVERAGE_GAP',
        chatId: chat.chatId,
        message: `More than ${rows.length} messages share the millisecond ${new Date(cursor).toISOString()} in ${chat.chatId} and Cliq pages by time; the ones beyond the first ${rows.length} cannot be fetched and may be missing.`,
      });
      gapAt = cursor;
      next = cursor + 1;
      limit = ctx.options.pageLimit;
    }
    if (!done && rows.length === limit && !capped) rememberMode(ctx, 'windowed');

    if (!done) {
      foundChanges += storePage(ctx, chat, rows, walk, next, write);
      cursor = next;
      continue;
    }

    // The last page: store it and close the walk in the same transaction.
    let escalate = false;
    archive.transaction(() => {
      recordWalk(ctx, chat, walk);
      foundChanges += changesOf(upsertRows(ctx, rows, walk.full, write));
      let offset: number | null = null;
      if (walk.full) {
        ctx.counts.messagesDeleted += archive.messages.tombstoneUnseen(chat.chatId, walk.from, Number.MAX_SAFE_INTEGER, write);
        offset = countOffset(ctx, chat);
      } else {
        escalate = needsFullWalk(ctx, chat, foundChanges);
      }
      if (!escalate) {
        archive.syncState.complete(chat.chatId, {
          cursorTime: Math.max(last, walk.cursor),
          serverCount: chat.serverCount,
          serverModified: chat.serverModified,
          full: walk.full,
          countOffset: offset,
          runId: ctx.runId,
          now: write.now,
        });
      }
    });
    walk.recorded = true;
    return { escalate };
  }
}

/**
 * After an incremental walk: is there a change it could not have seen? The server total no longer
 * matches the archive (a deletion) beyond the known steady offset, or the conversation changed but
 * no new or changed message turned up (an edit older than the overlap window).
 */
function needsFullWalk(ctx: SyncContext, chat: ConversationWork, foundChanges: number): boolean {
  const state = ctx.archive.syncState.get(chat.chatId);
  if (chat.serverCount !== null) {
    const offset = chat.serverCount - ctx.archive.messages.countLive(chat.chatId);
    if (offset !== (state.countOffset ?? 0)) return true;
  }
  const modified = chat.serverModified !== null && chat.serverModified !== state.syncedLastModified;
  return modified && foundChanges === 0 && state.lastCompleteAt !== null;
}

function countOffset(ctx: SyncContext, chat: ConversationWork): number | null {
  if (chat.serverCount === null) return null;
  const offset = chat.serverCount - ctx.archive.messages.countLive(chat.chatId);
  if (offset !== 0) {
    ctx.warn({
      code: 'COUNT_MISMATCH',
      chatId: chat.chatId,
      message: `Cliq reports ${chat.serverCount} messages in ${chat.chatId}; the archive holds ${chat.serverCount - offset} after a complete pass.`,
    });
  }
  return offset;
}

function storePage(ctx: SyncContext, chat: ConversationWork, rows: MessageRow[], walk: Walk, cursor: number, write: WriteContext): number {
  let changes = 0;
  ctx.archive.transaction(() => {
    recordWalk(ctx, chat, walk);
    changes = changesOf(upsertRows(ctx, rows, walk.full, write));
    ctx.archive.syncState.moveCursor(chat.chatId, cursor, ctx.clock.now());
  });
  walk.recorded = true;
  return changes;
}

/** A single-shot answer of no more messages than a page (judged by its content, not its size). */
function storeSingleShot(ctx: SyncContext, chat: ConversationWork, rows: readonly MessageRow[], write: WriteContext): void {
  const writer = new SingleShotWriter(ctx, chat, write);
  for (const row of rows) writer.add(row);
  writer.finish();
}

/**
 * Takes one answer's messages: up to `limit`, a page, kept for the walker to judge; past `limit`,
 * the server ignored the window and the answer is a whole history, handed to a SingleShotWriter
 * that stores it as it is parsed.
 */
class PageCollector {
  private rows: MessageRow[] = [];
  private streamed: SingleShotWriter | undefined;

  constructor(
    private readonly ctx: SyncContext,
    private readonly chat: ConversationWork,
    private readonly limit: number,
    /** The write that stores the answer (its rows are sealed ahead for it). */
    readonly write: WriteContext,
  ) {}

  take(row: MessageRow): void {
    if (this.streamed) {
      this.streamed.add(row);
      return;
    }
    this.rows.push(row);
    if (this.rows.length > this.limit) {
      this.streamed = new SingleShotWriter(this.ctx, this.chat, this.write);
      for (const held of this.rows) this.streamed.add(held);
      this.rows = [];
    }
  }

  finish(): { rows: MessageRow[]; streamed: SingleShotWriter | undefined; write: WriteContext } {
    return { rows: this.rows, streamed: this.streamed, write: this.write };
  }
}

function rememberMode(ctx: SyncContext, mode: 'single-shot' | 'windowed'): void {
  if (ctx.archive.meta.get('messages.mode') === mode) return;
  ctx.archive.meta.set('messages.mode', mode);
  ctx.log.info(`the Maintenance messages export behaves as ${mode}`);
}
