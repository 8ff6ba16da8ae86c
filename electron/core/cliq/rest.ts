import { VaultError } from '../../../shared/errors';
import { describeIssue } from '../../../shared/validation';
import { parseJsonBody } from '../util/json';
import type { CliqHttp } from './http';
import { parseExportTime } from './csv';
import {
  channelMemberSchema,
  channelMembersPage,
  channelsPage,
  chatsPage,
  restChannelSchema,
  restChatSchema,
  threadSchema,
  threadsPage,
  truthy,
  userSchema,
  usersPage,
  type ChannelMemberPayload,
  type RestChannelPayload,
  type ThreadPayload,
  type UserPayload,
} from './schemas';
import type { z } from 'zod';

export interface Page<T> {
  items: { payload: T; raw: Record<string, unknown> }[];
  next: string | undefined;
}

const pageLimit = 100;

/** Checks each item of a listing against `schema`, keeping its raw JSON beside the parsed payload. */
export function validateItems<T>(items: unknown[], schema: z.ZodType<T>, what: string): Page<T>['items'] {
  return items.map((item, index) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success || item === null || typeof item !== 'object') {
      throw new VaultError('MALFORMED_RESPONSE', `Item ${index} of the ${what} page is invalid (${parsed.success ? 'not an object' : describeIssue(parsed.error)}).`);
    }
    return { payload: parsed.data, raw: item as Record<string, unknown> };
  });
}

/** Parses a JSON answer and checks its envelope (the collection key, the cursors). */
export function envelope<S extends z.ZodType>(schema: S, body: string, what: string): z.infer<S> {
  const parsed = schema.safeParse(parseJsonBody(body, what));
  if (!parsed.success) throw new VaultError('MALFORMED_RESPONSE', `The ${what} page does not have the documented shape.`);
  return parsed.data;
}

/** Walks a cursor-paginated listing; refuses a cursor that repeats (a server loop would never end). */
export async function* walk<T, P extends Page<T> = Page<T>>(fetchPage: (cursor: string | undefined) => Promise<P>, what: string): AsyncGenerator<P> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield page;
    if (page.next === undefined) return;
    if (seen.has(page.next)) throw new VaultError('MALFORMED_RESPONSE', `The ${what} listing returned a cursor it had already returned.`);
    seen.add(page.next);
    cursor = page.next;
  }
}

/** U1: every user of the org with full profiles, page by page (`has_more` + `next_token`). */
export function listUsers(http: CliqHttp, signal?: AbortSignal): AsyncGenerator<Page<UserPayload>> {
  return walk(
    (cursor) =>
      http.get({
        family: 'users.list',
        path: '/api/v2/users',
        query: { fields: 'all', limit: pageLimit, next_token: cursor },
        rest: true,
        accept: 'json',
        parse: (body) => {
          const page = envelope(usersPage, body, 'users');
          const more = truthy(page.has_more) && typeof page.next_token === 'string' && page.next_token !== '';
          return { items: validateItems(page.data, userSchema, 'users'), next: more ? (page.next_token ?? undefined) : undefined };
        },
        signal,
      }),
    'users',
  );
}

/** C1: every channel with its chat id (`pinned=false` means all channels, docs/cliq-api.md §7.2). */
export function listChannels(http: CliqHttp, signal?: AbortSignal): AsyncGenerator<Page<RestChannelPayload>> {
  return walk(
    (cursor) =>
      http.get({
        family: 'channels.list',
        path: '/api/v2/channels',
        query: { limit: pageLimit, pinned: 'false', next_token: cursor },
        rest: true,
        accept: 'json',
        parse: (body) => {
          const page = envelope(channelsPage, body, 'channels');
          const more = truthy(page.has_more) && typeof page.next_token === 'string' && page.next_token !== '';
          return { items: validateItems(page.channels, restChannelSchema, 'channels'), next: more ? (page.next_token ?? undefined) : undefined };
        },
        signal,
      }),
    'channels',
  );
}

