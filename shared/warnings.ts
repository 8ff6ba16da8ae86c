/**
 * What a sync run notes without stopping: the warning codes, beside the error codes of errors.ts.
 * A run's notes (`RunError`) carry either a warning code from this table or the {@link ErrorCode}
 * of an error met on one conversation or family. Whether a note makes the run partial is decided
 * here and nowhere else (see runOutcome.ts): a typo in a code is a compile error, not a complete run
 * silently reported partial. Codes are recorded in archives: never rename one, only add.
 */
import type { ErrorCode } from './errors';

interface WarningDefinition {
  /**
   * true: another run may do better (the run is partial, exit 5). false: the note describes the
   * org, and another run would find the same (the run stays complete).
   */
  partial: boolean;
  /** true: a gap in a conversation's evidence, repeated in an audit bundle's warnings.txt. */
  evidenceGap: boolean;
  meaning: string;
}

export const warnings = {
  COVERAGE_GAP: {
    partial: false,
    evidenceGap: true,
    meaning: 'More messages share one millisecond than Cliq returns in a page, and it pages by time: the ones beyond the page cannot be fetched.',
  },
  COUNT_MISMATCH: { partial: false, evidenceGap: false, meaning: 'After a complete pass, the archive holds a different number of messages than Cliq reports.' },
  EXPORT_SHORT: { partial: false, evidenceGap: true, meaning: 'A whole-history export returned fewer messages than Cliq reports: messages outside its span may be missing.' },
  UNMAPPED_CHANNEL: { partial: false, evidenceGap: false, meaning: 'A channel has no conversation id from the REST listing, so its messages cannot be exported.' },
  EXPORT_ROW_WITHOUT_ID: { partial: false, evidenceGap: false, meaning: 'A row of a Maintenance export had no id and was skipped.' },
  FILE_SIZE_DIFFERS: {
    partial: false,
    evidenceGap: false,
    meaning:
      "A downloaded file has another size than its message declares. The bytes are kept as Cliq served them (they matched the download's own length); the message's figure may be stale or rounded.",
  },
  FILES_NOT_AUTHORISED: {
    partial: true,
    // Each file left out is listed in a bundle's warnings.txt from its attachments row.
    evidenceGap: false,
    meaning: 'Cliq rejected the access token for file downloads (the authorisation lacks ZohoCliq.Attachments.READ): no file was fetched; they wait for a run after re-authorising.',
  },
  FILES_ALL_FORBIDDEN: {
    partial: false,
    evidenceGap: false,
    meaning:
      'Cliq refused every file download of the run. Either the authorisation lacks ZohoCliq.Attachments.READ, or Cliq lets the admin download only from conversations the admin is part of. Each file is retried on later runs with backoff.',
  },
  CHAT_KINDS_UNAVAILABLE: {
    partial: false,
    evidenceGap: false,
    meaning: 'Cliq refused the chats listing (H1, needs ZohoCliq.Chats.READ): the kind of chats not read before is guessed from the participant count (two = direct) and marked guessed.',
  },
  CHAT_KINDS_INCOMPLETE: {
    partial: false,
    evidenceGap: false,
    meaning: 'The chats listing (H1) pages by time and more chats shared one second than a page holds: the kinds of the older chats are guessed and marked so.',
  },
  DEPARTMENTS_NEED_SEARCH: {
    partial: false,
    evidenceGap: true,
    meaning:
      "Cliq refused to list departments without a search term, as it does for an org on Zoho People: the departments and their members were not archived (nothing archived earlier was ended). Granting the Zoho People scopes does not change this; Cliq's own directory is then in Zoho People.",
  },
  SOURCE_NOT_GRANTED: {
    partial: false,
    // Repeated in every bundle's warnings.txt: a dataset the auditor might expect is absent.
    evidenceGap: true,
    meaning:
      'Cliq refused an optional source (departments, roles, reactions, calls…): the authorisation lacks its scope. The sync completed without that dataset; the note names the dataset and the scope that would add it.',
  },
  REVIEW_LOG_DEFERRED: {
    partial: false,
    evidenceGap: false,
    meaning:
      'Looks at the archive (searches, transcript reads, exports…) could not be written to its review log yet (the archive is locked by a long write, or its file is read-only). They are kept in memory and written at the next try; the look itself was answered.',
  },
  REVIEW_LOG_UNWRITTEN: {
    partial: false,
    evidenceGap: false,
    meaning: 'Looks at the archive could not be written to its review log before the program ended (its file is read-only, or gone): they are not on record. The log line lists each one.',
  },
  INTERRUPTED: {
    partial: true,
    evidenceGap: false,
    meaning: 'The process stopped before the run finished; the next run marked it and resumed from its checkpoints.',
  },
} as const satisfies Record<string, WarningDefinition>;

export type WarningCode = keyof typeof warnings;

export const warningCodes = Object.keys(warnings) as WarningCode[];

/**
 * Error codes that, noted on one conversation, leave the run complete: Cliq refuses that chat's
 * export (FORBIDDEN) or no longer has it (NOT_FOUND), and another run would meet the same. Every
 * other error noted makes the run partial.
 */
const orgFindingErrors: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['FORBIDDEN', 'NOT_FOUND']);

/** The code of a run's note: a warning of this table, or the code of the error met. */
export type RunErrorCode = WarningCode | ErrorCode;

export function isWarningCode(code: string): code is WarningCode {
  return Object.hasOwn(warnings, code);
}

/** Whether a run that noted `code` is partial rather than complete. */
export function makesRunPartial(code: RunErrorCode): boolean {
  return isWarningCode(code) ? warnings[code].partial : !orgFindingErrors.has(code);
}

/**
 * A note as read back from an archive: runs recorded by older versions may carry codes this
 * vocabulary no longer (or never) had, so the code is only a string here.
 */
export interface ArchivedRunError {
  code: string;
  message: string;
  chatId?: string;
  family?: string;
  dataset?: string;
  scope?: string;
}

/**
 * Reads a run's recorded notes (`sync_runs.errors_json`) leniently: any code is kept as recorded,
 * entries that are not note objects are kept as their JSON text, and text that is not a JSON
 * array becomes one note quoting it. Reading an old or damaged run never fails and hides nothing.
 */
export function parseArchivedRunErrors(json: string): ArchivedRunError[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [{ code: 'UNREADABLE', message: `The run's notes are not valid JSON: ${json}` }];
  }
  if (!Array.isArray(parsed)) return [{ code: 'UNREADABLE', message: `The run's notes are not a list: ${json}` }];
  return parsed.map((entry: unknown): ArchivedRunError => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { code: 'UNREADABLE', message: JSON.stringify(entry) };
    const { code, message, chatId, family, dataset, scope } = entry as Record<string, unknown>;
    const note: ArchivedRunError = { code: typeof code === 'string' ? code : JSON.stringify(code ?? null), message: typeof message === 'string' ? message : JSON.stringify(message ?? null) };
    if (typeof chatId === 'string') note.chatId = chatId;
    if (typeof family === 'string') note.family = family;
    if (typeof dataset === 'string') note.dataset = dataset;
    if (typeof scope === 'string') note.scope = scope;
    return note;
  });
}
