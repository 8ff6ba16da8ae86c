import { VaultError } from '../../../shared/errors';
import { describeIssue } from '../../../shared/validation';
import { parseJsonBody, parseJsonLossless } from '../util/json';
import { eachArrayElement } from '../util/jsonElements';
import { parseExportCsv } from './csv';
import type { CliqHttp } from './http';
import { messageSchema, type MessagePayload } from './schemas';

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

/** A message as received: the validated view and the untouched object (stored as raw JSON). */
export interface ReceivedMessage {
  payload: MessagePayload;
  raw: Record<string, unknown>;
}

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
 * What takes the messages of one answer, in order, each as soon as it is validated. A new one is
 * started for every attempt: a body found cut or garbled part-way is fetched again, and the
 * consumer sees the new answer from its first message.
 */
export interface MessageConsumer<R> {
  take(message: ReceivedMessage): void;
  /** Called once every message of the answer has been taken; its value is the call's. */
  finish(): R;
}

/**
 * M4: the messages of one conversation. With `window`, asks for fromtime/totime/limit as REST Get
 * Messages defines them; whether the export honours them is undocumented, so the caller judges the
 * answer (see sync/messageWalker.ts). Each message goes to the consumer as soon as it is validated,
 * so a consumer need not hold the answer: the sync stores a whole-history answer as it is parsed
 * (sync/singleShot.ts). A consumer may so act on the first messages before a later one is found
 * invalid (the body is then fetched again); what it acts on was validated, one message at a time.
 */
export function exportMessagesInto<R>(http: CliqHttp, chatId: string, window: MessageWindow | undefined, start: () => MessageConsumer<R>, signal?: AbortSignal): Promise<R> {
  return http.get({
    family: 'maint.messages',
    path: `${chatPath(chatId)}/messages`,
    query: window ? { fromtime: window.fromTime, totime: window.toTime, limit: window.limit } : {},
    rest: false,
    accept: 'json',
    parse: {
      bytes: (body) => {
        const consumer = start();
        consumeMessages(body, chatId, consumer);
        return consumer.finish();
      },
    },
    // A single-shot export of a big conversation can be large; give it time.
    timeout: 'export',
    signal,
  });
}

function collect<T>(map: (message: ReceivedMessage) => T): MessageConsumer<T[]> {
  const out: T[] = [];
  return { take: (message) => out.push(map(message)), finish: () => out };
}

/**
 * Validates and maps the messages of an export body. A single-shot export is a conversation's whole
 * history (23k messages, 6 MB, in the large simulated org): it is parsed one message at a time
 * (util/jsonElements.ts) and each is mapped as soon as it is validated, so only the mapped rows
 * stay in memory.
 */
export function parseMessages<T>(body: string, chatId: string, map: (message: ReceivedMessage) => T): T[] {
  const consumer = collect(map);
  consumeMessages(Buffer.from(body, 'utf8'), chatId, consumer);
  return consumer.finish();
}

/** Hands each message of an export body to `consumer` as soon as it is validated. */
function consumeMessages(body: Buffer, chatId: string, consumer: MessageConsumer<unknown>): void {
  // What the consumer throws (a disk full while storing) is its own failure, never a malformed body.
  let failed: { error: unknown } | undefined;
  const take = (item: unknown, index: number) => {
    const parsed = messageSchema.safeParse(item);
    if (!parsed.success || item === null || typeof item !== 'object') {
      throw new VaultError('MALFORMED_RESPONSE', `Message ${index} of the ${chatId} export is invalid (${parsed.success ? 'not an object' : describeIssue(parsed.error)}).`);
    }
    try {
      consumer.take({ payload: parsed.data, raw: item as Record<string, unknown> });
    } catch (error) {
      failed = { error };
      throw error;
    }
  };
  let streamed: boolean;
  try {
    streamed = eachArrayElement(body, 'data', (text, index) => take(parseJsonLossless(text), index));
  } catch (error) {
    if (error instanceof VaultError || (failed && failed.error === error)) throw error;
    throw new VaultError('MALFORMED_RESPONSE', `Cliq sent a messages response that is not valid JSON (${body.length} bytes).`, { cause: error });
  }
  if (streamed) return;

  // Not the usual envelope: parse it whole, which says what is wrong with it.
  const envelope = parseJsonBody(body.toString('utf8'), 'messages') as { data?: unknown } | null;
  const items = envelope !== null && typeof envelope === 'object' ? envelope.data : undefined;
  if (!Array.isArray(items)) {
    throw new VaultError('MALFORMED_RESPONSE', `The messages export of ${chatId} has no "data" array.`);
  }
  items.forEach(take);
}
