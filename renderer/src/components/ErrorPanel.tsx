import type { ErrorCode } from '../../../shared/errors';
import { toErrorShape } from '../api/ApiError';

/**
 * An operation's failure: what went wrong, what to do about it, and a way to try again. The words
 * are the screens' (no CLI flags); the app's error code is kept for support, inside Details.
 */
export function ErrorPanel({ error, onRetry, title = 'Something went wrong' }: { error: unknown; onRetry?: () => void; title?: string }) {
  const shape = toErrorShape(error);
  return (
    <div className="panel panel-error" role="alert">
      <p className="panel-title">{title}</p>
      <p>{shape.message}</p>
      {shape.hint !== undefined && <p className="hint">{shape.hint}</p>}
      <ErrorDetails code={shape.code} />
      {onRetry !== undefined && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** The error code, folded away: support and the logs speak in codes, a reader need not. */
export function ErrorDetails({ code }: { code: ErrorCode }) {
  return (
    <details className="error-details">
      <summary>Details</summary>
      <p>
        Error code <span className="code">{code}</span>
      </p>
    </details>
  );
}
