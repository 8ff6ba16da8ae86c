import { hash32, Rng } from '../random';
import { messageText } from './content';
import type { Conversation, Org } from './model';

/**
 * Calls and meetings (X1, X2) and scheduled messages (S1, S2) of the simulated org
 * (docs/cliq-api.md §7.9, §7.10). Generated from their own random stream, after everything else,
 * so the rest of every generated org stays byte-identical to what it was before they existed.
 */

export interface SimCallParticipant {
  user: number;
  role: 'host' | 'speaker' | 'attendee';
  start: number;
  end: number;
}

export interface SimCall {
  id: string;
  sessionId: string;
  nrsId: string;
  type: 'audio_conference' | 'video_conference' | 'handshake' | 'assembly';
  title: string;
  scope: 'personal' | 'chat';
  chatId: string | null;
  start: number;
  end: number;
  host: number;
  participants: SimCallParticipant[];
  isPartial: boolean;
  notes: boolean;
  /** Absent from some items: `recording` is optional in the docs. */
  recording: boolean | undefined;
  /** Media change sequence at its last change (sync tokens compare against it). */
  seq: number;
}

export interface SimScheduled {
  /** v3 and v2-create id: a UUID. */
  id: string;
  /** The number v2's list shows instead (docs/cliq-api.md §3.3: the two disagree). */
  numericId: number;
  chatId: string;
  creator: number;
  created: number;
  /** Epoch ms of a time trigger; null for a status trigger. */
  time: number | null;
  status: 'check_in' | 'check_out' | 'user_available' | 'call_end' | null;
  timezone: string;
  type: 'text' | 'file';
  /** The text is messageText(seed): the message it becomes when sent has the same seed. */
  seed: number;
  fileName: string | null;
  seq: number;
}

/** What became of a scheduled message that left the list (the truth a test compares fates with). */
export interface ScheduledOutcome {
  id: string;
  fate: 'sent' | 'deleted';
  chatId: string;
  /** The message it became, when sent. */
  messageId: string | null;
}

export interface OrgMedia {
  calls: SimCall[];
  scheduled: SimScheduled[];
  outcomes: ScheduledOutcome[];
  /** Change sequence of calls and scheduled messages (apart from the org's, which C1/TH1 tokens use). */
  seq: number;
  nextNumericId: number;
}

const callTypes = ['audio_conference', 'video_conference', 'handshake', 'assembly'] as const;
const callTitles = ['Retention review', 'Weekly sync', 'Incident bridge', 'Budget walkthrough', 'Legal hold briefing', '1:1', 'Release go/no-go', 'Ünïcode stand-up 📞'];
const timezones = ['Europe/Berlin', 'Asia/Kolkata', 'America/New_York'];
const statuses = ['check_in', 'check_out', 'user_available', 'call_end'] as const;
const fileNames = ['Expense Summary - Zylker.pdf', 'policy.pdf', 'hold-notice.docx'];

