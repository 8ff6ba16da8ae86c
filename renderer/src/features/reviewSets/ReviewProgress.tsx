import type { ReviewSetSummary } from '../../../../shared/reviewSets';
import { formatCount } from '../../format';

/** "Reviewed n of m" with a bar: an item counts once it has a tag or was marked reviewed. */
export function ReviewProgress({ set }: { set: Pick<ReviewSetSummary, 'reviewed' | 'items'> }) {
  const words = `Reviewed ${formatCount(set.reviewed)} of ${formatCount(set.items)}`;
  return (
    <div className="review-progress">
      <span>{words}</span>
      <progress className="progress" value={set.reviewed} max={Math.max(1, set.items)} aria-label={words} />
    </div>
  );
}
