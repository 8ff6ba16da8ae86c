import { useApi } from '../../api/ApiContext';
import { hrefFor } from '../../hooks/useHashRoute';
import { useLoad } from '../../hooks/useLoad';
import type { ProduceScope } from '../reviewSets/produceLink';
import { tagLabel } from '../reviewSets/reviewWords';

/**
 * A production's scope, in words: the review set (by name, once the list answers) and its tag
 * filter. The set is the whole scope: the core refuses any other filter beside it, so the filter
 * panel gives way to this, and "Use filters instead" leaves the production.
 */
export function ReviewSetScope({ production, onUseFilters }: { production: ProduceScope; onUseFilters: () => void }) {
  const api = useApi();
  const sets = useLoad(() => api.invoke('reviewSets:list', {}), 'sets');
  const set = sets.data?.find((s) => s.id === production.id);
  const tags = [
    production.withTags.length > 0 ? `tagged ${production.withTags.map(tagLabel).join(' and ')}` : '',
    production.withoutTags.length > 0 ? `not tagged ${production.withoutTags.map(tagLabel).join(' or ')}` : '',
  ].filter(Boolean);
  return (
    <div aria-label="Production from a review set" role="group">
      <p>
        The items of the review set{' '}
        <a href={hrefFor('reviewSets', [String(production.id)])} dir="auto">
          {set?.name ?? `#${production.id}`}
        </a>{' '}
        {tags.length === 0 ? '(every item)' : tags.join(', ')} that are still archived; the bundle carries their tags and notes (data/review-coding).
      </p>
      {sets.state === 'ready' && set === undefined && <p className="field-error">This archive has no review set #{production.id}.</p>}
      <button type="button" onClick={onUseFilters}>
        Use filters instead
      </button>
    </div>
  );
}
