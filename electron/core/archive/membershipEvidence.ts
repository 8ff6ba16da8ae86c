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
