/**
 * The error vocabulary of Cliq Vault. Core code throws {@link VaultError} with one of these stable
 * codes; each boundary (CLI exit code, IPC/HTTP result) turns the code into what its user sees, in
 * one place. Codes are part of the contract: never rename one, only add.
 */
export const errorCodes = [
  // Usage and configuration
  'USAGE',
  'CONFIG_INVALID',
  // Authorisation
  'AUTH_MISSING_CREDENTIALS',
  'AUTH_INVALID_GRANT',
  'AUTH_REFRESH_THROTTLED',
  'AUTH_REJECTED',
  'AUTH_FAILED',
  'NOT_ORG_ADMIN',
  'FORBIDDEN',
  // Transport and server
  'NOT_FOUND',
  'BAD_REQUEST',
  'RATE_LIMITED',
  'SERVER_ERROR',
  'NETWORK',
  'TIMEOUT',
  'MALFORMED_RESPONSE',
  'UNSAFE_NUMBER',
  // Archive
  'ARCHIVE_TOO_NEW',
  'ARCHIVE_CORRUPT',
  'ARCHIVE_LOCKED',
  'ARCHIVE_NOT_FOUND',
  // The file is there but is no archive at all (a text file, another program's database): a wrong path
  'NOT_AN_ARCHIVE',
  // The archive is encrypted and no key was given / the key given does not open it
  'ARCHIVE_KEY_REQUIRED',
  'ARCHIVE_KEY_WRONG',
  // The archive keys kept in the OS secret store (desktop) cannot be read
  'KEYRING_DAMAGED',
  'ARCHIVE_ORG_MISMATCH',
  'MIGRATION_FAILED',
  // Files, backups, bundles
  'IO_ERROR',
  'BACKUP_FAILED',
  'RESTORE_REFUSED',
  'BUNDLE_INVALID',
  // A file's body ended before (or ran past) the size announced for it: a cut download
  'DOWNLOAD_INCOMPLETE',
  // A file larger than the limit set for keeping one
  'FILE_TOO_LARGE',
  // Search and integrity
  'BAD_QUERY',
  'TAMPERED',
  // Jobs
  'CANCELLED',
  // The app service's worker (a utility process or worker thread) stopped while answering
  'SERVICE_STOPPED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/**
 * An error in the app's words, for its screens: no CLI flags, no commands to type. Given when the
 * message or hint speaks to the CLI (`Check the --archive path`); screens show it instead of those.
 */
export interface ScreenWords {
  message: string;
  hint?: string;
}

/** The serialisable form of an error that crosses a process or transport boundary. */
export interface ErrorShape {
  code: ErrorCode;
  message: string;
  /** What the user can do about it, when there is something to do. */
  hint?: string;
  /** The same in the app's words, when `message` or `hint` names CLI flags or commands. */
  ui?: ScreenWords;
}

/**
 * What a screen shows of an error: its words for screens when it has them, else its message and
 * hint. The code is not part of it (screens keep it in a details part).
 */
export function screenWords(shape: ErrorShape): ScreenWords {
  const words = shape.ui ?? shape;
  return words.hint === undefined ? { message: words.message } : { message: words.message, hint: words.hint };
}

/** A typed error with a stable {@link ErrorCode}. `message` is written for the person reading it. */
export class VaultError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** The app's words for it, when `message` or `hint` are the CLI's (see {@link ScreenWords}). */
  readonly ui: ScreenWords | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; hint?: string; ui?: ScreenWords }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VaultError';
    this.code = code;
    this.hint = options?.hint;
    this.ui = options?.ui;
  }

  toShape(): ErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.ui === undefined ? {} : { ui: this.ui }),
    };
  }

  /** A VaultError again from its serialised form (the worker and host sides of the app service). */
  static fromShape(shape: ErrorShape): VaultError {
    return new VaultError(shape.code, shape.message, {
      ...(shape.hint === undefined ? {} : { hint: shape.hint }),
      ...(shape.ui === undefined ? {} : { ui: shape.ui }),
    });
  }
}

export function isVaultError(value: unknown): value is VaultError {
  return value instanceof VaultError;
}

/** Wraps anything thrown into a VaultError without losing the original as `cause`. */
export function toVaultError(value: unknown): VaultError {
  if (value instanceof VaultError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new VaultError('INTERNAL', message, { cause: value });
}
