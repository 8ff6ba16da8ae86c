import { VaultError } from '../../../shared/errors';
import type { DueMessage, RestSource } from '../archive/reactionsRepo';
import type { StickyFact } from '../archive/stickyRepo';
import { getReactions, getStickyMessage } from '../cliq/messageActions';
import { canonicalJson } from '../util/json';
import { sha256Hex } from '../util/sha256';
import { failure } from './failure';
import type { ConversationWork } from './messageWalker';
import { runOptionalSource, type OptionalSource } from './optionalSource';
import type { SyncContext } from './types';
import { WorkQueue, drain } from './workQueue';

export const reactionsSource: OptionalSource = { dataset: 'reactions', label: 'Reactions', scope: 'ZohoCliq.messageactions.READ' };
export const stickySource: OptionalSource = { dataset: 'sticky_messages', label: 'Sticky messages', scope: 'ZohoCliq.Chats.READ' };

/**
 * 403s in a row, with no conversation answering this run, after which a source is taken as not
 * granted (the token lacks its scope) rather than refused conversation by conversation: Cliq
 * answers both with the same 403, and asking every conversation would be a storm of refusals.
 */
const refusalsToConclude = 3;

export interface ExtrasLane {
  /** A conversation the inventory found (before any of it is stored): what REST can read is decided here. */
  know(chat: ConversationWork): void;
  /** A conversation whose messages are stored: its reactions and sticky message are checked if due. */
  add(chat: ConversationWork, messagesChanged: boolean): void;
  /** No more conversations come: the lane finishes, then catches up on older unchecked messages. */
  close(): void;
  run(): Promise<void>;
  /** Every other lane of the run is done: reactions stop rather than wait for their quota. */
  othersDone(): void;
}

/*
 * Reactions (MS3, one call per message) and sticky messages (H3, one call per conversation), in
 * their own lane beside the message lanes, each paced by its own family's budget.
 *
 * Only conversations the admin can read over REST are asked: channels they joined and
 * organisation-level channels (as for C3, sync/members.ts), their threads, and the chats H1 (the
 * admin's own chats) has listed. A 403 marks a conversation unreadable for membersRefreshMs (a
 * week), and nothing of it is asked again until then.
 *
 * Reactions: a message is checked when this run stored it or a new version of it, then (a bounded
 * catch-up) older messages never checked or changed since their check, newest first — at most
 * `reactionsPerRun` calls in all. A reaction added to a message that did not change is seen only
 * when the message is checked again: Cliq gives no signal of it short of asking every message.
 * Sticky: a conversation is checked when its messages changed this run, was never checked, or was
 * checked longer than membersRefreshMs ago.
 *
 * A no-change re-sync of an archive with nothing due therefore makes no MS3 and no H3 call.
 *
 * Reactions never hold a run open: once every other lane is done, the lane stops at the first
 * check its quota (20 a minute) would make wait, and what is left stays due for the next run,
 * newest first (coverage says how many). A first sync of a small org would otherwise wait minutes
 * for reactions alone; sticky checks, one per changed conversation, are few and run to the end.
 */
