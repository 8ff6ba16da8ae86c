import type Database from 'better-sqlite3-multiple-ciphers';
import { personNamer } from '../archive/mentionResolver';
import type { CallNotificationRow, CallRow, CallsPage, ScheduledMessageRow, ScheduledPage } from '../../../shared/evidence';
import { callsSource } from '../sync/calls';
import { optionalSourceViewOf } from '../sync/optionalSources';
import { scheduledRowV2, scheduledRowV3, scheduledSource } from '../sync/scheduledMessages';
import { scheduledV2Schema, scheduledV3Schema } from '../cliq/scheduledMessages';

/**
 * The Calls & scheduled screen's reads (issue 12): the connected account's calls and meetings with
 * their participants, the org's calls as archived call_notification messages record them, and the
 * connected account's scheduled messages with their fate. Read-only, paged newest first.
 */

export interface CallsFilter {
  list: 'meetings' | 'notices';
  chatId?: string | undefined;
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  to?: number | undefined;
  offset: number;
  limit: number;
}

type Params = Record<string, string | number>;

/** The WHERE clause of a filter over a table's conversation and time columns. */
function filterClause(filter: CallsFilter, chatColumn: string, timeColumn: string): { where: string; params: Params } {
  const where: string[] = [];
  const params: Params = { limit: filter.limit, offset: filter.offset };
  if (filter.chatId !== undefined) {
    where.push(`${chatColumn} = @chat`);
    params.chat = filter.chatId;
  }
  if (filter.from !== undefined) {
    where.push(`${timeColumn} >= @from`);
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    where.push(`${timeColumn} <= @to`);
    params.to = filter.to;
  }
  return { where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** One page of calls and meetings, or of call notices, with how the calls source fared. */
export function readCalls(db: Database.Database, filter: CallsFilter): CallsPage {
  const source = optionalSourceViewOf(db, callsSource.dataset);
  if (filter.list === 'notices') {
    const { where, params } = filterClause(filter, 'n.chat_id', 'n.time');
    const total = db.prepare<Params, { n: number }>(`SELECT count(*) AS n FROM call_notifications n ${where}`).get(params)?.n ?? 0;
    const notices = db
      .prepare<Params, CallNotificationRow>(
        `SELECT n.message_key AS messageKey, n.chat_id AS chatId, k.title AS chatTitle, n.message_id AS messageId, n.time,
                n.sender_id AS callerId, n.sender_name AS callerName, n.callee_id AS calleeId, n.callee_name AS calleeName,
                n.call_type AS callType, n.status, n.duration
           FROM call_notifications n LEFT JOIN chats k ON k.chat_id = n.chat_id
          ${where}
          ORDER BY n.time DESC, n.message_key DESC LIMIT @limit OFFSET @offset`,
      )
      .all(params);
    const named = personNamer(db);
    return {
      meetings: [],
      notices: notices.map((n) => ({ ...n, callerName: named(n.callerId, n.callerName), calleeName: named(n.calleeId, n.calleeName) })),
      total,
      offset: filter.offset,
      source,
    };
  }
  const { where, params } = filterClause(filter, 'c.chat_id', 'c.start_time');
  const total = db.prepare<Params, { n: number }>(`SELECT count(*) AS n FROM calls c ${where}`).get(params)?.n ?? 0;
  const rows = db
    .prepare<Params, Omit<CallRow, 'recording' | 'participants'> & { recording: number | null }>(
      `SELECT c.call_id AS callId, c.type, c.title, c.chat_id AS chatId, coalesce(c.chat_title, k.title) AS chatTitle,
              c.host_id AS hostId, coalesce(c.host_name, u.name) AS hostName, c.start_time AS start, c.end_time AS "end",
              c.participant_count AS participantCount, c.recording, c.gone_at AS goneAt
         FROM calls c LEFT JOIN chats k ON k.chat_id = c.chat_id LEFT JOIN users u ON u.user_id = c.host_id
        ${where}
        ORDER BY c.start_time IS NULL, c.start_time DESC, c.call_id LIMIT @limit OFFSET @offset`,
    )
    .all(params);
  const participants = participantsOf(
    db,
    rows.map((r) => r.callId),
  );
  const named = personNamer(db);
  const meetings = rows.map((r) => ({ ...r, hostName: named(r.hostId, r.hostName), recording: r.recording === null ? null : r.recording === 1, participants: participants.get(r.callId) ?? [] }));
  return { meetings, notices: [], total, offset: filter.offset, source };
}

/** The participants of some calls as last listed (a stay no longer listed was replaced by a changed listing). */
function participantsOf(db: Database.Database, callIds: string[]): Map<string, CallRow['participants']> {
  const byCall = new Map<string, CallRow['participants']>();
  if (callIds.length === 0) return byCall;
  const rows = db
    .prepare<[string], CallRow['participants'][number] & { callId: string }>(
      `SELECT p.call_id AS callId, p.user_id AS userId, coalesce(p.name, u.name) AS name, coalesce(p.email, u.email) AS email, p.role,
              p.start_time AS start, p.end_time AS "end"
         FROM call_participants p LEFT JOIN users u ON u.user_id = p.user_id
        WHERE p.call_id IN (SELECT value FROM json_each(?)) AND p.gone_at IS NULL
        ORDER BY p.call_id, p.start_time, p.user_id`,
    )
    .all(JSON.stringify(callIds));
  const named = personNamer(db);
  for (const { callId, ...participant } of rows) {
    const list = byCall.get(callId) ?? [];
    list.push({ ...participant, name: named(participant.userId, participant.name) });
    byCall.set(callId, list);
  }
  return byCall;
}

type ScheduledCells = Omit<ScheduledMessageRow, 'earlierTimes' | 'fate'> & { fate: string };

/** One page of the connected account's scheduled messages, pending ones first, then by delivery time. */
export function readScheduled(db: Database.Database, page: { offset: number; limit: number }): ScheduledPage {
  const source = optionalSourceViewOf(db, scheduledSource.dataset);
  const total = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM scheduled_messages').get()?.n ?? 0;
  const rows = db
    .prepare<[number, number], ScheduledCells>(
      `SELECT s.scheduled_id AS scheduledId, coalesce(s.chat_id, s.sent_chat_id) AS chatId, k.title AS chatTitle,
              coalesce(s.text, s.file_name) AS text, s.scheduled_at AS scheduledFor, s.schedule_status AS scheduleStatus,
              s.timezone AS timeZone, s.created_at AS createdAt, s.fate, s.fate_at AS fateNoticedAt, m.id AS sentMessageKey
         FROM scheduled_messages s
         LEFT JOIN chats k ON k.chat_id = coalesce(s.chat_id, s.sent_chat_id)
         LEFT JOIN messages m ON m.chat_id = s.sent_chat_id AND m.message_id = s.sent_message_id
        ORDER BY s.fate <> 'pending', s.scheduled_at IS NULL, s.scheduled_at DESC, s.scheduled_id LIMIT ? OFFSET ?`,
    )
    .all(page.limit, page.offset);
  const earlier = earlierTimes(
    db,
    rows.map((r) => r.scheduledId),
  );
  return {
    rows: rows.map((row) => {
      const times = (earlier.get(row.scheduledId) ?? []).filter((t, i, all) => t !== row.scheduledFor && t !== all[i - 1]);
      const fate = row.fate === 'pending' && times.length > 0 ? 'rescheduled' : (row.fate as ScheduledMessageRow['fate']);
      return { ...row, fate, earlierTimes: times };
    }),
    total,
    offset: page.offset,
    source,
  };
}

/** The delivery times of the earlier versions of some scheduled messages (entity_history), oldest first. */
function earlierTimes(db: Database.Database, ids: string[]): Map<string, number[]> {
  const byId = new Map<string, number[]>();
  if (ids.length === 0) return byId;
  const rows = db
    .prepare<[string], { id: string; json: string }>(
      `SELECT entity_key AS id, source_json AS json FROM entity_history
        WHERE kind = 'scheduled_message' AND entity_key IN (SELECT value FROM json_each(?))
        ORDER BY entity_key, seen_at, id`,
    )
    .all(JSON.stringify(ids));
  for (const { id, json } of rows) {
    const at = deliveryTime(json);
    if (at === null) continue;
    const list = byId.get(id) ?? [];
    list.push(at);
    byId.set(id, list);
  }
  return byId;
}

/**
 * A stored item's delivery time, read the way the lane read it (a v3 item has `time`, a v2 item
 * `scheduled_time`), or null when it had none or no longer parses.
 */
function deliveryTime(json: string): number | null {
  const raw = JSON.parse(json) as Record<string, unknown>;
  if ('scheduled_time' in raw) {
    const v2 = scheduledV2Schema.safeParse(raw);
    return v2.success ? (scheduledRowV2(v2.data, raw).values.scheduled_at as number | null) : null;
  }
  const v3 = scheduledV3Schema.safeParse(raw);
  return v3.success ? (scheduledRowV3(v3.data, raw).values.scheduled_at as number | null) : null;
}
