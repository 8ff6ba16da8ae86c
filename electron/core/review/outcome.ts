import { toVaultError } from '../../../shared/errors';
import type { ReviewOutcome } from '../../../shared/review';

/**
 * How a look that threw ended, for its review log entry: refused when the request was bad
 * (nothing was read), cancelled, or failed — with the error's code and message as the detail.
 */
export function failedLook(error: unknown): { outcome: ReviewOutcome; detail: string } {
  const e = toVaultError(error);
  const outcome: ReviewOutcome = e.code === 'USAGE' ? 'refused' : e.code === 'CANCELLED' ? 'cancelled' : 'failed';
  return { outcome, detail: `${e.code}: ${e.message}` };
}
