import { HttpError, notFound } from '../http/errors';
import { jsonReply } from '../http/reply';
import { messageContent, restMessage, summaryText } from '../org/content';
import type { Conversation } from '../org/model';
import { windowed } from './maintenance';
import { canRead, param, type ApiRequest, type ApiRoute } from './types';

/** MS1 and MS2 (docs/cliq-api.md §7.4): only for chats the caller can read. */

/** The conversation of a `{CHAT_ID}` path the caller can read over REST: 404 when gone, 403 when not theirs. */
export function readable(request: ApiRequest): Conversation {
  const { org } = request.state;
  const conversation = org.live(param(request, 'CHAT_ID'));
  if (!conversation || (conversation.thread && !org.live(conversation.thread.parentChatId))) throw notFound();
  if (!canRead(org, conversation, request.viewer)) throw new HttpError(403);
  return conversation;
}

const listMessages: ApiRoute = {
  method: 'GET',
  path: '/api/v2/chats/{CHAT_ID}/messages',
  family: 'messages.list',
  handle(request) {
    const conversation = readable(request);
    const { org, options } = request.state;
    // Ascending; limit defaults to and is capped at 100; no cursor. A bare limit (no fromtime) gives
    // the newest N unless restBareLimit says oldest [GAP].
    const [lo, hi] = windowed(conversation.messages, request.query, options.windowBoundsExclusive, options.restBareLimit === 'newest');
    const data: Record<string, unknown>[] = [];
    for (let i = lo; i < hi; i++) data.push(restMessage(org, conversation, conversation.messages, i));
    return jsonReply({ data });
  },
};

const getMessage: ApiRoute = {
  method: 'GET',
  path: '/api/v2/chats/{CHAT_ID}/messages/{MESSAGE_ID}',
  family: 'messages.get',
  handle(request) {
    const conversation = readable(request);
    const { org, options } = request.state;
    // Both id spellings are accepted: `<ms>_<n>` and `<ms>%20<n>` (§4.3).
    const i = conversation.messages.indexOfId(param(request, 'MESSAGE_ID'));
    if (i < 0) throw notFound();
    if (!options.legacyRetrieveShape) return jsonReply(restMessage(org, conversation, conversation.messages, i));
    // The [002] sample: other sender keys and a string content.
    const message = restMessage(org, conversation, conversation.messages, i);
    const sender = message.sender as { name: string; id: string };
    const content = messageContent(org, conversation, conversation.messages, i);
    return jsonReply({
      sender: { senderName: sender.name, senderID: sender.id },
      id: message.id,
      time: message.time,
      type: message.type,
      content: typeof content.text === 'string' ? content.text : summaryText(org, conversation, conversation.messages, i),
    });
  },
};

export const messageRoutes: ApiRoute[] = [listMessages, getMessage];
