import { toCsv, type CsvCell } from '../http/csv';
import { badRequest, HttpError, notFound } from '../http/errors';
import { csvReply, streamedJsonReply } from '../http/reply';
import { exportMessage } from '../org/content';
import type { Conversation, MessageStore } from '../org/model';
import { liveConversations, maintenanceChannelId, memberRows } from '../org/truth';
import { exportedMessages, lastModifiedTime, participantCount, totalMessages, type MessageRef } from '../org/views';
import { isoWithOffset } from '../time';
import { param, type ApiRequest, type ApiRoute } from './types';

/**
 * The admin export APIs (docs/cliq-api.md §6): CSV for chats, channels and members, JSON for messages.
 * Everything the seeds leave open here is a knob (§6.6, §6.8, §10.2).
 */

const chatFields = ['title', 'chat_id', 'creation_time', 'last_modified_time', 'participant_count', 'total_message_count', 'creator_id'] as const;
const channelFields = ['name', 'channel_id', 'creation_time', 'last_modified_time', 'creator_id', 'description', 'participant_count', 'total_message_count', 'status', 'role'] as const;
const memberFields = ['name', 'email_id', 'user_id'] as const;

/** `fields` is mandatory; unknown, empty or repeated names are a 400 (§6.1, §10.2). */
function parseFields<T extends string>(request: ApiRequest, allowed: readonly T[]): T[] {
  const raw = request.query.get('fields');
  if (raw === null || raw.length === 0) throw badRequest('fields is mandatory');
  const names = raw.split(',');
  const seen = new Set<string>();
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name) || seen.has(name)) throw badRequest(`bad field ${JSON.stringify(name)}`);
    seen.add(name);
  }
  const fields = names as T[];
  return request.state.options.canonicalOrder ? allowed.filter((f) => seen.has(f)) : fields;
}

function csvFor(request: ApiRequest, fields: readonly string[], rows: CsvCell[][]) {
  const options = request.state.options;
  return csvReply(toCsv(rows, { header: options.csvHeader ? fields : null, crlf: options.crlf, bom: options.bom }));
}

function time(request: ApiRequest, ms: number): CsvCell {
  const options = request.state.options;
  return options.timestampFormat === 'iso' ? isoWithOffset(ms, options.timezoneOffsetMinutes) : ms;
}

/** A chat the export routes may answer for, honouring forbidChats / missingChats. */
function exportable(request: ApiRequest): Conversation {
  const chatId = param(request, 'chat_id');
  const options = request.state.options;
  if (options.missingChats.includes(chatId)) throw notFound();
  if (options.forbidChats.includes(chatId)) throw new HttpError(403);
  const conversation = request.state.org.live(chatId);
  if (!conversation || (conversation.thread && !request.state.org.live(conversation.thread.parentChatId))) throw notFound();
  return conversation;
}

const exportChats: ApiRoute = {
  method: 'GET',
  path: '/maintenanceapi/v2/chats',
  family: 'maint.chats',
  handle(request) {
    const fields = parseFields(request, chatFields);
    const { org } = request.state;
    const ctx = request.state.context();
    // Direct, group and bot chats; channels have their own export (§6.2 [GAP]: bots included here).
    const chats = liveConversations(org).filter((c) => c.kind === 'dm' || c.kind === 'group' || c.kind === 'bot');
    const rows = chats.map((c) =>
      fields.map((field): CsvCell => {
        switch (field) {
          case 'title':
            return c.title;
          case 'chat_id':
            return c.chatId;
          case 'creation_time':
            return time(request, c.creationTime);
          case 'last_modified_time':
            return time(request, lastModifiedTime(org, c, ctx));
          case 'participant_count':
            return participantCount(org, c);
          case 'total_message_count':
            return totalMessages(org, c, ctx);
          case 'creator_id':
            return org.users[c.creator]?.id ?? '';
        }
      }),
    );
    return csvFor(request, fields, rows);
  },
};

