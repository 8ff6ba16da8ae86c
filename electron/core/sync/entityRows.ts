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
function sourceHash(source: unknown, volatile: readonly string[]): string {
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

/** Bot chats carry a `-B<n>` suffix (docs/cliq-api.md §4.3). */
export function isBotChatId(chatId: string): boolean {
  return /-B\d+$/.test(chatId);
}

/**
 * M1 lists direct and group chats alike and says nothing of which is which. Cliq Vault calls a
 * conversation of at most two participants "direct"; a two-person group chat is therefore shown as
 * direct. Bot chats are recognised by their id.
 */
export function chatKind(chatId: string, participantCount: number | undefined): 'direct' | 'group' | 'bot' {
  if (isBotChatId(chatId)) return 'bot';
  return participantCount !== undefined && participantCount <= 2 ? 'direct' : 'group';
}

export function chatRowFromExport(row: ChatExportRow & { chat_id: string }): EntityRow {
  const participants = parseCount(row.participant_count);
  return {
    key: row.chat_id,
    values: {
      kind: chatKind(row.chat_id, participants),
      title: row.title,
      creator_id: row.creator_id,
      created_at: parseExportTime(row.creation_time) ?? null,
      participant_count: participants ?? null,
      server_message_count: parseCount(row.total_message_count) ?? null,
      server_last_modified: parseExportTime(row.last_modified_time) ?? null,
    },
    sourceJson: JSON.stringify(row),
    sourceHash: sourceHash(row, chatVolatile),
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