export function createExtrasLane(ctx: SyncContext): ExtrasLane {
  const { archive } = ctx;
  const readable = new Map<string, boolean>();
  const reactionsQueue = new WorkQueue<string>();
  const stickyQueue = new WorkQueue<string>();
  let reactionsLeft = ctx.options.reactionsPerRun;
  let othersFinished = false;
  let announceOthersDone = () => {};
  const othersDonePromise = new Promise<void>((resolve) => {
    announceOthersDone = resolve;
  });
  /** Set once the lane stopped for the run rather than wait for quota after the other lanes were done. */
  let outOfTime = false;
  const aborted = () => ctx.signal.aborted;

  const recentlyRefused = (chatId: string, source: RestSource) => {
    const check = archive.reactions.conversationCheck(chatId, source);
    return check?.status === 'forbidden' && !ctx.options.full && ctx.clock.now() - check.checkedAt <= ctx.options.membersRefreshMs;
  };

  /** One source's refusals and answers this run, and the first error that stopped it. */
  const tally = () => ({ refusals: 0, answered: 0, stopped: undefined as VaultError | undefined });
  const reactionsTally = tally();
  const stickyTally = tally();

  /** A 403 on one conversation: noted against it; enough in a row without any answer means no scope. */
  const refused = (source: RestSource, t: ReturnType<typeof tally>, chatId: string) => {
    archive.transaction(() => archive.reactions.conversationChecked(chatId, source, 'forbidden', ctx.write()));
    t.refusals += 1;
    if (t.answered === 0 && t.refusals >= refusalsToConclude) {
      // They said nothing of the conversations: a sync with the scope asks them again at once.
      archive.transaction(() => archive.reactions.forgetForbidden(source, ctx.runId));
      throw new VaultError('FORBIDDEN', `Cliq refused ${t.refusals} conversations in a row and answered none.`);
    }
  };

  /** Runs one unit of a source; the first error stops the source (later units do nothing). */
  const guarded = async (t: ReturnType<typeof tally>, unit: () => Promise<void>) => {
    if (t.stopped !== undefined || aborted()) return;
    try {
      await unit();
    } catch (error) {
      t.stopped ??= failure(error);
    }
  };

  /**
   * Waits for a free reactions slot while other lanes still work; false once they are done and
   * the quota would make this check wait (one worker: no check ever waits inside the budget).
   */
  const reactionSlot = async (): Promise<boolean> => {
    for (;;) {
      const wait = ctx.budget.readyInMs('messages.reactions');
      if (wait === 0) return true;
      if (othersFinished || aborted()) return false;
      await Promise.race([ctx.clock.sleep(wait, ctx.signal).catch(() => undefined), othersDonePromise]);
    }
  };

  const checkMessages = async (chatId: string, messages: readonly DueMessage[]) => {
    for (const message of messages) {
      if (reactionsTally.stopped !== undefined || aborted() || reactionsLeft <= 0 || outOfTime) return;
      if (!(await reactionSlot())) {
        outOfTime = true;
        return;
      }
      reactionsLeft -= 1;
      let answer: Awaited<ReturnType<typeof getReactions>> | 'not_found';
      try {
        answer = await getReactions(ctx.http, chatId, message.messageId, ctx.signal);
      } catch (error) {
        const e = failure(error);
        if (e.code === 'FORBIDDEN') {
          refused('reactions', reactionsTally, chatId);
          return;
        }
        if (e.code !== 'NOT_FOUND') throw e;
        // Neither spelling found: the message is gone from Cliq (its deletion is the walker's to see).
        answer = 'not_found';
      }
      reactionsTally.answered += 1;
      reactionsTally.refusals = 0;
      archive.transaction(() => {
        const write = ctx.write();
        const facts = answer === 'not_found' ? 'not_found' : answer.reactions.map((r) => ({ emoji: r.emoji, user_id: r.userId, user_name: r.userName, reacted_at: r.reactedAt, entry: r.entry }));
        const change = archive.reactions.record(chatId, message, facts, write);
        archive.reactions.conversationChecked(chatId, 'reactions', 'ok', write);
        ctx.counts.reactionsChecked = (ctx.counts.reactionsChecked ?? 0) + 1;
        ctx.counts.reactionsNew = (ctx.counts.reactionsNew ?? 0) + change.opened;
        ctx.counts.reactionsRemoved = (ctx.counts.reactionsRemoved ?? 0) + change.closed;
      });
      if (answer !== 'not_found' && answer.unreadable > 0) {
        ctx.warn({ code: 'MALFORMED_RESPONSE', chatId, message: `Reactions of message ${message.messageId}: ${answer.unreadable} entr(ies) could not be read and were left out.` });
      }
    }
  };

  const checkSticky = async (chatId: string) => {
    let pin: Record<string, unknown> | null;
    try {
      pin = await getStickyMessage(ctx.http, chatId, ctx.signal);
    } catch (error) {
      const e = failure(error);
      if (e.code === 'FORBIDDEN') return refused('sticky', stickyTally, chatId);
      // 404 is Cliq's other way of saying "nothing pinned" [GAP]; a vanished chat is the inventory's to notice.
      if (e.code !== 'NOT_FOUND') throw e;
      pin = null;
    }
    stickyTally.answered += 1;
    stickyTally.refusals = 0;
    archive.transaction(() => {
      const write = ctx.write();
      const change = archive.sticky.record(chatId, pin === null ? null : stickyFact(pin), write);
      archive.reactions.conversationChecked(chatId, 'sticky', 'ok', write);
      ctx.counts.stickyChecked = (ctx.counts.stickyChecked ?? 0) + 1;
      ctx.counts.stickyChanged = (ctx.counts.stickyChanged ?? 0) + change.opened + change.closed;
    });
  };

  const stickyDue = (chatId: string, messagesChanged: boolean) => {
    const check = archive.reactions.conversationCheck(chatId, 'sticky');
    return ctx.options.full || messagesChanged || check === undefined || ctx.clock.now() - check.checkedAt > ctx.options.membersRefreshMs;
  };

  const finish = (t: ReturnType<typeof tally>) => {
    if (t.stopped !== undefined) throw t.stopped;
  };

  return {
    know(chat) {
      const parent = chat.parentChatId === undefined ? undefined : readable.get(chat.parentChatId);
      readable.set(chat.chatId, chat.channel ? chat.channel.restReadable : chat.kind === 'thread' ? parent === true : archive.reactions.listedAsOwnChat(chat.chatId));
    },
    add(chat, messagesChanged) {
      if (readable.get(chat.chatId) !== true) return;
      if (!recentlyRefused(chat.chatId, 'reactions')) reactionsQueue.push(chat.chatId);
      if (!recentlyRefused(chat.chatId, 'sticky') && stickyDue(chat.chatId, messagesChanged)) stickyQueue.push(chat.chatId);
    },
    close() {
      reactionsQueue.close();
      stickyQueue.close();
    },
    othersDone() {
      othersFinished = true;
      announceOthersDone();
    },
    async run() {
      const reactions = runOptionalSource(ctx, reactionsSource, async () => {
        // One worker: at 20 checks a minute, one is enough, and none waits inside the budget.
        await drain(reactionsQueue, 1, (chatId) => guarded(reactionsTally, () => checkMessages(chatId, archive.reactions.dueThisRun(chatId, ctx.runId, reactionsLeft))));
        // The catch-up: older messages never checked (or changed since), in what is left of the run's calls.
        for (const [chatId, canRead] of readable) {
          if (outOfTime) break;
          if (!canRead || reactionsLeft <= 0 || recentlyRefused(chatId, 'reactions')) continue;
          await guarded(reactionsTally, () => checkMessages(chatId, archive.reactions.due(chatId, reactionsLeft)));
        }
        finish(reactionsTally);
      });
      const sticky = runOptionalSource(ctx, stickySource, async () => {
        await drain(stickyQueue, ctx.options.concurrency, (chatId) => guarded(stickyTally, () => checkSticky(chatId)));
        finish(stickyTally);
      });
      await Promise.all([reactions, sticky]);
    },
  };
}

/** Epoch ms from a number or an all-digit string (H3 mixes both, docs/cliq-api.md §7.12); else null. */
function ms(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,16}$/.test(value)) return Number(value);
  return null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** One H3 answer as a pin state; its identity is the hash of the whole object as received. */
export function stickyFact(pin: Readonly<Record<string, unknown>>): StickyFact {
  const message = (typeof pin.message === 'object' && pin.message !== null ? pin.message : {}) as Record<string, unknown>;
  const creator = (typeof pin.creator === 'object' && pin.creator !== null ? pin.creator : {}) as Record<string, unknown>;
  return {
    content_hash: sha256Hex(canonicalJson(pin)),
    message_id: text(message.msguid),
    text: text(message.msg),
    sender_id: text(message.sender),
    sender_name: text(message.dname),
    creator_id: text(creator.id),
    creator_name: text(creator.name),
    message_time: ms(message.time),
    pinned_at: ms(pin.created_time),
    modified_at: ms(pin.last_modified_time),
    expiry_time: ms(pin.expiry_time),
    raw_json: JSON.stringify(pin),
  };
}
