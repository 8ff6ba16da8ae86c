import { toVaultError, type ErrorCode, type VaultError } from '../../../shared/errors';
import { archiveFailure } from '../archive/connection';

/** Errors that stop the whole run: retrying other conversations or sources cannot help. */
export const fatalCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'AUTH_MISSING_CREDENTIALS',
  'AUTH_INVALID_GRANT',
  'AUTH_REFRESH_THROTTLED',
  'AUTH_REJECTED',
  'AUTH_FAILED',
  'NOT_ORG_ADMIN',
  'ARCHIVE_ORG_MISMATCH',
  'ARCHIVE_LOCKED',
  'ARCHIVE_CORRUPT',
  // The archive's disk is full or failing: every further conversation would fail the same way.
  'IO_ERROR',
  'INTERNAL',
]);

/** Failures that say Cliq is not answering, rather than something about one conversation. */
export const transportCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['NETWORK', 'TIMEOUT', 'SERVER_ERROR', 'MALFORMED_RESPONSE']);

/** What went wrong, as a VaultError: SQLite's storage failures get their own codes and hints. */
export function failure(error: unknown): VaultError {
  return archiveFailure(error) ?? toVaultError(error);
}
