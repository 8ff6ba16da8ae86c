import { VaultError } from '../../../shared/errors';
import { parseJsonBody } from '../util/json';
import type { CliqHttp } from './http';

/** One reaction as MS3 lists it: the key verbatim and the entry split on its first two colons. */
export interface Reaction {
  /** The reaction key as received: a Unicode emoji or a `:code:`. */
  emoji: string;
  userId: string;
  /** The display name, colons and all; null when the entry has none. */
  userName: string | null;
  /** Epoch ms, or null when the first field is not a number. */
  reactedAt: number | null;
  /** The "<ms>:<userId>:<name>" string exactly as received. */
  entry: string;
}

/**
 * Splits one "<ms>:<userId>:<name>" entry on its first two colons only: display names may hold
 * colons (docs/cliq-api.md §7.11). Undefined when it has no user id.
 */
export function parseReactionEntry(emoji: string, entry: string): Reaction | undefined {
  const first = entry.indexOf(':');
  if (first < 0) return undefined;
  const second = entry.indexOf(':', first + 1);
  const time = entry.slice(0, first);
  const userId = second < 0 ? entry.slice(first + 1) : entry.slice(first + 1, second);
  if (userId === '') return undefined;
  const name = second < 0 ? null : entry.slice(second + 1);
  return { emoji, userId, userName: name === '' ? null : name, reactedAt: /^\d{1,16}$/.test(time) ? Number(time) : null, entry };
}

export interface ReactionsAnswer {
  reactions: Reaction[];
  /** Entries that could not be read (not a string, no user id): counted, never guessed at. */
  unreadable: number;
}

/** The body of MS3: `{data: {key: ["ms:uid:name", …]}}`, `{data: {}}` when nobody reacted. */
export function parseReactions(body: string): ReactionsAnswer {
  const parsed = parseJsonBody(body, 'reactions');
  const data = parsed !== null && typeof parsed === 'object' ? (parsed as { data?: unknown }).data : undefined;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new VaultError('MALFORMED_RESPONSE', 'The reactions answer has no `data` object.');
  const reactions: Reaction[] = [];
  let unreadable = 0;
  for (const [emoji, entries] of Object.entries(data as Record<string, unknown>)) {
    if (!Array.isArray(entries)) {
      unreadable += 1;
      continue;
    }
    for (const entry of entries) {
      const reaction = typeof entry === 'string' ? parseReactionEntry(emoji, entry) : undefined;
      if (reaction) reactions.push(reaction);
      else unreadable += 1;
    }
  }
  return { reactions, unreadable };
}

/** The other spelling of a message id: `<ms>_<n>` ↔ `<ms> <n>` (docs/cliq-api.md §4.3). */
export function otherMessageIdSpelling(messageId: string): string | undefined {
  if (/^\d+_\d+$/.test(messageId)) return messageId.replace('_', ' ');
  if (/^\d+ \d+$/.test(messageId)) return messageId.replace(' ', '_');
  if (/^\d+%20\d+$/.test(messageId)) return messageId.replace('%20', '_');
  return undefined;
}

/**
 * MS3: the reactions of one message (20/min, its own family). The id goes as archived, URL-encoded;
 * the seeds do not say which spelling the path takes, so a 404 is retried once with the other one.
 */
export async function getReactions(http: CliqHttp, chatId: string, messageId: string, signal?: AbortSignal): Promise<ReactionsAnswer> {
  const get = (id: string) =>
    http.get({
      family: 'messages.reactions',
      path: `/api/v2/chats/${encodeURIComponent(chatId)}/messages/${encodeURIComponent(id)}/reactions`,
      rest: true,
      accept: 'json',
      parse: parseReactions,
      signal,
    });
  try {
    return await get(messageId);
  } catch (error) {
    const other = otherMessageIdSpelling(messageId);
    if (!(error instanceof VaultError && error.code === 'NOT_FOUND') || other === undefined) throw error;
    return get(other);
  }
}

/**
 * H3: the pinned message of one conversation, the object under `data` as received; null when
 * nothing is pinned (204, or an empty `data`). A 404 is Cliq's other possible "nothing pinned"
 * [GAP]: the caller decides (the conversation may also be gone).
 */
export async function getStickyMessage(http: CliqHttp, chatId: string, signal?: AbortSignal): Promise<Record<string, unknown> | null> {
  return http.get({
    family: 'chats.sticky',
    path: `/api/v2/chats/${encodeURIComponent(chatId)}/stickymessage`,
    rest: true,
    accept: 'json',
    parse: (body) => {
      if (body.trim() === '') return null;
      const parsed = parseJsonBody(body, 'sticky message');
      const data = parsed !== null && typeof parsed === 'object' ? (parsed as { data?: unknown }).data : undefined;
      if (data === undefined || data === null) return null;
      if (typeof data !== 'object' || Array.isArray(data)) throw new VaultError('MALFORMED_RESPONSE', 'The sticky message answer has a `data` that is not an object.');
      return Object.keys(data).length === 0 ? null : (data as Record<string, unknown>);
    },
    signal,
  });
}
