import type { Result } from '../../../shared/contract';
import { screenWords, type ErrorCode, type ErrorShape } from '../../../shared/errors';

/**
 * An operation's failure as screens show it: the app's code, and the message and (when there is
 * one) hint in the screens' words (`ui`, when the core's words are the CLI's: see screenWords).
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(shape: ErrorShape) {
    const words = screenWords(shape);
    super(words.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.hint = words.hint;
  }
}

/**
 * The HTTP bridge answered 401: this page was opened without the access token that `cliq-vault
 * serve` puts in the link it prints (the server turns it into an HttpOnly cookie). Nothing the page
 * can do fixes that, so the app shows one full-page explanation instead of per-screen errors.
 */
export class SessionMissingError extends ApiError {
  constructor() {
    super({
      code: 'AUTH_MISSING_CREDENTIALS',
      message: 'This page has no access to Cliq Vault.',
      hint: 'Open the link `cliq-vault serve` printed (it carries the access token).',
    });
    this.name = 'SessionMissingError';
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

/**
 * Anything thrown, or an ErrorShape as a job's done event carries it, as an ErrorShape a panel can
 * show, in the screens' words (a bug's TypeError included, without a stack).
 */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof ApiError) return error.hint === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, hint: error.hint };
  if (isErrorShape(error)) return { code: error.code, ...screenWords(error) };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

function isErrorShape(value: unknown): value is ErrorShape {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const { code, message, hint } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string' && (hint === undefined || typeof hint === 'string');
}
