import { badRequest, notFound } from '../http/errors';
import { pageLimit } from '../http/params';
import { jsonReply } from '../http/reply';
import { callVisibleTo, scheduledText, type SimCall, type SimScheduled } from '../org/media';
import type { Org } from '../org/model';
import { isoWithOffset } from '../time';
import { param, type ApiRequest, type ApiRoute } from './types';

/** X1, X2 (calls and meetings) and S1, S2 (scheduled messages): docs/cliq-api.md §7.9, §7.10. */

/** v3 answers in a server timezone, not the message's own (docs/cliq-api.md §4.2). */
const serverOffsetMinutes = -420;

/**
 * The cursor of a walk: from `next_token` (which must come alone), else a fresh walk, from
 * `sync_token` when given (alone too). Any other parameter beside either is a 400, as documented
 * for X1 and applied to S2 alike.
 */
function cursorOf(request: ApiRequest, kind: string, allowed: readonly string[]): { offset: number; since: number | null; fresh: boolean } {
  const { query, state, viewer } = request;
  const next = query.get('next_token');
  const sync = query.get('sync_token');
  const others = [...query.keys()].filter((key) => key !== 'next_token' && key !== 'sync_token');
  if (next !== null || sync !== null) {
    if ((next !== null && sync !== null) || others.some((key) => !allowed.includes(key))) throw badRequest('next_token and sync_token take no other parameter');
  }
  if (next !== null) {
    const decoded = state.cursors.decode(next, kind);
    if (!decoded || decoded.u !== viewer || typeof decoded.o !== 'number') throw badRequest('invalid next_token');
    return { offset: decoded.o, since: typeof decoded.s === 'number' ? decoded.s : null, fresh: false };
  }
  if (sync !== null) {
    const decoded = state.cursors.decode(sync, `${kind}-sync`);
    if (!decoded || decoded.u !== viewer || typeof decoded.s !== 'number') throw badRequest('invalid sync_token');
    return { offset: 0, since: decoded.s, fresh: true };
  }
  return { offset: 0, since: null, fresh: true };
}

function userRef(org: Org, index: number, withName = true): Record<string, string> {
  const user = org.users[index];
  return withName ? { name: user?.fullName ?? '', id: user?.id ?? '' } : { id: user?.id ?? '' };
}

function callItem(org: Org, call: SimCall, position: number): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: call.id,
    session_id: call.sessionId,
    nrs_id: call.nrsId,
    type: call.type,
    title: call.title,
    scope: call.scope,
    start_time: call.start,
    end_time: call.end,
    host: userRef(org, call.host),
    // Counts arrive as strings now and then elsewhere in Cliq (§4.1): every other item here.
    participant_count: position % 2 === 1 ? String(call.participants.length) : call.participants.length,
    is_partial: call.isPartial,
    notes: call.notes,
  };
  if (call.recording !== undefined) item.recording = call.recording;
  if (call.chatId !== null) {
    item.chat_id = call.chatId;
    item.chat = { title: org.byChatId.get(call.chatId)?.title ?? '', id: call.chatId };
  }
  return item;
}

const listSessions: ApiRoute = {
  method: 'GET',
  path: '/api/v2/mediasessions',
  family: 'mediasessions.list',
  handle(request) {
    const { state, viewer } = request;
    const { org, options } = state;
    const { offset, since, fresh } = cursorOf(request, 'media', []);
    const calls = org.media.calls.filter((c) => callVisibleTo(c, viewer) && (since === null || c.seq > since)).sort((a, b) => b.start - a.start || a.id.localeCompare(b.id));
    const size = options.mediaSessionsPageSize;
    const body: Record<string, unknown> = { data: calls.slice(offset, offset + size).map((c, k) => callItem(org, c, offset + k)) };
    if (offset + size < calls.length) body.next_token = state.cursors.encode({ k: 'media', u: viewer, o: offset + size, s: since });
    // Only the initial call (no next_token) carries the token of the next sync (§7.9).
    if (fresh) body.sync_token = state.cursors.encode({ k: 'media-sync', u: viewer, s: org.media.seq });
    return jsonReply(body);
  },
};

