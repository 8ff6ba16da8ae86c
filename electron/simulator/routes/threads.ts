import { badRequest, HttpError, notFound } from '../http/errors';
import { optionalEnum } from '../http/params';
import { jsonReply } from '../http/reply';
import { ackKey, messageContent, messageType } from '../org/content';
import type { Conversation } from '../org/model';
import { spaceFormId, threadListItem } from '../org/shapes';
import { channelFor } from './channels';
import { canRead, param, type ApiRequest, type ApiRoute } from './types';

/** TH1 and TH4 (docs/cliq-api.md §7.3). */

/** TH1's filters; undefined: not sent. */
interface ThreadQuery {
  type?: string | undefined;
  state?: string | undefined;
}

const listThreads: ApiRoute = {
  method: 'GET',
  path: '/api/v2/channels/{CHANNEL_ID}/threads',
  family: 'threads.list',
  handle(request) {
    const { state, query, viewer } = request;
    const { org, options } = state;
    const channel = channelFor(request);
    if (options.threadsListForbiddenForNonMember && !channel.memberSet.has(viewer)) throw new HttpError(403);
    let offset = 0;
    let since: number | null = null;
    let q: ThreadQuery;
    const token = query.get('next_token');
    const syncToken = query.get('sync_token');
    if (token !== null) {
      const decoded = state.cursors.decode(token, 'threads');
      if (!decoded || decoded.c !== channel.chatId || typeof decoded.o !== 'number') throw badRequest('invalid next_token');
      offset = decoded.o;
      since = typeof decoded.s === 'number' ? decoded.s : null;
      q = decoded.q as ThreadQuery;
    } else {
      if (syncToken !== null) {
        const decoded = state.cursors.decode(syncToken, 'threads-sync');
        if (!decoded || decoded.c !== channel.chatId || typeof decoded.s !== 'number') throw badRequest('invalid sync_token');
        since = decoded.s;
      }
      // Omitted filters mean "all" (§7.3: `type` followed|not_followed|all, `state` open|closed).
      q = { type: optionalEnum(query, 'type', ['followed', 'not_followed', 'all'] as const), state: optionalEnum(query, 'state', ['open', 'closed', 'all'] as const) };
    }
    const threads = org.threadsOf(channel).filter((t) => {
      const info = t.thread;
      if (!info) return false;
      const followed = info.followers.has(viewer);
      return (
        (q.type === undefined || q.type === 'all' || (q.type === 'followed') === followed) &&
        (q.state === undefined || q.state === 'all' || info.state === q.state) &&
        (since === null || t.changeSeq > since)
      );
    });
    const size = options.threadsPageSize;
    const page = threads.slice(offset, offset + size);
    const ctx = state.context();
    const body: Record<string, unknown> = { url: '/api/v2/threads' };
    if (offset + size < threads.length) body.next_token = state.cursors.encode({ k: 'threads', c: channel.chatId, o: offset + size, s: since, q });
    body.type = 'chat_thread';
    body.sync_token = state.cursors.encode({ k: 'threads-sync', c: channel.chatId, s: org.changeSeq });
    body.data = page.map((t) => threadListItem(org, t, viewer, ctx));
    return jsonReply(body);
  },
};

function threadFor(chatId: string, request: ApiRequest): Conversation {
  const thread = request.state.org.live(chatId);
  if (!thread?.thread || !request.state.org.live(thread.thread.parentChatId)) throw notFound();
  return thread;
}

const threadMain: ApiRoute = {
  method: 'GET',
  path: '/api/v2/threads/{THREAD_ID}/messages/main',
  family: 'threads.main',
  handle(request) {
    const { org } = request.state;
    const thread = threadFor(param(request, 'THREAD_ID'), request);
    const info = thread.thread;
    const parent = org.byChatId.get(info?.parentChatId ?? '');
    if (!info || !parent) throw notFound();
    if (!canRead(org, thread, request.viewer)) throw new HttpError(403);
    const head = parent.messages.indexOfId(info.headId);
    if (head < 0) throw notFound();
    const store = parent.messages;
    const body: Record<string, unknown> = {
      is_read: false,
      thread_state_info: { thread_state: info.state },
      parent_resource_id: parent.channel?.uniqueName ?? parent.title,
      sender: org.senderRef(store.sender[head] as number),
      ack_key: ackKey(store, head),
    };
    // The latest reply, in the legacy msg/dname shape with string times (§4.2, §7.3).
    const replies = thread.messages;
    const last = replies.length - 1;
    if (last >= 0) {
      const id = replies.idAt(last);
      const sender = org.senderRef(replies.sender[last] as number);
      const content = messageContent(org, thread, replies, last);
      body.thread_message = {
        msg: typeof content.text === 'string' ? content.text : '',
        lmsgtime: String(last > 0 ? (replies.time[last - 1] as number) : (store.time[head] as number)),
        msgid: String((replies.time[last] as number) + 1),
        msguid: spaceFormId(id),
        is_read: false,
        ctype: 11,
        sender: sender.id,
        threadmsg: true,
        meta: { revision: Math.max(1, replies.revision[last] as number) },
        sequence_id: replies.length,
        id,
        time: String(replies.time[last]),
        dname: sender.name,
      };
    }
    body.thread_information = {
      is_follower: info.followers.has(request.viewer),
      message_count: replies.length,
      follower_count: info.followers.size,
      thread_message_id: spaceFormId(info.headId),
      title: info.title,
      chat_id: thread.chatId,
    };
    Object.assign(body, {
      id: store.idAt(head),
      time: store.time[head] as number,
      type: messageType(store.kind[head] as number),
      content: messageContent(org, parent, store, head),
    });
    const revision = store.revision[head] as number;
    if (revision > 0) body.revision = revision;
    return jsonReply(body);
  },
};

export const threadRoutes: ApiRoute[] = [listThreads, threadMain];