/** TH1: every thread of one channel (no state/type filter = all threads). Ends when next_token is absent. */
export function listThreads(http: CliqHttp, channelId: string, signal?: AbortSignal): AsyncGenerator<Page<ThreadPayload>> {
  return walk(
    (cursor) =>
      http.get({
        family: 'threads.list',
        path: `/api/v2/channels/${encodeURIComponent(channelId)}/threads`,
        query: { next_token: cursor },
        rest: true,
        accept: 'json',
        parse: (body) => {
          const page = envelope(threadsPage, body, 'threads');
          const next = typeof page.next_token === 'string' && page.next_token !== '' ? page.next_token : undefined;
          return { items: validateItems(page.data, threadSchema, 'threads'), next };
        },
        signal,
      }),
    `threads of ${channelId}`,
  );
}

/** What H1 told: each listed chat's `chat_type`, and whether the walk reached its oldest chat. */
export interface ChatTypes {
  types: Map<string, string>;
  complete: boolean;
}

/**
 * H1: the `chat_type` of every chat the caller is in (only the caller's own chats are listed). H1
 * has no cursor (docs/cliq-api.md §7.5), so pages are walked by time: `modified_before` = the oldest
 * `last_modified_time` seen plus one second — the ISO times have second precision and the bound is
 * exclusive, so the extra second takes in the ties a full page cut off — de-duplicated by chat id,
 * until a page is short. A full page whose chats all share the bound's second cannot move the bound:
 * the walk ends there, incomplete (the caller says so).
 */
export async function listChatTypes(http: CliqHttp, signal?: AbortSignal, limit = pageLimit): Promise<ChatTypes> {
  const types = new Map<string, string>();
  let before: number | undefined;
  for (;;) {
    const items = await http.get({
      family: 'chats.list',
      path: '/api/v2/chats',
      query: { limit, modified_before: before },
      rest: true,
      accept: 'json',
      parse: (body) => validateItems(envelope(chatsPage, body, 'chats').chats, restChatSchema, 'chats'),
      signal,
    });
    let oldest: number | undefined;
    for (const { payload } of items) {
      if (typeof payload.chat_type === 'string' && payload.chat_type !== '') types.set(payload.chat_id, payload.chat_type);
      const at = payload.last_modified_time ? parseExportTime(payload.last_modified_time) : undefined;
      if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
    }
    if (items.length < limit) return { types, complete: true };
    const next = oldest === undefined ? undefined : oldest + 1_000;
    if (next === undefined || (before !== undefined && next >= before)) return { types, complete: false };
    before = next;
  }
}

/**
 * C3: the current members of one channel, by its REST id (100/min, ten times the export's pace;
 * see sync/members.ts for when it is used). One answer, no pagination documented.
 */
export function listChannelMembers(http: CliqHttp, channelId: string, signal?: AbortSignal): Promise<ChannelMemberPayload[]> {
  return http.get({
    family: 'channels.members',
    path: `/api/v2/channels/${encodeURIComponent(channelId)}/members`,
    rest: true,
    accept: 'json',
    parse: (body) => validateItems(envelope(channelMembersPage, body, 'channel members').members, channelMemberSchema, 'channel members').map((item) => item.payload),
    signal,
  });
}

/**
 * H2: the current members of one of the connected account's own chats (30/min, three times the
 * export's pace; see sync/members.ts). Same member shape as C3, without roles; one answer, no
 * pagination documented.
 */
export function listChatMembers(http: CliqHttp, chatId: string, signal?: AbortSignal): Promise<ChannelMemberPayload[]> {
  return http.get({
    family: 'chats.members',
    path: `/api/v2/chats/${encodeURIComponent(chatId)}/members`,
    rest: true,
    accept: 'json',
    parse: (body) => validateItems(envelope(channelMembersPage, body, 'chat members').members, channelMemberSchema, 'chat members').map((item) => item.payload),
    signal,
  });
}
