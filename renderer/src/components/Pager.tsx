import { formatCount } from '../format';

/** "21–40 of 135" with Previous and Next: pages of `limit` rows from `offset`. */
export function Pager({ offset, limit, total, shown, label, onOffset }: { offset: number; limit: number; total: number; shown: number; label: string; onOffset: (offset: number) => void }) {
  if (total <= limit && offset === 0) return null;
  return (
    <nav className="toolbar pager" aria-label={label}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous
      </button>
      <span aria-live="polite">
        {formatCount(shown === 0 ? 0 : offset + 1)}–{formatCount(offset + shown)} of {formatCount(total)}
      </span>
      <button type="button" disabled={offset + shown >= total} onClick={() => onOffset(offset + limit)}>
        Next
      </button>
    </nav>
  );
}
