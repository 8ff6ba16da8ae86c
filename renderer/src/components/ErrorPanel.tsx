import { toErrorShape } from '../api/ApiError';

/** An operation's failure: what went wrong, what to do about it, and a way to try again. */
export function ErrorPanel({ error, onRetry, title = 'Something went wrong' }: { error: unknown; onRetry?: () => void; title?: string }) {
  const shape = toErrorShape(error);
  return (
    <div className="panel panel-error" role="alert">
      <p className="panel-title">{title}</p>
      <p>
        {shape.message} <span className="code">{shape.code}</span>
      </p>
      {shape.hint !== undefined && <p className="hint">{shape.hint}</p>}
      {onRetry !== undefined && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
