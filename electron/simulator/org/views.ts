import type { Conversation, MessageStore, Org } from './model';

/**
 * Values derived from a conversation's messages. They are computed, never stored, so that
 * total_message_count and last_modified_time cannot drift from the messages an export returns.
 */

export interface ViewOptions {
  /** A channel's export also carries its threads' replies (option threadRepliesInParent). */
  threadRepliesInParent: boolean;
}

/** The stores whose messages a conversation's export (M4) contains. */
function exportedConversations(org: Org, conversation: Conversation, options: ViewOptions): Conversation[] {
  if (conversation.kind !== 'channel' || !options.threadRepliesInParent) return [conversation];
  return [conversation, ...org.threadsOf(conversation)];
}

export function totalMessages(org: Org, conversation: Conversation, options: ViewOptions): number {
  let total = 0;
  for (const c of exportedConversations(org, conversation, options)) total += c.messages.length;
  return total;
}

export interface MessageRef {
  conversation: Conversation;
  index: number;
}

/** The latest exported message (ties: the higher seq, i.e. the later one in export order). */
export function lastMessage(org: Org, conversation: Conversation, options: ViewOptions): MessageRef | null {
  let best: MessageRef | null = null;
  for (const c of exportedConversations(org, conversation, options)) {
    const i = c.messages.length - 1;
    if (i < 0) continue;
    if (!best || compare(c.messages, i, best.conversation.messages, best.index) > 0) best = { conversation: c, index: i };
  }
  return best;
}

/** last_modified_time: the last message's time, floored by creation and by the edit/delete bump. */
export function lastModifiedTime(org: Org, conversation: Conversation, options: ViewOptions): number {
  const last = lastMessage(org, conversation, options);
  const lastTime = last ? (last.conversation.messages.time[last.index] as number) : 0;
  return Math.max(conversation.creationTime, conversation.bumpTime, lastTime);
}

function compare(a: MessageStore, i: number, b: MessageStore, j: number): number {
  return (a.time[i] as number) - (b.time[j] as number) || (a.seq[i] as number) - (b.seq[j] as number);
}

/**
 * The messages an export returns, in ascending (time, seq) order. With thread replies merged into a
 * channel this is a k-way merge of a few stores; otherwise it is the chat's own store.
 */
export function exportedMessages(org: Org, conversation: Conversation, options: ViewOptions): MessageRef[] {
  const sources = exportedConversations(org, conversation, options);
  const out: MessageRef[] = [];
  if (sources.length === 1) {
    for (let i = 0; i < conversation.messages.length; i++) out.push({ conversation, index: i });
    return out;
  }
  const cursors = sources.map(() => 0);
  for (;;) {
    let pick = -1;
    for (let s = 0; s < sources.length; s++) {
      const source = sources[s] as Conversation;
      const i = cursors[s] as number;
      if (i >= source.messages.length) continue;
      if (pick < 0) {
        pick = s;
        continue;
      }
      const best = sources[pick] as Conversation;
      if (compare(source.messages, i, best.messages, cursors[pick] as number) < 0) pick = s;
    }
    if (pick < 0) return out;
    out.push({ conversation: sources[pick] as Conversation, index: cursors[pick] as number });
    cursors[pick] = (cursors[pick] as number) + 1;
  }
}

export function participantCount(org: Org, conversation: Conversation): number {
  return org.membersOf(conversation).length;
}
