import { toVaultError, type ErrorCode } from '../../../shared/errors';
import type { ReviewOutcome } from '../../../shared/review';

/** Codes that say the request itself was wrong (bad words, a query that does not parse, no such thing): nothing was read. */
const refusals = new Set<ErrorCode>(['USAGE', 'BAD_QUERY', 'NOT_FOUND']);

/**
 * How a look that threw ended, for its review log entry: refused when the request was bad
 * (nothing was read), cancelled, or failed — with the error's code and message as the detail.
 */
export function failedLook(error: unknown): { outcome: ReviewOutcome; detail: string } {
  const e = toVaultError(error);
  const outcome: ReviewOutcome = refusals.has(e.code) ? 'refused' : e.code === 'CANCELLED' ? 'cancelled' : 'failed';
  return { outcome, detail: `${e.code}: ${e.message}` };
}
