import { z } from 'zod';
import { dateOrInstant } from './search';

/**
 * The review log (issue 14, part 4): every look at the archive on record. This is the closed set of what
 * a reviewer can do, as the archive records it (review_log.action, migration 0067). Recorded in
 * archives: never rename one, only add.
 *
 * - search: a search (a search-as-you-type burst is one entry with its refinements counted)
 * - transcript_view: a conversation's messages read (a page, the messages around a hit, an HTML transcript)
 * - export: `export --what …` / `--all`
 * - bundle: an audit bundle (audit_log keeps the bundle's files and hash; this is the look)
 * - review_log_view: the review log itself read (who watched the watchers)
 * - verify: the archive's seals checked
 * - restore: the archive replaced by a snapshot
 * - change_report: what changed over a range of runs (new, edited and deleted messages, who joined…)
 * - hold_add, hold_release, retention_dry_run, retention_apply, key_change: custody actions, recorded
 *   by their own features through the same API (core/review).
 * - review_set_create, review_code: a review set frozen, and each coding action on it (one entry per
 *   action: tag, untag, note, reviewed), beside the set's own sealed coding log (issue 15).
 */
export const reviewActions = [
  'search',
  'transcript_view',
  'export',
  'bundle',
  'review_log_view',
  'verify',
  'restore',
  'change_report',
  'hold_add',
  'hold_release',
  'retention_dry_run',
  'retention_apply',
  'key_change',
  'review_set_create',
  'review_code',
] as const;
export type ReviewAction = (typeof reviewActions)[number];

/** The words a screen and the CLI's table use for each action. */
export const reviewActionWords: Record<ReviewAction, string> = {
  search: 'Search',
  transcript_view: 'Transcript read',
  export: 'Export',
  bundle: 'Audit bundle',
  review_log_view: 'Review log read',
  verify: 'Verify',
  restore: 'Restore',
  change_report: 'Change report',
  hold_add: 'Hold placed',
  hold_release: 'Hold released',
  retention_dry_run: 'Retention preview',
  retention_apply: 'Retention applied',
  key_change: 'Key change',
  review_set_create: 'Review set made',
  review_code: 'Review coding',
};

/** An action's words; an action a later version added (unknown here) shows as recorded. */
export function reviewActionLabel(action: string): string {
  return (reviewActionWords as Record<string, string | undefined>)[action] ?? action;
}

/** Where the look was made from: the desktop app, the browser mode (`serve`), or the command line. */
export const reviewShells = ['desktop', 'serve', 'cli'] as const;
export type ReviewShell = (typeof reviewShells)[number];

/** How the look ended: answered, failed (detail says why), refused (bad input, nothing read) or cancelled. */
export const reviewOutcomes = ['ok', 'failed', 'refused', 'cancelled'] as const;
export type ReviewOutcome = (typeof reviewOutcomes)[number];

/** One entry of the review log as the screens and `audit-log --json` show it. */
export interface ReviewEntry {
  id: number;
  /** When the look was answered (epoch ms); for a folded search, its last refinement. */
  at: number;
  action: ReviewAction;
  shell: ReviewShell;
  profileId: string | null;
  profileName: string | null;
  osUser: string;
  host: string;
  toolVersion: string;
  /** What was looked at: the query and filters, the conversation, the export kind and flags… */
  scope: Record<string, unknown>;
  /** The one conversation looked at, when there is one. */
  chatId: string | null;
  /** Hits, messages shown, records exported; null when the action counts nothing. */
  results: number | null;
  outcome: ReviewOutcome;
  detail: string | null;
  /** Searches typed as one burst folded into this entry (0: none). */
  refinements: number;
  /** When the first of those was typed; null when nothing was folded. */
  firstAt: number | null;
  /** When the batch holding it was written (entries are queued and written together). */
  recordedAt: number;
  rowHash: string | null;
}

/** A page of the review log, newest first; `nextBefore` continues it. */
export interface ReviewPage {
  entries: ReviewEntry[];
  nextBefore: number | null;
}

/** The review log's filters, as the screen and the CLI give them. `from`/`to` are days or instants in `timeZone`. */
export const reviewQuerySchema = z.strictObject({
  actions: z.array(z.enum(reviewActions)).max(reviewActions.length).optional(),
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  timeZone: z.string().min(1).max(100).default('UTC'),
  limit: z.number().int().min(1).max(1000).default(100),
  /** Entries with a smaller id than this (the previous page's nextBefore). */
  before: z.number().int().min(1).optional(),
});
export type ReviewQuery = z.output<typeof reviewQuerySchema>;
export type ReviewQueryInput = z.input<typeof reviewQuerySchema>;

/** Keys that say how a page was asked for, not what was looked at. */
const quiet = new Set(['limit', 'timeZone', 'cursor', 'earlierTexts', 'before', 'after']);
/** Values nobody chose: a search's defaults. */
const defaults: Record<string, unknown> = { mode: 'simple', deleted: 'include', order: 'newest', format: 'text' };

/**
 * A scope in words, for the table of the screen and the CLI: "fraud · 2 conversations · from
 * 2026-01-01" — each known key named, anything else as key=value. Never markup: React and the
 * terminal print it as text.
 */
export function reviewScopeWords(scope: Record<string, unknown>): string {
  const parts: string[] = [];
  const push = (value: unknown, words: (v: never) => string) => {
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) parts.push(words(value as never));
  };
  const list = (label: string) => (v: unknown[]) => (v.length === 1 ? `${label} ${String(v[0])}` : `${v.length} ${label}s`);
  push(scope.what, (v: string) => v);
  push(scope.text, (v: string) => `“${v}”`);
  push(scope.kind, (v: string) => `kind ${v}`);
  push(scope.chats, list('conversation'));
  push(scope.chatId, (v: string) => `conversation ${v}`);
  push(scope.chat, (v: string) => `conversation ${v}`);
  push(scope.title, (v: string) => `“${v}”`);
  push(scope.senders, list('sender'));
  push(scope.participants, list('participant'));
  push(scope.kinds, (v: string[]) => v.join(', '));
  push(scope.from, (v: string) => `from ${v}`);
  push(scope.to, (v: string) => `to ${v}`);
  push(scope.around, (v: number) => `around message ${v}`);
  push(scope.format === 'text' ? undefined : scope.format, (v: string) => `as ${v}`);
  push(scope.out, (v: string) => `to ${v}`);
  push(scope.keepDays, (v: number) => `keep ${v} days`);
  push(scope.conversations, list('conversation'));
  push(scope.name, (v: string) => `“${v}”`);
  push(scope.change, (v: string) => v);
  push(scope.detail, (v: string) => v);
  const known = new Set([
    'what',
    'text',
    'kind',
    'chats',
    'chatId',
    'chat',
    'title',
    'senders',
    'participants',
    'kinds',
    'from',
    'to',
    'around',
    'format',
    'out',
    'detail',
    'keepDays',
    'conversations',
    'name',
    'change',
  ]);
  for (const [key, value] of Object.entries(scope)) {
    if (known.has(key) || value === undefined || value === null || value === false || quiet.has(key) || defaults[key] === value) continue;
    // An empty list is a criterion not given ("every conversation"), not a fact worth a word.
    if (Array.isArray(value) && value.length === 0) continue;
    parts.push(value === true ? key : `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return parts.length === 0 ? 'everything' : parts.join(' · ');
}
