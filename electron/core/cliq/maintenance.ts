import { parseExportCsv } from './csv';
import type { CliqHttp } from './http';

/**
 * Every field each CSV export allows, in the documented (canonical) order. We always ask for all of
 * them in this order, so whether Cliq orders columns by the `fields` param or canonically, the
 * columns come back in this order (docs/cliq-api.md §6.6).
 */
export const chatExportFields = ['title', 'chat_id', 'creation_time', 'last_modified_time', 'participant_count', 'total_message_count', 'creator_id'] as const;
export const channelExportFields = ['name', 'channel_id', 'creation_time', 'last_modified_time', 'creator_id', 'description', 'participant_count', 'total_message_count', 'status', 'role'] as const;
export const memberExportFields = ['name', 'email_id', 'user_id'] as const;

export type ChatExportRow = Record<(typeof chatExportFields)[number], string | null>;
export type ChannelExportRow = Record<(typeof channelExportFields)[number], string | null>;
export type MemberExportRow = Record<(typeof memberExportFields)[number], string | null>;

export interface MessageWindow {
  fromTime: number;
  toTime: number;
  limit: number;
}

const chatPath = (chatId: string) => `/maintenanceapi/v2/chats/${encodeURIComponent(chatId)}`;

/** M1: every direct, group and bot chat of the org. */
export function exportChats(http: CliqHttp, signal?: AbortSignal): Promise<ChatExportRow[]> {
  return http.get({
    family: 'maint.chats',
    path: '/maintenanceapi/v2/chats',
    query: { fields: chatExportFields.join(',') },
    rest: false,
    accept: 'csv',
    parse: (body) => {
      http.csvFraming.check('chats', body);
      return parseExportCsv(body, chatExportFields, 'chats');
    },
    signal,
  });
}

/** M2: every channel of the org (no chat ids: those come from REST, see channels in rest.ts). */
export function exportChannels(http: CliqHttp, signal?: AbortSignal): Promise<ChannelExportRow[]> {
  return http.get({
    family: 'maint.channels',
    path: '/maintenanceapi/v2/channels',
    query: { fields: channelExportFields.join(',') },
    rest: false,
    accept: 'csv',
    parse: (body) => {
      http.csvFraming.check('channels', body);
      return parseExportCsv(body, channelExportFields, 'channels');
    },
    signal,
  });
}

/** M3: the current members of one chat, channel or thread. */
export function exportMembers(http: CliqHttp, chatId: string, signal?: AbortSignal): Promise<MemberExportRow[]> {
  return http.get({
    family: 'maint.members',
    path: `${chatPath(chatId)}/members`,
    query: { fields: memberExportFields.join(',') },
    rest: false,
    accept: 'csv',
    parse: (body) => {
      http.csvFraming.check(`members of ${chatId}`, body);
      return parseExportCsv(body, memberExportFields, 'members');
    },
    signal,
  });
}

/**
 * M4: the messages of one conversation. With `window`, asks for fromtime/totime/limit as REST Get
 * Messages defines them; whether the export honours them is undocumented, so the caller judges the
 * answer (see sync/messageWalker.ts). `read` gets the body's bytes and turns them into the call's
 * value, usually through {@link consumeMessages}: the sync hands them to a parser thread and stores
 * a whole-history answer as it is parsed (sync/rowParser.ts, sync/singleShot.ts). A MALFORMED_RESPONSE
 * that `read` rejects with fetches the body again, and `read` starts over on the new one.
 */
export function exportMessagesInto<R>(http: CliqHttp, chatId: string, window: MessageWindow | undefined, read: (body: Buffer) => Promise<R>, signal?: AbortSignal): Promise<R> {
  return http.get({
    family: 'maint.messages',
    path: `${chatPath(chatId)}/messages`,
    query: window ? { fromtime: window.fromTime, totime: window.toTime, limit: window.limit } : {},
    rest: false,
    accept: 'json',
    parse: { bytes: read },
    // A single-shot export of a big conversation can be large; give it time.
    timeout: 'export',
    signal,
  });
}
