import { parseJsonLossless } from '../util/json';

/** A join or leave as one of Cliq's info messages records it. */
export interface InfoEdge {
  edge: 'joined' | 'left';
  userId: string;
  at: number;
  messageId: string;
  subtype: string;
}

/** An archived info message, as the membership lookup reads it. */
export interface InfoMessage {
  messageId: string;
  time: number;
  subtype: string | null;
  /** The message as received (raw_json). */
  raw: string;
}

// Cliq documents no info subtypes besides call_notification (docs/cliq-api.md §6): these are the
// names a join or leave is seen under. Anything else is not membership evidence.
const joinedSubtypes = new Set(['member_joined', 'member_added', 'joined', 'added']);
const leftSubtypes = new Set(['member_left', 'member_removed', 'left', 'removed']);

/** The subtypes a lookup asks for (SQL `IN`), joined ones first. */
export const membershipSubtypes: readonly string[] = [...joinedSubtypes, ...leftSubtypes];

/**
 * The joins and leaves one info message records: its subject is `data.user` (or each of
 * `data.users`), by id. Ids are taken only as strings (or exact integers): content from Cliq is
 * hostile, and a message naming nobody is no evidence.
 */
export function infoEdges(message: InfoMessage): InfoEdge[] {
  const edge = message.subtype === null ? undefined : joinedSubtypes.has(message.subtype) ? 'joined' : leftSubtypes.has(message.subtype) ? 'left' : undefined;
  if (edge === undefined || message.subtype === null) return [];
  let raw: unknown;
  try {
    // Lossless: an id sent as a bare 19-digit number keeps its digits.
    raw = parseJsonLossless(message.raw);
  } catch {
    // A stored payload that is not JSON names nobody; the interval keeps its noticed time.
    return [];
  }
  const record = field(field(raw, 'content'), 'data');
  if (record === undefined) return [];
  const subjects = [record.user, ...(Array.isArray(record.users) ? (record.users as unknown[]) : [])];
  const ids = new Set<string>();
  for (const subject of subjects) {
    const id = subject !== null && typeof subject === 'object' ? (subject as Record<string, unknown>).id : undefined;
    if (typeof id === 'string' && id !== '') ids.add(id);
    else if (typeof id === 'number' && Number.isSafeInteger(id)) ids.add(String(id));
  }
  const subtype = message.subtype;
  return [...ids].map((userId) => ({ edge, userId, at: message.time, messageId: message.messageId, subtype }));
}

function field(value: unknown, key: string): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const inner = (value as Record<string, unknown>)[key];
  return inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
}

/** The latest join and the latest leave per user, from info messages in any order. */
export function latestEdges(messages: Iterable<InfoMessage>): Map<string, { joined?: InfoEdge; left?: InfoEdge }> {
  const latest = new Map<string, { joined?: InfoEdge; left?: InfoEdge }>();
  for (const message of messages) {
    for (const found of infoEdges(message)) {
      const entry = latest.get(found.userId) ?? {};
      const current = entry[found.edge];
      if (current === undefined || found.at > current.at || (found.at === current.at && found.messageId > current.messageId)) entry[found.edge] = found;
      latest.set(found.userId, entry);
    }
  }
  return latest;
}

/** A membership interval as late matching reads it (memberships, with whether each edge is bounded). */
export interface IntervalForMatch {
  id: number;
  firstSeenAt: number;
  firstSeenRun: number | null;
  lastSeenAt: number;
  goneAt: number | null;
  goneRun: number | null;
  joinBounded: boolean;
  leftBounded: boolean;
}

/** A boundary late matching found: the interval, the edge, and when and by which run it was noticed. */
export interface LateBoundary {
  intervalId: number;
  found: InfoEdge;
  noticedAt: number;
  noticedRun: number | null;
}

/**
 * Info messages archived after the listing that noticed their change (their conversation's messages
 * failed that run, or Cliq exported them late): the earlier intervals of one member they fit.
 * `intervals` are the member's, oldest first; `edges` the member's joins and leaves from the newly
 * archived info messages; `firstListing` the conversation's first listing (its members joined at an
 * unknown time: no join there is matched). A join fits the first interval noticed at or after it,
 * if it comes after that interval's floor (the member's previous leave was noticed, or the first
 * listing) and the member did not leave again before the join was noticed; a leave fits the
 * interval whose last listing showing the member came before it and whose end was noticed at or
 * after it, if the member did not join again in between. Intervals already bounded, and those this
 * run noticed (their boundaries were looked for then), are left alone.
 */
export function matchLateEdges(intervals: readonly IntervalForMatch[], edges: readonly InfoEdge[], firstListing: number, runId: number): LateBoundary[] {
  const joins = edges.filter((e) => e.edge === 'joined');
  const leaves = edges.filter((e) => e.edge === 'left');
  const latest = (candidates: InfoEdge[]) =>
    candidates.reduce<InfoEdge | undefined>((best, e) => (best === undefined || e.at > best.at || (e.at === best.at && e.messageId > best.messageId) ? e : best), undefined);
  const out: LateBoundary[] = [];
  intervals.forEach((interval, index) => {
    const previous = intervals[index - 1];
    if (!interval.joinBounded && interval.firstSeenAt > firstListing && interval.firstSeenRun !== runId) {
      const floor = Math.max(firstListing, previous?.goneAt ?? Number.MIN_SAFE_INTEGER);
      const noticed = interval.firstSeenAt;
      const join = latest(joins.filter((e) => e.at > floor && e.at <= noticed));
      if (join !== undefined && !leaves.some((l) => l.at > join.at && l.at <= noticed)) out.push({ intervalId: interval.id, found: join, noticedAt: noticed, noticedRun: interval.firstSeenRun });
    }
    if (!interval.leftBounded && interval.goneAt !== null && interval.goneRun !== runId) {
      const noticed = interval.goneAt;
      const leave = latest(leaves.filter((e) => e.at > interval.lastSeenAt && e.at <= noticed));
      if (leave !== undefined && !joins.some((j) => j.at > leave.at && j.at <= noticed)) out.push({ intervalId: interval.id, found: leave, noticedAt: noticed, noticedRun: interval.goneRun });
    }
  });
  return out;
}