const exportChannels: ApiRoute = {
  method: 'GET',
  path: '/maintenanceapi/v2/channels',
  family: 'maint.channels',
  handle(request) {
    const fields = parseFields(request, channelFields);
    const { org } = request.state;
    const ctx = request.state.context();
    const channels = liveConversations(org).filter((c) => c.kind === 'channel');
    const rows = channels.map((c) =>
      fields.map((field): CsvCell => {
        const channel = c.channel;
        switch (field) {
          case 'name':
            return channel?.name ?? '';
          case 'channel_id':
            return maintenanceChannelId(c, request.state.options.maintenanceChannelIdPrefix);
          case 'creation_time':
            return time(request, c.creationTime);
          case 'last_modified_time':
            return time(request, lastModifiedTime(org, c, ctx));
          case 'creator_id':
            return org.users[c.creator]?.id ?? '';
          case 'description':
            return channel?.description ?? '';
          case 'participant_count':
            return participantCount(org, c);
          case 'total_message_count':
            return totalMessages(org, c, ctx);
          case 'status':
            return channel?.status ?? '';
          case 'role':
            // Undocumented [GAP]; read as the exporting admin's role in the channel (empty if not in it).
            return channel?.roles.get(request.viewer) ?? '';
        }
      }),
    );
    return csvFor(request, fields, rows);
  },
};

const exportMembers: ApiRoute = {
  method: 'GET',
  path: '/maintenanceapi/v2/chats/{chat_id}/members',
  family: 'maint.members',
  handle(request) {
    const conversation = exportable(request);
    const fields = parseFields(request, memberFields);
    const rows = memberRows(request.state.org, conversation).map((m) => fields.map((f) => m[f]));
    return csvFor(request, fields, rows);
  },
};

/**
 * The time window M4 applies when maintenanceHonorsTimeWindow is on: REST semantics, ascending,
 * the oldest `limit` (default and max 100) at or after fromtime.
 */
export function windowed(store: MessageStore, query: URLSearchParams, exclusive: boolean, newestWithoutFrom: boolean): [number, number] {
  const from = readMs(query, 'fromtime');
  const to = readMs(query, 'totime');
  const limit = readLimit(query);
  const lo = from === undefined ? 0 : exclusive ? store.upperBound(from) : store.lowerBound(from);
  const hi = to === undefined ? store.length : exclusive ? store.lowerBound(to) : store.upperBound(to);
  if (hi <= lo) return [lo, lo];
  if (from === undefined && newestWithoutFrom) return [Math.max(lo, hi - limit), hi];
  return [lo, Math.min(hi, lo + limit)];
}

/** `limit` of a message window: default 100, larger values clamped to 100, anything else a 400. */
function readLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return 100;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw badRequest('limit must be a positive integer');
  return Math.min(100, Number(raw));
}

function readMs(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,16}$/.test(raw)) throw badRequest(`${name} must be epoch milliseconds`);
  return Number(raw);
}

const exportMessages: ApiRoute = {
  method: 'GET',
  path: '/maintenanceapi/v2/chats/{chat_id}/messages',
  family: 'maint.messages',
  handle(request) {
    const conversation = exportable(request);
    const { org, options } = request.state;
    let refs: MessageRef[];
    if (options.maintenanceHonorsTimeWindow && !(options.threadRepliesInParent && conversation.kind === 'channel')) {
      const [lo, hi] = windowed(conversation.messages, request.query, options.windowBoundsExclusive, false);
      refs = [];
      for (let i = lo; i < hi; i++) refs.push({ conversation, index: i });
    } else {
      refs = exportedMessages(org, conversation, request.state.context());
      if (options.maintenanceHonorsTimeWindow) refs = windowRefs(refs, request.query, options.windowBoundsExclusive);
    }
    if (options.maintenanceTruncateAt !== null) refs = refs.slice(0, options.maintenanceTruncateAt);
    const selected = refs;
    return streamedJsonReply(function* () {
      yield '{"data":[';
      for (let k = 0; k < selected.length; k += 256) {
        const part = selected.slice(k, k + 256).map((ref) => JSON.stringify(exportMessage(org, ref.conversation, ref.conversation.messages, ref.index)));
        yield (k === 0 ? '' : ',') + part.join(',');
      }
      yield ']}';
    });
  },
};

/** The same window over a merged (channel + thread replies) list. */
function windowRefs(refs: MessageRef[], query: URLSearchParams, exclusive: boolean): MessageRef[] {
  const from = readMs(query, 'fromtime');
  const to = readMs(query, 'totime');
  const limit = readLimit(query);
  const timeOf = (ref: MessageRef) => ref.conversation.messages.time[ref.index] as number;
  return refs
    .filter((ref) => (from === undefined || (exclusive ? timeOf(ref) > from : timeOf(ref) >= from)) && (to === undefined || (exclusive ? timeOf(ref) < to : timeOf(ref) <= to)))
    .slice(0, limit);
}

export const maintenanceRoutes: ApiRoute[] = [exportChats, exportChannels, exportMembers, exportMessages];
