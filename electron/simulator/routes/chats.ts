import { badRequest, HttpError, notFound } from '../http/errors';
import { optionalBool, optionalInt, pageLimit } from '../http/params';
import { jsonReply } from '../http/reply';
import type { Conversation } from '../org/model';
import { chatListItem } from '../org/shapes';
import { liveConversations } from '../org/truth';
import { lastModifiedTime } from '../org/views';
import { canRead, param, type ApiRoute } from './types';

/** H1/H2 (docs/cliq-api.md §7.5). */

const listChats: ApiRoute = {
  method: 'GET',
  path: '/api/v2/chats',
  family: 'chats.list',
  handle(request) {
    const { state, query, viewer } = request;
    const { org } = state;
    const ctx = state.context();
    const limit = pageLimit(query, state.options.defaultPageSize, state.options.limitOverMax);
    // Bounds compare against the millisecond last_modified_time and are exclusive [GAP].
    const before = optionalInt(query, 'modified_before');
    const after = optionalInt(query, 'modified_after');
    const drafts = optionalBool(query, 'drafts');
    if (drafts === true) return jsonReply({ chats: [] }); // nobody has drafts in a simulated org
    // The caller's own DMs, group and bot chats, newest activity first; no cursor exists (§7.5).
    const mine = liveConversations(org)
      .filter((c) => (c.kind === 'dm' || c.kind === 'group' || c.kind === 'bot') && c.memberSet.has(viewer))
      .map((c) => ({ c, lmt: lastModifiedTime(org, c, ctx) }))
      .filter(({ lmt }) => (before === undefined || lmt < before) && (after === undefined || lmt > after))
      .sort((a, b) => b.lmt - a.lmt || b.c.chatId.localeCompare(a.c.chatId))
      .slice(0, limit);
    return jsonReply({ chats: mine.map(({ c }) => chatListItem(org, c, viewer, ctx)) });
  },
};

const memberKeys = ['user_id', 'email_id', 'name'] as const;

const chatMembers: ApiRoute = {
  method: 'GET',
  path: '/api/v2/chats/{chat_id}/members',
  family: 'chats.members',
  handle(request) {
    const { org } = request.state;
    const conversation: Conversation | undefined = org.live(param(request, 'chat_id'));
    if (!conversation) throw notFound();
    if (!canRead(org, conversation, request.viewer)) throw new HttpError(403);
    const raw = request.query.get('fields');
    let keys: readonly string[] = memberKeys;
    if (raw !== null) {
      const wanted = raw.split(',').map((s) => s.trim());
      for (const name of wanted) if (!(memberKeys as readonly string[]).includes(name)) throw badRequest(`unknown field ${name}`);
      keys = memberKeys.filter((k) => wanted.includes(k));
    }
    const members = org.membersOf(conversation).map((index) => {
      const user = org.users[index];
      const full: Record<string, string> = { user_id: user?.id ?? '', email_id: user?.email ?? '', name: user?.fullName ?? '' };
      const out: Record<string, string> = {};
      for (const key of keys) out[key] = full[key] ?? '';
      return out;
    });
    return jsonReply({ members });
  },
};

export const chatRoutes: ApiRoute[] = [listChats, chatMembers];
