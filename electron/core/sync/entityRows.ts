import type { KindSource } from '../../../shared/views';
import type { EntityRow } from '../archive/entityStore';
import { parseCount, parseExportTime } from '../cliq/csv';
import type { ChannelExportRow, ChatExportRow } from '../cliq/maintenance';
import type { RestChannelPayload, ThreadPayload, UserPayload } from '../cliq/schemas';
import { canonicalJson } from '../util/json';
import { sha256Hex } from '../util/sha256';

/**
 * Maps listing payloads to archive rows. The source hash leaves out counters that move with every
 * message (totals, last-modified, last message): those are tracked in their own columns, and a
 * new entity_history version is made only when something about the entity itself changed.
 */
export function sourceHash(source: unknown, volatile: readonly string[]): string {
  const stable = source !== null && typeof source === 'object' && !Array.isArray(source) ? stripVolatile(source as Record<string, unknown>, volatile) : source;
  return sha256Hex(canonicalJson(stable));
}

const chatVolatile = ['last_modified_time', 'total_message_count', 'participant_count'] as const;
const channelVolatile = [
  'last_modified_time',
  'total_message_count',
  'participant_count',
  'last_message_info',
  'unread_message_count',
  'unread_time',
  'muted_interval',
  'joined',
  'pinned',
  'current_user_role',
] as const;
const threadVolatile = ['last_message_information', 'last_message_info', 'follower_count', 'is_follower', 'message_count'] as const;

/** The source columns of a row that is one listing item, kept whole (no volatile counters to leave out). */
export function itemSource(raw: Record<string, unknown>): Pick<EntityRow, 'sourceJson' | 'sourceHash'> {
  return { sourceJson: JSON.stringify(raw), sourceHash: sha256Hex(canonicalJson(raw)) };
}

/** Bot chats carry a `-B<n>` suffix (docs/cliq-api.md §4.3). */
export function isBotChatId(chatId: string): boolean {
  return /-B\d+$/.test(chatId);
}

/**
 * M1 lists direct and group chats alike and says nothing of which is which. Where H1 cannot tell
 * (a chat the admin is not in), Cliq Vault guesses: a conversation of at most two participants is
 * "direct", so a two-person group chat is shown as direct — and marked guessed. Bot chats are
 * recognised by their id.
 */
export function chatKind(chatId: string, participantCount: number | undefined): 'direct' | 'group' | 'bot' {
  if (isBotChatId(chatId)) return 'bot';
  return participantCount !== undefined && participantCount <= 2 ? 'direct' : 'group';
}

/** H1's `chat_type` as a kind (docs/cliq-api.md §7.5); undefined for a value it does not document. */
export function kindFromChatType(chatType: string): 'direct' | 'group' | 'bot' | undefined {
  return chatType === 'dm' ? 'direct' : chatType === 'chat' ? 'group' : chatType === 'bot' ? 'bot' : undefined;
}

/**
 * A chat row from M1, with H1's `chat_type` when the admin can read it. The type is kept in the
 * source (so a kind read later than first archived leaves the earlier source in entity_history);
 * a chat H1 does not list keeps M1's row alone as its source, hashed as it always was.
 */
export function chatRowFromExport(row: ChatExportRow & { chat_id: string }, chatType?: string): EntityRow {
  const participants = parseCount(row.participant_count);
  const read = chatType === undefined ? undefined : kindFromChatType(chatType);
  const source = chatType === undefined ? row : { ...row, chat_type: chatType };
  const kindSource: KindSource = read !== undefined ? 'chat_type' : isBotChatId(row.chat_id) ? 'chat_id' : 'guessed';
  return {
    key: row.chat_id,
    values: {
      kind: read ?? chatKind(row.chat_id, participants),
      kind_source: kindSource,
      title: row.title,
      creator_id: row.creator_id,
      created_at: parseExportTime(row.creation_time) ?? null,
      participant_count: participants ?? null,
      server_message_count: parseCount(row.total_message_count) ?? null,
      server_last_modified: parseExportTime(row.last_modified_time) ?? null,
    },
    sourceJson: JSON.stringify(source),
    sourceHash: sourceHash(source, chatVolatile),
  };
}

/** Channel ids: REST prefixes a level letter (O…, T…) that the Maintenance export leaves out. */
export function channelMatchKey(channelId: string): string {
  return channelId.replace(/^[A-Za-z]+/, '');
}

export interface ChannelSources {
  exported: ChannelExportRow | null;
  rest: { payload: RestChannelPayload; raw: Record<string, unknown> } | null;
}

