import { z } from 'zod';
import { conversationKinds, type ConversationKind } from './search';

/**
 * A retention policy (issue 14, part 2): messages older than `keepDays` days, in the conversations it
 * scopes, may be purged. Empty lists mean "every": no kind, conversation or department named is
 * the whole archive. Without a policy an archive keeps everything forever. Several criteria
 * intersect (a kind AND a conversation AND a department).
 */
export const retentionPolicySchema = z.strictObject({
  keepDays: z.number().int().min(1, 'must be at least 1 day').max(36_500, 'must be at most 100 years'),
  kinds: z.array(z.enum(conversationKinds)).max(conversationKinds.length).default([]),
  /** Conversation ids (the CLI also takes exact titles). */
  conversations: z.array(z.string().trim().min(1).max(300)).max(1_000).default([]),
  /** Department ids (the org directory): messages whose sender is or was in one of them. */
  departments: z.array(z.string().trim().min(1).max(100)).max(1_000).default([]),
});
export type RetentionPolicyInput = z.input<typeof retentionPolicySchema>;
export type RetentionPolicy = z.output<typeof retentionPolicySchema>;

/** What a policy would do (dry run) or did (apply) to one conversation. */
export interface RetentionConversation {
  chatId: string;
  title: string | null;
  kind: ConversationKind;
  /** Messages due by the policy and not held: purged (apply) or to be purged (dry run). */
  purge: number;
  /** Messages due by the policy but in an active hold's scope: kept. */
  keptHeld: number;
  /** Earlier versions and attachment records that go with the purged messages. */
  versions: number;
  attachments: number;
  oldest: number | null;
  newest: number | null;
}

export interface RetentionPreview {
  policy: RetentionPolicy;
  /** Messages older than this (epoch ms) are due. */
  cutoff: number;
  /** Active holds evaluated. */
  holds: number;
  purge: number;
  keptHeld: number;
  versions: number;
  attachments: number;
  /** Only conversations with something due, most due first. */
  conversations: RetentionConversation[];
}

export interface RetentionResult extends RetentionPreview {
  /** The sealed retention run; null when nothing was due (nothing is written then). */
  runId: number | null;
  /** File store objects removed because no stored attachment names them any more. */
  filesRemoved: number;
}

/** One sealed record of a purged message (`export --what purges`). */
export interface PurgeRecord {
  runId: number;
  chatId: string;
  messageId: string;
  time: number;
  senderId: string | null;
  contentHash: string;
  rowHashWas: string | null;
  versions: number;
  attachments: number;
  purgedAt: number;
}

/** One retention run as the Retention screen lists it. */
export interface RetentionRunRow {
  runId: number;
  startedAt: number;
  endedAt: number | null;
  /** complete, running (now, or stopped by a crash until the next purge), or interrupted. */
  status: 'running' | 'complete' | 'interrupted';
  policy: RetentionPolicy;
  cutoff: number;
  /** Who: OS user@host, and the app profile when run from the app. */
  by: string;
  purged: number;
  keptHeld: number;
  filesRemoved: number;
}
