import { z } from 'zod';
import type { MentionNames } from './markup';

/** Whether `value` starts with a real calendar date: 2026-02-30 and 2026-13-01 match the pattern but are not. */
function isCalendarDate(value: string): boolean {
  const day = value.slice(0, 10);
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

/** ISO calendar date (2026-03-31) or an ISO date-time with an offset (2026-03-31T17:00:00+02:00), a real one. */
export const dateOrInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/, 'must be a date (2026-03-31) or a date-time with an offset')
  .refine(isCalendarDate, 'is not a date on the calendar');

const groupRefs = z.array(z.string().min(1).max(500)).max(1_000).optional();

/**
 * Scoping by the org directory, shared by searches and audit scopes: departments, designations,
 * teams and roles, each a list of group ids or exact names. A message matches when its sender was
 * assigned to any of the groups (OR within and across kinds) at the message's time: from the sync
 * that noticed the assignment (or, for one found at the group's first listing, since always)
 * until the sync that noticed its end. AND with every other filter.
 */
export const groupScopeShape = { departments: groupRefs, designations: groupRefs, teams: groupRefs, roles: groupRefs };

export const conversationKinds = ['direct', 'group', 'bot', 'channel', 'thread'] as const;
export type ConversationKind = (typeof conversationKinds)[number];

/**
 * A search over the archive. Every filter is optional; with no text it lists the messages the
 * filters select (newest first). Dates are calendar days in `timeZone` (both ends inclusive) unless
 * they carry their own offset.
 */
export const searchQuerySchema = z.strictObject({
  text: z.string().max(1_000).optional(),
  /** simple: every word must appear, any character is safe. advanced: FTS5 syntax (AND/OR/NOT, "phrases", prefix*). */
  mode: z.enum(['simple', 'advanced']).default('simple'),
  /** Conversation ids; a channel brings its threads (unless `kinds` leaves threads out), as in an audit scope. */
  chats: z.array(z.string().min(1)).max(1_000).optional(),
  kinds: z.array(z.enum(conversationKinds)).optional(),
  /** User ids or e-mail addresses of senders. */
  senders: z.array(z.string().min(1)).max(1_000).optional(),
  /** User ids or e-mail addresses: only conversations they were ever members of (and those channels' threads). */
  participants: z.array(z.string().min(1)).max(1_000).optional(),
  ...groupScopeShape,
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  timeZone: z.string().default('UTC'),
  types: z.array(z.string().min(1)).optional(),
  hasFile: z.boolean().optional(),
  deleted: z.enum(['include', 'exclude', 'only']).default('include'),
  /** Also search the earlier versions of edited messages. */
  includeVersions: z.boolean().default(false),
  /** true: only messages with earlier versions (edited); false: only messages never edited. */
  edited: z.boolean().optional(),
  order: z.enum(['newest', 'oldest']).default('newest'),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;
export type SearchQueryInput = z.input<typeof searchQuerySchema>;

/** A piece of a snippet: `hit` pieces are the matched words. Rendered as text, never as HTML. */
export interface SnippetSegment {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  /** The archive's key of the message (time-ordered). */
  key: number;
  chatId: string;
  chatTitle: string | null;
  chatKind: ConversationKind;
  messageId: string;
  senderId: string | null;
  senderName: string | null;
  /** Epoch milliseconds, UTC. */
  time: number;
  type: string;
  fileName: string | null;
  snippet: SnippetSegment[];
  deleted: boolean;
  /** The message has earlier versions. */
  edited: boolean;
  /** Set when the hit is an earlier version of the message, not its current text. */
  version?: number;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
  /** Names of what the hits' snippets mention (shared/markup), to render them; absent: none resolved. */
  names?: MentionNames;
}