export function uuid(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Conversations a user can hold a call or schedule a message in: live, not threads or bot chats. */
export function roomsOf(org: Org, user: number): Conversation[] {
  return org.conversations.filter((c) => !c.removed && (c.kind === 'dm' || c.kind === 'group' || c.kind === 'channel') && c.memberSet.has(user));
}

/** A call in one of the host's rooms (or a personal one), with the host and up to four others. */
export function makeCall(org: Org, rng: Rng, host: number, start: number, must: number[] = []): SimCall {
  const rooms = roomsOf(org, host);
  const room = rooms.length > 0 && rng.chance(0.7) ? rng.pick(rooms) : null;
  const pool = (room ? room.members : org.users.map((u) => u.index)).filter((u) => u !== host && !must.includes(u));
  const others = [...must.filter((u) => u !== host), ...rng.sample(pool, rng.int(1, 4))];
  const end = start + rng.int(5, 90) * 60_000;
  const participants: SimCallParticipant[] = [{ user: host, role: 'host', start, end }];
  for (const user of others) {
    const from = start + rng.int(0, 5) * 60_000;
    participants.push({ user, role: rng.chance(0.5) ? 'speaker' : 'attendee', start: from, end: Math.max(from + 60_000, end - rng.int(0, 10) * 60_000) });
  }
  const hostId = org.users[host]?.id ?? '0';
  const recording = rng.float();
  org.media.seq += 1;
  return {
    id: `94${rng.digits(13)}`,
    sessionId: uuid(rng),
    nrsId: `${hostId}_${start}_${room ? room.chatId : 'P'}_${rng.digits(7)}`,
    type: rng.pick(callTypes),
    title: rng.pick(callTitles),
    scope: room ? 'chat' : 'personal',
    chatId: room ? room.chatId : null,
    start,
    end,
    host,
    participants,
    isPartial: rng.chance(0.1),
    notes: rng.chance(0.3),
    recording: recording < 0.3 ? true : recording < 0.6 ? false : undefined,
    seq: org.media.seq,
  };
}

/** A pending scheduled message of `creator` in one of their rooms; null when they have none. */
export function makeScheduled(org: Org, rng: Rng, creator: number, now: number, trigger: 'time' | 'status'): SimScheduled | null {
  const rooms = roomsOf(org, creator);
  if (rooms.length === 0) return null;
  const type = rng.chance(0.25) ? 'file' : 'text';
  org.media.seq += 1;
  org.media.nextNumericId += 1;
  // v3 answers ISO times to the second: whole seconds, so v3 and v2 tell the same instant.
  const second = (ms: number) => Math.floor(ms / 1000) * 1000;
  return {
    id: uuid(rng),
    numericId: org.media.nextNumericId,
    chatId: rng.pick(rooms).chatId,
    creator,
    created: second(now - rng.int(60, 3 * 24 * 60) * 60_000),
    time: trigger === 'time' ? second(now + rng.int(6, 5 * 24) * 3_600_000) : null,
    status: trigger === 'status' ? rng.pick(statuses) : null,
    timezone: rng.pick(timezones),
    type,
    seed: rng.next(),
    fileName: type === 'file' ? rng.pick(fileNames) : null,
    seq: org.media.seq,
  };
}

/** The text a scheduled message carries (a file's comment), and the text of the message it becomes. */
export function scheduledText(org: Org, item: SimScheduled): string {
  return messageText(org, item.seed, 0);
}

/**
 * Calls of the last weeks (most with the admin, some without, which X1 must not show the admin)
 * and pending scheduled messages of the admin and the member user.
 */
export function generateMedia(org: Org, seed: number, now: number): void {
  const rng = new Rng(hash32(seed, 0xca11ab1e));
  const admin = org.adminIndex;
  const users = org.users.map((u) => u.index);
  if (users.length < 2) return;
  const starts = Array.from({ length: 18 }, () => now - rng.int(1, 30 * 24) * 3_600_000).sort((a, b) => a - b);
  starts.forEach((start, k) => {
    // Two in three hosted by the admin, the rest by others with the admin invited; the last few without the admin.
    const without = k >= 14;
    const host = without ? rng.pick(users.filter((u) => u !== admin)) : k % 3 === 2 ? rng.pick(users.filter((u) => u !== admin)) : admin;
    const call = makeCall(org, rng, host, start, without || host === admin ? [] : [admin]);
    if (without) call.participants = call.participants.filter((p) => p.user !== admin);
    org.media.calls.push(call);
  });
  for (const [creator, count] of [
    [admin, 5],
    [org.memberIndex, 2],
  ] as const) {
    for (let k = 0; k < count; k++) {
      const item = makeScheduled(org, rng, creator, now, k % 3 === 2 ? 'status' : 'time');
      if (item) org.media.scheduled.push(item);
    }
  }
}

/** A call as the truth states it (ids as strings, epoch ms), with its participants. */
export interface TruthCall {
  id: string;
  nrs_id: string;
  type: string;
  title: string;
  scope: string;
  chat_id: string | null;
  start_time: number;
  end_time: number;
  host_id: string;
  participants: { id: string; role: string; start_time: number; end_time: number }[];
}

export interface TruthScheduled {
  id: string;
  numeric_id: string;
  chat_id: string;
  creator_id: string;
  time: number | null;
  schedule_status: string | null;
  type: string;
  text: string;
  file_name: string | null;
}

export interface MediaTruth {
  /** The calls X1 shows the admin. */
  calls: TruthCall[];
  /** The admin's pending scheduled messages. */
  scheduled: TruthScheduled[];
  /** Every scheduled message that left a list, and why. */
  outcomes: ScheduledOutcome[];
}

export function callVisibleTo(call: SimCall, viewer: number): boolean {
  return call.host === viewer || call.participants.some((p) => p.user === viewer);
}

export function mediaTruth(org: Org, viewer = org.adminIndex): MediaTruth {
  const id = (user: number) => org.users[user]?.id ?? '';
  return {
    calls: org.media.calls
      .filter((c) => callVisibleTo(c, viewer))
      .map((c) => ({
        id: c.id,
        nrs_id: c.nrsId,
        type: c.type,
        title: c.title,
        scope: c.scope,
        chat_id: c.chatId,
        start_time: c.start,
        end_time: c.end,
        host_id: id(c.host),
        participants: c.participants.map((p) => ({ id: id(p.user), role: p.role, start_time: p.start, end_time: p.end })),
      })),
    scheduled: org.media.scheduled
      .filter((s) => s.creator === viewer)
      .map((s) => ({
        id: s.id,
        numeric_id: String(s.numericId),
        chat_id: s.chatId,
        creator_id: id(s.creator),
        time: s.time,
        schedule_status: s.status,
        type: s.type,
        text: scheduledText(org, s),
        file_name: s.fileName,
      })),
    outcomes: org.media.outcomes.slice(),
  };
}