const participants: ApiRoute = {
  method: 'GET',
  path: '/api/v2/mediasessions/{CALL_ID}/participants',
  family: 'mediasessions.participants',
  handle(request) {
    const { org } = request.state;
    // "Requires X-API-VERSION: 1": a simulator choice to refuse without it, so the client must send it.
    if (request.headers?.['x-api-version'] !== '1') throw badRequest('X-API-VERSION: 1 is required');
    const nrsId = param(request, 'CALL_ID');
    const call = org.media.calls.find((c) => c.nrsId === nrsId);
    if (!call || !callVisibleTo(call, request.viewer)) throw notFound();
    const data = call.participants.map((p, k) => {
      const user = org.users[p.user];
      // Names may be missing (§4.1): the third participant of each call comes without one.
      const entry: Record<string, unknown> = { id: user?.id ?? '' };
      if (k !== 2) entry.name = user?.fullName ?? '';
      Object.assign(entry, { email_id: user?.email ?? '', role: p.role, start_time: p.start, end_time: p.end });
      return entry;
    });
    return jsonReply({ url: `/api/v2/mediasessions/${nrsId}/participants`, type: 'participant', data });
  },
};

function scheduledV3Item(org: Org, item: SimScheduled): Record<string, unknown> {
  const out: Record<string, unknown> = { id: item.id, timezone: item.timezone, created_time: isoWithOffset(item.created, serverOffsetMinutes) };
  if (item.time !== null) out.time = isoWithOffset(item.time, serverOffsetMinutes);
  else out.schedule_status = item.status;
  const text = scheduledText(org, item);
  out.message =
    item.type === 'text'
      ? { sender: userRef(org, item.creator), type: 'text', content: { text }, is_pinned: false }
      : // The file example omits the sender's name (§7.10).
        { sender: userRef(org, item.creator, false), type: 'file', content: { file_name: item.fileName, file_size: '61.05 KB', comment: text }, is_pinned: false };
  out.creator = userRef(org, item.creator);
  return out;
}

const listScheduledV3: ApiRoute = {
  method: 'GET',
  path: '/api/v3/scheduledmessages',
  family: 'scheduled.list',
  handle(request) {
    const { state, viewer, query } = request;
    const { org, options } = state;
    if (!options.scheduledV3Available) throw notFound();
    const { offset, since, fresh } = cursorOf(request, 'sched3', ['limit']);
    const limit = pageLimit(query, 50, 'error');
    const items = org.media.scheduled.filter((s) => s.creator === viewer && (since === null || s.seq > since)).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
    const body: Record<string, unknown> = { url: '/api/v3/scheduledmessages', type: 'scheduledmessages' };
    if (fresh) body.sync_token = state.cursors.encode({ k: 'sched3-sync', u: viewer, s: org.media.seq });
    if (offset + limit < items.length) body.next_token = state.cursors.encode({ k: 'sched3', u: viewer, o: offset + limit, s: since });
    body.data = items.slice(offset, offset + limit).map((s) => scheduledV3Item(org, s));
    return jsonReply(body);
  },
};

const v2PageSize = 50;

const listScheduledV2: ApiRoute = {
  method: 'GET',
  path: '/api/v2/scheduledmessages',
  family: 'scheduled.legacy',
  handle(request) {
    const { state, viewer } = request;
    const { org } = state;
    const { offset } = cursorOf(request, 'sched2', []);
    const items = org.media.scheduled.filter((s) => s.creator === viewer).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
    const page = items.slice(offset, offset + v2PageSize);
    // The odd `url` is as documented: a chat's path for the list of all chats.
    const body: Record<string, unknown> = { url: `/v2/chats/${(page[0]?.chatId ?? '').replace(/\D+/g, '').slice(0, 19)}/scheduledmessages` };
    if (offset + v2PageSize < items.length) body.next_token = state.cursors.encode({ k: 'sched2', u: viewer, o: offset + v2PageSize, s: null });
    body.type = 'scheduledmessages';
    body.data = page.map((s) => {
      const out: Record<string, unknown> = { chat_id: s.chatId, creator: org.users[s.creator]?.id ?? '', created_time: s.created };
      if (s.time !== null) out.scheduled_time = s.time;
      // A number here, a UUID everywhere else (§3.3).
      out.id = s.numericId;
      return out;
    });
    return jsonReply(body);
  },
};

export const mediaRoutes: ApiRoute[] = [listSessions, participants, listScheduledV3, listScheduledV2];
