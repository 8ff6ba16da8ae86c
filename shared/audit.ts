import { z } from 'zod';
import { conversationKinds, dateOrInstant, groupScopeShape } from './search';
import { tagSchema } from './reviewTags';

/**
 * csv and jsonl write the data datasets (data/); rsmf writes rsmf/: one RSMF 2.0 production file
 * per conversation (its attachments inside it, so an rsmf-only bundle copies no files/).
 */
export const auditFormats = ['csv', 'jsonl', 'rsmf'] as const;
export type AuditFormat = (typeof auditFormats)[number];
/** The formats that write the data datasets. */
export type DataFormat = Exclude<AuditFormat, 'rsmf'>;

/**
 * What an audit bundle covers, and how it is written.
 *
 * Conversations: named (`conversations`, `kinds`, `participants`: every conversation matching all
 * three, with the threads of a channel in scope) or, without those, the conversations holding the
 * messages the message filters select, or, with no filter at all, every conversation.
 * Messages: those of the conversations in scope that match `senders`, the directory groups
 * (`departments`, `designations`, `teams`, `roles`: sent while the sender belonged), the dates,
 * `types`, `hasFile`, `edited`, the `query` and `deleted` — the same rule as a search with the same
 * filters (shared/reviewFilters.ts maps one filter set to both), so a bundle holds exactly what the
 * search found.
 */
export const auditScopeSchema = z.strictObject({
  conversations: z.array(z.string().min(1)).optional(),
  kinds: z.array(z.enum(conversationKinds)).optional(),
  participants: z.array(z.string().min(1)).optional(),
  senders: z.array(z.string().min(1)).optional(),
  /** Messages sent while the sender was in any of these groups (see groupScopeShape). */
  ...groupScopeShape,
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  timeZone: z.string().default('UTC'),
  query: z.string().max(1_000).optional(),
  queryMode: z.enum(['simple', 'advanced']).default('simple'),
  types: z.array(z.string().min(1)).optional(),
  /** true: only messages with a file; false: only messages without one. */
  hasFile: z.boolean().optional(),
  /** true: only messages with earlier versions (edited); false: only messages never edited. */
  edited: z.boolean().optional(),
  deleted: z.enum(['include', 'exclude', 'only']).default('include'),
  /** Count a message as matching the query when an earlier version of it matches. */
  includeVersions: z.boolean().default(false),
  formats: z.array(z.enum(auditFormats)).min(1).default(['csv', 'jsonl']),
  /** excel: all-digit ids in CSV written as ="…" so spreadsheets keep every digit; plain: as they are. */
  ids: z.enum(['excel', 'plain']).default('excel'),
  /** Recompute every seal of the archive before exporting, and record the result in the manifest. */
  verifyArchive: z.boolean().default(false),
  /**
   * Copy the bytes of every stored attachment in scope under files/ (false: `--no-files`; the
   * attachments dataset is written either way, with bundle_path empty).
   */
  files: z.boolean().default(true),
  /**
   * Write transcripts/: one readable, offline HTML file per conversation in scope and an index
   * (false: `--no-transcripts`; the data files are the same either way).
   */
  transcripts: z.boolean().default(true),
  /**
   * The archive as it stood at this instant (a calendar day means its end in `timeZone`): only the
   * messages sent by then and not noticed deleted by then, and the as-of datasets (titles, members
   * and texts then). Bounded by what the archive saw: a change counts from the sync that noticed it.
   */
  asOf: dateOrInstant.optional(),
  /**
   * A production from a review set (issue 15): the scope's messages are exactly the set's items
   * carrying every tag of `withTags` and none of `withoutTags` (a message carries its
   * conversation's tags too) that are still in the archive; the bundle adds the review-coding
   * dataset. No other selecting filter may be given with it.
   */
  reviewSet: z
    .strictObject({
      id: z.number().int().min(1),
      withTags: z.array(tagSchema).max(20).default([]),
      withoutTags: z.array(tagSchema).max(20).default([]),
    })
    .optional(),
});
export type AuditScope = z.infer<typeof auditScopeSchema>;
export type AuditScopeInput = z.input<typeof auditScopeSchema>;

/**
 * Why a bundle is produced, for its chain of custody (custody.txt, README.txt, manifest.json):
 * the matter's name and the reason, each one line. Not part of the scope: they select nothing.
 */
export const auditCustodySchema = z.strictObject({
  matter: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}\u2028\u2029]*$/u, 'must be one line of text')
    .optional(),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(1_000)
    .regex(/^[^\p{Cc}\u2028\u2029]*$/u, 'must be one line of text')
    .optional(),
});
export type AuditCustody = z.infer<typeof auditCustodySchema>;

export interface AuditFile {
  path: string;
  dataset: string;
  format: AuditFormat;
  rows: number;
  bytes: number;
  sha256: string;
  part?: { index: number; of: number };
}

/** The attachments of an audit bundle: how many are in scope, and how many distinct files it carries. */
export interface AuditAttachments {
  /** Whether the bytes were asked for (false: `--no-files`). */
  included: boolean;
  /** Attachment records in scope (rows of the attachments dataset). */
  inScope: number;
  /** Distinct files copied under files/ (identical bytes are copied once), and their bytes. */
  files: number;
  bytes: number;
  /** Attachments in scope whose bytes are not in the bundle (each listed in warnings.txt). */
  notInBundle: number;
}

export interface AuditResult {
  bundlePath: string;
  /** SHA-256 of the bundle's SHA256SUMS file: names the bundle in the archive's audit log. */
  bundleHash: string;
  files: AuditFile[];
  warnings: string[];
  durationMs: number;
  attachments?: AuditAttachments;
  /** The readable transcripts/ (absent when left out): conversations written, and the bytes of all its files. */
  transcripts?: { conversations: number; bytes: number };
  /** The key that signed SHA256SUMS: its fingerprint, and whether it was made for this bundle only. */
  signature: { fingerprint: string; ephemeral: boolean };
}

export interface AuditProgress {
  /** The dataset being written, or `files` while attachment files are copied. */
  dataset: string;
  /** Rows written; for `files`, files copied so far. */
  rows: number;
  /** For `files`: how many files there are to copy. */
  total?: number;
  /** For `files`: bytes copied so far (moves during a large file), of `totalBytes`. */
  bytes?: number;
  totalBytes?: number;
}
