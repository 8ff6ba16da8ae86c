import { HttpError, notFound } from '../http/errors';
import { emptyReply, jsonReply } from '../http/reply';
import { reactionsData, stickyData } from '../org/extras';
import { readable } from './messages';
import { canRead, param, type ApiRoute } from './types';

/** MS3 reactions and H3 sticky message (docs/cliq-api.md §7.11, §7.12): only for chats the caller can read. */

const reactions: ApiRoute = {
  method: 'GET',
  path: '/api/v2/chats/{CHAT_ID}/messages/{MESSAGE_ID}/reactions',
  family: 'messages.reactions',
  handle(request) {
    const conversation = readable(request);
    const { org } = request.state;
    // Both id spellings are accepted: `<ms>_<n>` and `<ms>%20<n>` (§4.3).
    const i = conversation.messages.indexOfId(param(request, 'MESSAGE_ID'));
    if (i < 0) throw notFound();
    return jsonReply({ data: reactionsData(org, conversation, i) });
  },
};

const stickyMessage: ApiRoute = {
  method: 'GET',
  path: '/api/v2/chats/{chat_id}/stickymessage',
  family: 'chats.sticky',
  handle(request) {
    const { org, options } = request.state;
    const conversation = org.live(param(request, 'chat_id'));
    if (!conversation) throw notFound();
    if (!canRead(org, conversation, request.viewer)) throw new HttpError(403);
    const pin = org.stickies.get(conversation.chatId);
    // Nothing pinned: 204 with no body, or 404 (the seeds do not say [GAP]).
    if (!pin) {
      if (options.stickyNonePinnedStatus === 404) throw notFound();
      return emptyReply(204);
    }
    return jsonReply({ type: 'stickymessage', data: stickyData(org, conversation, pin) });
  },
};

export const messageActionRoutes: ApiRoute[] = [reactions, stickyMessage];
