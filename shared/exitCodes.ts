import type { ErrorCode } from './errors';

/**
 * The CLI's exit codes: part of its interface (scripts and schedulers branch on them, and the
 * scheduled job exits with the sync's). A sync's code comes from classifyRun (runOutcome.ts).
 */
export const exitCodes = {
  ok: 0,
  failed: 1,
  usage: 2,
  locked: 3,
  authorization: 4,
  partial: 5,
  /** The archive is encrypted and its key is missing or wrong (CLIQ_VAULT_KEY, --key-file). */
  key: 6,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The exit code of a command that stopped with this error. */
export function exitCodeForError(code: ErrorCode): ExitCode {
  switch (code) {
    case 'USAGE':
    case 'CONFIG_INVALID':
    case 'BAD_QUERY':
    case 'ARCHIVE_NOT_FOUND':
    case 'NOT_AN_ARCHIVE':
      return exitCodes.usage;
    case 'ARCHIVE_LOCKED':
      return exitCodes.locked;
    case 'ARCHIVE_KEY_REQUIRED':
    case 'ARCHIVE_KEY_WRONG':
      return exitCodes.key;
    case 'AUTH_MISSING_CREDENTIALS':
    case 'AUTH_INVALID_GRANT':
    case 'AUTH_REJECTED':
    case 'NOT_ORG_ADMIN':
      return exitCodes.authorization;
    case 'RATE_LIMITED':
    case 'CANCELLED':
      return exitCodes.partial;
    case 'AUTH_REFRESH_THROTTLED':
    case 'AUTH_FAILED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'BAD_REQUEST':
    case 'SERVER_ERROR':
    case 'NETWORK':
    case 'TIMEOUT':
    case 'MALFORMED_RESPONSE':
    case 'UNSAFE_NUMBER':
    case 'ARCHIVE_TOO_NEW':
    case 'ARCHIVE_CORRUPT':
    case 'ARCHIVE_ORG_MISMATCH':
    case 'MIGRATION_FAILED':
    case 'IO_ERROR':
    case 'BACKUP_FAILED':
    case 'RESTORE_REFUSED':
    case 'BUNDLE_INVALID':
    case 'DOWNLOAD_INCOMPLETE':
    case 'FILE_TOO_LARGE':
    case 'TAMPERED':
    case 'SERVICE_STOPPED':
    case 'KEYRING_DAMAGED':
    case 'INTERNAL':
      return exitCodes.failed;
  }
}
