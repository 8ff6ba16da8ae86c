import { VaultError } from '../../../shared/errors';
import { listThreads } from '../cliq/rest';
import { threadRows } from './entityRows';
import type { ConversationWork } from './messageWalker';
import type { SyncContext } from './types';

export interface ChannelRef {
  /** The channel's key in the archive (as the Maintenance export spells it). */
  key: string;
  /** The id REST understands (letter-prefixed), which TH1 takes in its path. */
  restId: string;
  chatId: string | null;
  /** The channel's last activity, part of its threads' membership signal. */
  lastModified: number | null;
}

/**
 * Lists every thread of a channel (TH1) and records each thread and its thread chat. A thread
 * missing from a complete listing is marked gone. Returns the thread conversations to archive.
 */
export async function syncChannelThreads(ctx: SyncContext, channel: ChannelRef): Promise<ConversationWork[]> {
  const { archive } = ctx;
  const found: ConversationWork[] = [];
  const seen = new Set<string>();
  const scope = { where: 'channel_id = ?', params: [channel.key] };
  try {
    const pages = [];
    for await (const page of listThreads(ctx.http, channel.restId, ctx.signal)) pages.push(page);
    const listed = new Set(pages.flatMap((p) => p.items.map((i) => i.payload.chat_id)));
    if (archive.entities.threads.liveKeys(scope).some((key) => !listed.has(key))) {
      // Confirm before marking a thread gone (see confirmListing): list the channel's threads again.
      ctx.log.info(`threads missing from the listing of channel ${channel.key}; listing them again to confirm`);
      for await (const page of listThreads(ctx.http, channel.restId, ctx.signal)) pages.push(page);
    }
    for (const page of pages) {
      archive.transaction(() => {
        const write = ctx.write();
        for (const item of page.items) {
          const { thread, chat } = threadRows(item, channel);
          // The thread chat first: threads.thread_chat_id references chats.
          archive.entities.chats.upsert(chat, write);
          archive.entities.threads.upsert(thread, write);
          if (seen.has(thread.key)) continue;
          seen.add(thread.key);
          const lastAt = typeof chat.values.server_last_modified === 'number' ? chat.values.server_last_modified : null;
          found.push({
            chatId: chat.key,
            title: typeof chat.values.title === 'string' ? chat.values.title : null,
            kind: 'thread',
            serverCount: null,
            serverModified: lastAt,
            participantCount: typeof chat.values.participant_count === 'number' ? chat.values.participant_count : null,
            membersModified: Math.max(lastAt ?? 0, channel.lastModified ?? 0) || null,
            ...(channel.chatId === null ? {} : { parentChatId: channel.chatId }),
          });
        }
      });
    }
  } catch (error) {
    if (error instanceof VaultError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
      ctx.warn({ code: error.code, message: `Threads of channel ${channel.key} could not be listed: ${error.message}` });
      return found;
    }
    throw error;
  }
  archive.transaction(() => {
    const write = ctx.write();
    const gone = archive.entities.threads.markGone(seen, write, scope);
    for (const key of gone) archive.entities.chats.markOneGone(key, write);
  });
  ctx.counts.threads += seen.size;
  return found;
}
