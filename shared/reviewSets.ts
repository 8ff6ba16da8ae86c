import { z } from 'zod';
import { auditScopeSchema } from './audit';
import { tagSchema } from './reviewTags';

/**
 * Review sets (issue 15, part 1): what a legal reviewer freezes after a search and codes.
 *
 * A set is a frozen list of messages, taken once from a filter set (the same filters as a search
 * or an audit scope) or from what a legal hold holds, with a name and an owner. Later syncs never
 * add to it; a message purged under a retention policy since stays listed (its ids and hashes) and
 * says so. Reviewers apply tags and notes to a message or to a whole conversation; every coding
 * action is one sealed, append-only record (who, when, what), and the current coding is what the
 * records add up to.
 */

/** The tags every set offers, in their keyboard order (keys 1–4 on the Review screen). */
export const builtInTags = ['responsive', 'not-responsive', 'privileged', 'needs-redaction'] as const;
export type BuiltInTag = (typeof builtInTags)[number];

/** A tag: a built-in one or a custom one (lower-case words, digits and dashes, one line). */
export { tagSchema };

const setName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200)
  .regex(/^[^\p{Cc}\u2028\u2029]*$/u, 'must be one line of text');

/** Where a set's messages come from: a filter set (as an audit scope reads it) or a hold's scope now. */
export const reviewSetSourceSchema = z.union([
  z.strictObject({
    scope: auditScopeSchema.pick({
      conversations: true,
      kinds: true,
      participants: true,
      senders: true,
      departments: true,
      designations: true,
      teams: true,
      roles: true,
      from: true,
      to: true,
      timeZone: true,
      query: true,
      queryMode: true,
      types: true,
      hasFile: true,
      edited: true,
      deleted: true,
      includeVersions: true,
    }),
  }),
  z.strictObject({ hold: z.string().trim().min(1).max(200) }),
]);
export type ReviewSetSource = z.input<typeof reviewSetSourceSchema>;

export const reviewSetCreateSchema = z.strictObject({
  name: setName,
  description: z.string().trim().max(2_000).optional(),
  source: reviewSetSourceSchema,
});
export type ReviewSetCreate = z.input<typeof reviewSetCreateSchema>;

/** Which items of a set to list: by tag, untagged, reviewed or not, one conversation. */
export const reviewItemFilterSchema = z.strictObject({
  /** Items carrying every one of these tags (on the message or its conversation). */
  withTags: z.array(tagSchema).max(20).default([]),
  /** Items carrying none of these tags. */
  withoutTags: z.array(tagSchema).max(20).default([]),
  reviewed: z.enum(['any', 'yes', 'no']).default('any'),
  chatId: z.string().min(1).max(100).optional(),
});
export type ReviewItemFilter = z.input<typeof reviewItemFilterSchema>;

export const reviewItemsQuerySchema = z.strictObject({
  setId: z.number().int().min(1),
  filter: reviewItemFilterSchema.prefault({}),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1_000).default(100),
});

/** One coding action. A conversation-level action leaves `messageId` out. */
export const reviewCodeSchema = z.discriminatedUnion('action', [
  z.strictObject({ setId: z.number().int().min(1), chatId: z.string().min(1).max(100), messageId: z.string().min(1).max(300).optional(), action: z.literal('tag'), tag: tagSchema }),
  z.strictObject({ setId: z.number().int().min(1), chatId: z.string().min(1).max(100), messageId: z.string().min(1).max(300).optional(), action: z.literal('untag'), tag: tagSchema }),
  z.strictObject({
    setId: z.number().int().min(1),
    chatId: z.string().min(1).max(100),
    messageId: z.string().min(1).max(300).optional(),
    action: z.literal('note'),
    note: z.string().trim().max(4_000),
  }),
  z.strictObject({ setId: z.number().int().min(1), chatId: z.string().min(1).max(100), messageId: z.string().min(1).max(300), action: z.literal('reviewed'), reviewed: z.boolean() }),
]);
export type ReviewCode = z.input<typeof reviewCodeSchema>;

/** Who did something to a set, as recorded: the app's org profile (null from the CLI), the OS user and host. */
export interface ReviewActor {
  profile: string | null;
  osUser: string;
  host: string;
}

export interface ReviewSetSummary {
  id: number;
  name: string;
  description: string | null;
  createdAt: number;
  owner: ReviewActor;
  /** The source in words ("search: invoice, 2026-03-01 to 2026-03-31 (UTC)" / "hold: Smith v. Acme"). */
  sourceText: string;
  items: number;
  /** Items with a tag or marked reviewed. */
  reviewed: number;
  /** Items per tag (message tags and the tags of their conversations). */
  tagCounts: Record<string, number>;
  /** Custom tags used in the set, in the order first used (keys 5–9 on the Review screen). */
  customTags: string[];
  /** Items whose message was purged under a retention policy since the set was made. */
  purged: number;
  rowHash: string | null;
}

export interface ReviewItem {
  /** Position in the set (1-based, by conversation then time). */
  position: number;
  chatId: string;
  messageId: string;
  /** messages.id, to open the message in context; null when it was purged. */
  key: number | null;
  conversationTitle: string | null;
  time: number;
  senderId: string | null;
  senderName: string | null;
  /** The current text (null when purged or deleted without a text). */
  text: string | null;
  deleted: boolean;
  purged: boolean;
  /** Tags on the message, and those it inherits from its conversation. */
  tags: string[];
  conversationTags: string[];
  note: string | null;
  conversationNote: string | null;
  reviewed: boolean;
}

export interface ReviewItemsPage {
  set: ReviewSetSummary;
  items: ReviewItem[];
  /** Items matching the filter. */
  total: number;
  offset: number;
}

/** One coding record, as sealed. */
export interface ReviewCodingRecord {
  id: number;
  setId: number;
  chatId: string;
  messageId: string | null;
  action: 'tag' | 'untag' | 'note' | 'reviewed';
  tag: string | null;
  note: string | null;
  reviewed: boolean | null;
  at: number;
  by: ReviewActor;
  rowHash: string | null;
}