/** REST sends "" where the CSV export leaves a cell empty: both mean "no value". */
function text(value: string | null | undefined): string | null | undefined {
  return value === '' ? null : value;
}

export function channelRow(key: string, { exported, rest }: ChannelSources): EntityRow {
  const r = rest?.payload;
  const isoTime = (value: string | null | undefined) => (value ? parseExportTime(value) : undefined);
  const source = { export: exported, rest: rest?.raw ?? null };
  return {
    key,
    values: {
      rest_channel_id: r?.channel_id ?? null,
      chat_id: r?.chat_id ?? null,
      name: exported?.name ?? text(r?.name) ?? null,
      unique_name: text(r?.unique_name) ?? null,
      description: exported?.description ?? text(r?.description) ?? null,
      level: text(r?.level) ?? null,
      status: exported?.status ?? text(r?.status) ?? null,
      role: exported?.role ?? null,
      creator_id: exported?.creator_id ?? r?.creator_id ?? null,
      created_at: parseExportTime(exported?.creation_time ?? null) ?? isoTime(r?.creation_time) ?? null,
      last_modified: parseExportTime(exported?.last_modified_time ?? null) ?? isoTime(r?.last_modified_time) ?? null,
      participant_count: parseCount(exported?.participant_count) ?? parseCount(r?.participant_count) ?? null,
      server_message_count: parseCount(exported?.total_message_count) ?? parseCount(r?.total_message_count) ?? null,
    },
    sourceJson: JSON.stringify(source),
    sourceHash: sourceHash({ export: sourceHash(exported, channelVolatile), rest: sourceHash(rest?.raw ?? null, channelVolatile) }, []),
  };
}

/** The chats row of a channel's conversation, derived from its channel row. */
export function channelChatRow(chatId: string, channel: EntityRow): EntityRow {
  const v = channel.values;
  const source = { channel_id: channel.key, name: v.name ?? null };
  return {
    key: chatId,
    values: {
      kind: 'channel',
      kind_source: 'listing',
      title: v.name ?? null,
      creator_id: v.creator_id ?? null,
      created_at: v.created_at ?? null,
      participant_count: v.participant_count ?? null,
      server_message_count: v.server_message_count ?? null,
      server_last_modified: v.last_modified ?? null,
    },
    sourceJson: JSON.stringify(source),
    sourceHash: sourceHash(source, []),
  };
}

export function threadRows(item: { payload: ThreadPayload; raw: Record<string, unknown> }, channel: { key: string; chatId: string | null }): { thread: EntityRow; chat: EntityRow } {
  const t = item.payload;
  const last = t.last_message_information ?? t.last_message_info;
  const lastAt = parseExportTime(last?.time ?? last?.message_time ?? null) ?? null;
  const thread: EntityRow = {
    key: t.chat_id,
    values: {
      parent_chat_id: t.parent_chat_id ?? channel.chatId,
      channel_id: channel.key,
      title: t.title ?? null,
      thread_message_id: t.thread_message_id ?? null,
      parent_message_sender: t.parent_message_sender ?? null,
      thread_state: t.thread_state ?? null,
      follower_count: parseCount(t.follower_count) ?? null,
      last_message_at: lastAt,
    },
    sourceJson: JSON.stringify(item.raw),
    sourceHash: sourceHash(item.raw, threadVolatile),
  };
  const chatSource = { thread_of: channel.key, title: t.title ?? null };
  const chat: EntityRow = {
    key: t.chat_id,
    values: {
      kind: 'thread',
      kind_source: 'listing',
      title: t.title ?? null,
      creator_id: t.parent_message_sender ?? null,
      created_at: null,
      participant_count: parseCount(t.follower_count) ?? null,
      // TH1 gives no message total for a thread; the time of its last message is the change signal.
      server_message_count: null,
      server_last_modified: lastAt,
    },
    sourceJson: JSON.stringify(chatSource),
    sourceHash: sourceHash(chatSource, []),
  };
  return { thread, chat };
}

export function userRow(item: { payload: UserPayload; raw: Record<string, unknown> }): EntityRow {
  const u = item.payload;
  return {
    key: u.id,
    values: {
      email: u.email_id ?? null,
      name: u.name ?? u.full_name ?? null,
      display_name: u.display_name ?? null,
      status: u.status ?? null,
    },
    sourceJson: JSON.stringify(item.raw),
    sourceHash: sourceHash(item.raw, []),
  };
}

function stripVolatile(source: Record<string, unknown>, volatile: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (!volatile.includes(key)) out[key] = value;
  return out;
}
