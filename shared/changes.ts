import { z } from 'zod';
import { dateOrInstant } from './search';

/**
 * "What changed since last week?": a change report over a range of sync runs. Every archived row
 * knows the run that first saw it, changed it or noticed it gone, so a report is a read of those
 * markers — never a comparison of two copies (except between two snapshots, which are read the
 * same way: the runs the later one has and the earlier one has not).
 */

/** The kinds of change a report counts and lists, in the order it shows them. */
export const changeKinds = [
  'message_new',
  'message_edited',
  'message_deleted',
  'member_joined',
  'member_left',
  'conversation_changed',
  'conversation_gone',
  'user_changed',
  'user_gone',
  'group_joined',
  'group_left',
  'attachment_unavailable',
] as const;
export type ChangeKind = (typeof changeKinds)[number];

/** How each kind reads, as a heading. */
export const changeKindLabels: Record<ChangeKind, string> = {
  message_new: 'New messages',
  message_edited: 'Edited messages',
  message_deleted: 'Deleted messages',
  member_joined: 'Joined a conversation',
  member_left: 'Left a conversation',
  conversation_changed: 'Conversations renamed or changed',
  conversation_gone: 'Conversations gone from Cliq',
  user_changed: 'People changed (name, e-mail, status)',
  user_gone: 'People gone from Cliq',
  group_joined: 'Joined a department, designation, role or team',
  group_left: 'Left a department, designation, role or team',
  attachment_unavailable: 'Attachments now unavailable',
};

/** One change. Text fields are Cliq's data: shown as text, never as markup. */
export interface ChangeItem {
  kind: ChangeKind;
  /** The run that saw it. */
  runId: number;
  chatId: string | null;
  chatTitle: string | null;
  messageId: string | null;
  /** The archive's key of that message (a link to it in its transcript); null when it is not archived. */
  messageKey: number | null;
  /** When it happened as far as the archive knows (the message's time, the info message's, or when a sync noticed it). */
  at: number | null;
  /** Who: the sender, the member, the person. */
  who: string | null;
  /** What, in words (a message's first words, a title before and after, a group's name). */
  detail: string;
}

export interface ChangeRange {
  /** Runs after this one (exclusive)… */
  afterRun: number;
  /** …up to and including this one. */
  throughRun: number;
  /** The runs in the range, oldest first. */
  runs: { runId: number; startedAt: number; status: string }[];
  /** How the range was asked for, in words. */
  label: string;
}

export interface ChangeReport {
  range: ChangeRange;
  counts: Record<ChangeKind, number>;
  /** At most `limit` items per kind, newest first. */
  items: ChangeItem[];
  /** Kinds with more changes than items listed. */
  truncated: ChangeKind[];
}

/** The app's request: since a run, since a date (in `timeZone`), or between two snapshots (the earlier first). */
export const changeQuerySchema = z
  .strictObject({
    sinceRun: z.number().int().min(0).optional(),
    since: dateOrInstant.optional(),
    betweenSnapshots: z.tuple([z.string().min(1).max(4_096), z.string().min(1).max(4_096)]).optional(),
    timeZone: z.string().min(1).max(100).default('UTC'),
    limit: z.number().int().min(1).max(5_000).default(200),
  })
  .refine((q) => [q.sinceRun, q.since, q.betweenSnapshots].filter((given) => given !== undefined).length === 1, {
    message: 'give one of sinceRun, since or betweenSnapshots',
  });
export type ChangeQuery = z.output<typeof changeQuerySchema>;
export type ChangeQueryInput = z.input<typeof changeQuerySchema>;
