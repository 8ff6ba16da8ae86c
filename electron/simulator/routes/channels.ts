import { badRequest, HttpError, notFound } from '../http/errors';
import { commaList, optionalBool, optionalEnum, optionalInt, pageLimit } from '../http/params';
import { jsonReply } from '../http/reply';
import type { Conversation } from '../org/model';
import { channelListItem, channelMember, channelSingle } from '../org/shapes';
import { liveConversations } from '../org/truth';
import { lastModifiedTime } from '../org/views';
import { canList, canRead, param, type ApiRequest, type ApiRoute } from './types';

/** C1–C3 (docs/cliq-api.md §7.2). */

/** Changes a sync_token may carry before Cliq throws its "exception" (§7.2). */
const SYNC_LIMIT = 50;

/** C1's parameters as read from the query string; undefined: the parameter was not sent. */
interface ChannelQuery {
  name?: string | undefined;
  status?: string | undefined;
  level?: string | undefined;
  modifiedBefore?: number | undefined;
  modifiedAfter?: number | undefined;
  createdBefore?: number | undefined;
  createdAfter?: number | undefined;
  channelIds?: string[] | undefined;
  chatIds?: string[] | undefined;
  teamIds?: string[] | undefined;
  createdBy?: string | undefined;
  orderBy: string;
  pinned?: boolean | undefined;
  joined?: boolean | undefined;
}

const orders = ['+last_modified_time', '-last_modified_time', '+creation_time', '-creation_time'] as const;

function readQuery(query: URLSearchParams): ChannelQuery {
  return {
    name: query.get('name') ?? undefined,
    status: optionalEnum(query, 'status', ['created', 'pending', 'archived'] as const),
    level: optionalEnum(query, 'level', ['organization', 'team', 'private', 'external'] as const),
    modifiedBefore: optionalInt(query, 'modified_before'),
    modifiedAfter: optionalInt(query, 'modified_after'),
    createdBefore: optionalInt(query, 'created_before'),
    createdAfter: optionalInt(query, 'created_after'),
    channelIds: commaList(query, 'channel_ids'),
    chatIds: commaList(query, 'chat_ids'),
    teamIds: commaList(query, 'team_ids'),
    createdBy: query.get('created_by') ?? undefined,
    // A raw `+` in a query string decodes to a space, which is rejected: send %2B (§7.2).
    orderBy: optionalEnum(query, 'order_by', orders) ?? '-last_modified_time',
    pinned: optionalBool(query, 'pinned'),
    joined: optionalBool(query, 'joined'),
  };
}

/** Channels the caller can list: the ones joined, every organisation-level one, all of them for an admin (by default). */
function visibleChannels(request: ApiRequest): Conversation[] {
  return liveConversations(request.state.org).filter((c) => c.kind === 'channel' && canList(request, c));
}

