import { z } from 'zod';
import { dateOrInstant } from './search';

/**
 * A legal hold to place (issue 14, part 1): a named matter, a reason, and any of custodians (user ids or
 * e-mail addresses), conversations (ids; the CLI also takes exact titles), a date range (calendar
 * days in `timeZone`, both ends inclusive, or instants with an offset) and a query (the Search
 * screen's syntax). Several criteria intersect; several holds add up. At least one criterion.
 */
export const holdInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200),
  reason: z.string().trim().max(2_000).optional(),
  custodians: z.array(z.string().trim().min(1).max(320)).max(1_000).default([]),
  conversations: z.array(z.string().trim().min(1).max(300)).max(1_000).default([]),
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  timeZone: z.string().default('UTC'),
  query: z.string().trim().max(1_000).optional(),
  queryMode: z.enum(['simple', 'advanced']).default('simple'),
});
export type HoldInput = z.input<typeof holdInputSchema>;
export type HoldSpec = z.output<typeof holdInputSchema>;

export const holdReleaseSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200),
  reason: z.string().trim().min(1, 'is required').max(2_000),
});
export type HoldReleaseInput = z.input<typeof holdReleaseSchema>;

/** Who did something to a hold, as recorded: the app's org profile (null from the CLI), the OS user and host. */
export interface HoldActor {
  profile: string | null;
  osUser: string;
  host: string;
  toolVersion: string;
}

export interface HoldCustodian {
  /** As given: a user id or an e-mail address. */
  given: string;
  /** The user ids it resolved to when the hold was placed. */
  userIds: string[];
  /** The e-mail address it matches memberships by (lower case), when known. */
  email: string | null;
}

/** What a hold's scope holds now (evaluated, never snapshotted: later messages count). */
export interface HoldCounts {
  messages: number;
  conversations: number;
  /** Custodians named by the hold (resolved user ids). */
  custodians: number;
  /** Distinct senders of the messages in scope. */
  senders: number;
}

export interface HoldView {
  id: number;
  name: string;
  reason: string | null;
  placedAt: number;
  placedBy: HoldActor;
  custodians: HoldCustodian[];
  conversations: { chatId: string; title: string | null }[];
  /** Epoch ms, both inclusive; null: open. */
  fromTime: number | null;
  toTime: number | null;
  /** The dates as given, and the zone they were read in. */
  fromText: string | null;
  toText: string | null;
  timeZone: string;
  query: string | null;
  queryMode: 'simple' | 'advanced';
  status: 'active' | 'released';
  release: { at: number; by: HoldActor; reason: string } | null;
  /** The row hash of the hold's sealed record. */
  rowHash: string | null;
}

export interface HoldSummary extends HoldView {
  counts: HoldCounts;
}

/** A hold as an audit bundle's manifest names it: the hold touched the bundle's scope. */
export interface HoldMention {
  name: string;
  placedAt: string;
  placedBy: { profile: string | null; osUser: string; host: string };
  reason: string | null;
  status: 'active' | 'released';
  releasedAt: string | null;
  releaseReason: string | null;
  /** Messages of the bundle's scope the hold's scope holds. */
  messagesInScope: number;
}
