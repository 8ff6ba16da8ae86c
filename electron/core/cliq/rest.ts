import { VaultError } from '../../../shared/errors';
import { describeIssue } from '../../../shared/validation';
import { parseJsonBody } from '../util/json';
import type { CliqHttp } from './http';
import {
  channelMemberSchema,
  channelMembersPage,
  channelsPage,
  restChannelSchema,
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

function validateItems<T>(items: unknown[], schema: z.ZodType<T>, what: string): Page<T>['items'] {
  return items.map((item, index) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success || item === null || typeof item !== 'object') {
      throw new VaultError('MALFORMED_RESPONSE', `Item ${index} of the ${what} page is invalid (${parsed.success ? 'not an object' : describeIssue(parsed.error)}).`);
    }
    return { payload: parsed.data, raw: item as Record<string, unknown> };
  });
}

function envelope<S extends z.ZodType>(schema: S, body: string, what: string): z.infer<S> {
  const parsed = schema.safeParse(parseJsonBody(body, what));
  if (!parsed.success) throw new VaultError('MALFORMED_RESPONSE', `The ${what} page does not have the documented shape.`);
  return parsed.data;
}

/** Walks a cursor-paginated listing; refuses a cursor that repeats (a server loop would never end). */
async function* walk<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, what: string): AsyncGenerator<Page<T>> {
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
