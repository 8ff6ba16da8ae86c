import { toVaultError, type ErrorCode } from '../../../shared/errors';
import type { ReviewOutcome } from '../../../shared/review';
import { archiveFailure } from '../archive/connection';

/** Codes that say the request itself was wrong (bad words, a query that does not parse, no such thing): nothing was read. */
const refusals = new Set<ErrorCode>(['USAGE', 'BAD_QUERY', 'NOT_FOUND']);

/**
 * Codes that say the archive itself cannot be read or written as it is: damaged, another program's
 * file, written by a newer version, a migration that failed, or not there. Nothing was read, and
 * nothing may be written into such a file (a write around damage can make it worse): no entry.
 */
const unusableArchive = new Set<ErrorCode>(['ARCHIVE_CORRUPT', 'NOT_AN_ARCHIVE', 'ARCHIVE_TOO_NEW', 'MIGRATION_FAILED', 'ARCHIVE_NOT_FOUND', 'ARCHIVE_KEY_REQUIRED', 'ARCHIVE_KEY_WRONG']);

/**
 * How a look that threw ended, for its review log entry: refused when the request was bad
 * (nothing was read), cancelled, or failed — with the error's code and message as the detail.
 * null when the archive itself is unusable: such a look is not recorded in it (the error the
 * user sees says what happened; the shell's log keeps it).
 */
export function failedLook(error: unknown): { outcome: ReviewOutcome; detail: string } | null {
  const e = archiveFailure(error) ?? toVaultError(error);
  if (unusableArchive.has(e.code)) return null;
  const outcome: ReviewOutcome = refusals.has(e.code) ? 'refused' : e.code === 'CANCELLED' ? 'cancelled' : 'failed';
  return { outcome, detail: `${e.code}: ${e.message}` };
}