function filterAndSort(request: ApiRequest, q: ChannelQuery): Conversation[] {
  const { org } = request.state;
  const ctx = request.state.context();
  const viewer = request.viewer;
  const lmt = new Map<Conversation, number>();
  const lmtOf = (c: Conversation) => {
    let value = lmt.get(c);
    if (value === undefined) {
      value = lastModifiedTime(org, c, ctx);
      lmt.set(c, value);
    }
    return value;
  };
  const creator = q.createdBy?.toLowerCase();
  const list = visibleChannels(request).filter((c) => {
    const ch = c.channel;
    if (!ch) return false;
    const by = org.users[c.creator];
    return (
      (q.name === undefined || ch.name.toLowerCase().includes(q.name.toLowerCase().replace(/^#/, ''))) &&
      (q.status === undefined || ch.status === q.status) &&
      (q.level === undefined || ch.level === q.level) &&
      (q.modifiedBefore === undefined || lmtOf(c) < q.modifiedBefore) &&
      (q.modifiedAfter === undefined || lmtOf(c) > q.modifiedAfter) &&
      (q.createdBefore === undefined || c.creationTime < q.createdBefore) &&
      (q.createdAfter === undefined || c.creationTime > q.createdAfter) &&
      (q.channelIds === undefined || q.channelIds.includes(ch.restId)) &&
      (q.chatIds === undefined || q.chatIds.includes(c.chatId)) &&
      (q.teamIds === undefined || q.teamIds.some((t) => t in ch.teams)) &&
      (creator === undefined || by?.id === creator || by?.email.toLowerCase() === creator) &&
      // pinned=false means all channels, not "unpinned only" (§7.2).
      (q.pinned !== true || ch.pinnedBy.has(viewer)) &&
      (q.joined === undefined || c.memberSet.has(viewer) === q.joined)
    );
  });
  const sign = q.orderBy.startsWith('-') ? -1 : 1;
  const key = q.orderBy.endsWith('creation_time') ? (c: Conversation) => c.creationTime : lmtOf;
  return list.sort((a, b) => sign * (key(a) - key(b)) || a.chatId.localeCompare(b.chatId));
}

const listChannels: ApiRoute = {
  method: 'GET',
  path: '/api/v2/channels',
  family: 'channels.list',
  handle(request) {
    const { state, query, viewer } = request;
    const ctx = state.context();
    const limit = pageLimit(query, state.options.defaultPageSize, state.options.limitOverMax);
    const syncToken = query.get('sync_token');
    if (syncToken !== null) {
      const decoded = state.cursors.decode(syncToken, 'channels-sync');
      if (!decoded || typeof decoded.s !== 'number') throw badRequest('invalid sync_token');
      const since = decoded.s;
      const changed = visibleChannels(request).filter((c) => c.changeSeq > since);
      if (changed.length > SYNC_LIMIT) throw new HttpError(state.options.syncTokenOverflowStatus);
      return jsonReply({
        channels: changed.map((c) => channelListItem(state.org, c, viewer, ctx)),
        has_more: false,
        sync_token: state.cursors.encode({ k: 'channels-sync', s: state.org.changeSeq }),
      });
    }
    let offset = 0;
    let q: ChannelQuery;
    // The sync token describes the state when the walk began, so changes made during the walk are
    // reported again by the next sync instead of being lost.
    let walkSeq = state.org.changeSeq;
    const token = query.get('next_token');
    if (token !== null) {
      const decoded = state.cursors.decode(token, 'channels');
      if (!decoded || typeof decoded.o !== 'number' || typeof decoded.s !== 'number') throw badRequest('invalid next_token');
      offset = decoded.o;
      walkSeq = decoded.s;
      q = decoded.q as ChannelQuery;
    } else {
      q = readQuery(query);
    }
    const all = filterAndSort(request, q);
    const page = all.slice(offset, offset + limit);
    const hasMore = offset + limit < all.length;
    const body: Record<string, unknown> = { channels: page.map((c) => channelListItem(state.org, c, viewer, ctx)), has_more: hasMore };
    if (hasMore) body.next_token = state.cursors.encode({ k: 'channels', o: offset + limit, s: walkSeq, q });
    body.sync_token = state.cursors.encode({ k: 'channels-sync', s: walkSeq });
    return jsonReply(body);
  },
};

/** A channel by its REST id (`O…`/`T…`), or 404. */
export function channelFor(request: ApiRequest): Conversation {
  const { org } = request.state;
  const conversation = org.channelsByRestId.get(param(request, 'CHANNEL_ID'));
  if (!conversation || conversation.removed) throw notFound();
  return conversation;
}

const getChannel: ApiRoute = {
  method: 'GET',
  path: '/api/v2/channels/{CHANNEL_ID}',
  family: 'channels.get',
  handle(request) {
    const conversation = channelFor(request);
    if (!canList(request, conversation)) throw new HttpError(403);
    return jsonReply(channelSingle(request.state.org, conversation, request.viewer, request.state.context()));
  },
};

const channelMembers: ApiRoute = {
  method: 'GET',
  path: '/api/v2/channels/{CHANNEL_ID}/members',
  family: 'channels.members',
  handle(request) {
    const conversation = channelFor(request);
    // Access taken away (or the chat gone) mid-run answers here as on the export routes.
    const { options } = request.state;
    if (options.missingChats.includes(conversation.chatId)) throw notFound();
    if (options.forbidChats.includes(conversation.chatId)) throw new HttpError(403);
    if (!canRead(request.state.org, conversation, request.viewer)) throw new HttpError(403);
    return jsonReply({ members: conversation.members.map((m) => channelMember(request.state.org, conversation, m)) });
  },
};

export const channelRoutes: ApiRoute[] = [listChannels, getChannel, channelMembers];
