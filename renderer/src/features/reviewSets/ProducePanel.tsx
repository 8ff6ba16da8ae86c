import { useState } from 'react';
import type { ReviewSetSummary } from '../../../../shared/reviewSets';
import { navigate } from '../../hooks/useHashRoute';
import { tagsOf } from './itemFilter';
import { produceHref } from './produceLink';
import { tagLabel } from './reviewWords';

type TagPick = '' | 'with' | 'without';

/**
 * "Produce": the Audit screen's export with this set as its scope, limited by tags (e.g. responsive
 * and not privileged). The bundle then carries each message's tags; the rest of the export (formats,
 * destination, matter) is chosen there, as for any bundle.
 */
export function ProducePanel({ set }: { set: ReviewSetSummary }) {
  const [picks, setPicks] = useState<Record<string, TagPick>>({ responsive: 'with', privileged: 'without' });
  const withTags = Object.keys(picks).filter((tag) => picks[tag] === 'with');
  const withoutTags = Object.keys(picks).filter((tag) => picks[tag] === 'without');
  return (
    <section className="panel" aria-labelledby="produce-title">
      <h2 id="produce-title">Produce</h2>
      <p className="muted">Export this set’s messages as a bundle (with their tags), limited to the items whose tags you pick here.</p>
      <fieldset className="toolbar">
        <legend>Tags of the items to produce</legend>
        {tagsOf(set).map((tag) => (
          <label key={tag}>
            {tagLabel(tag)}{' '}
            <select value={picks[tag] ?? ''} onChange={(e) => setPicks((p) => ({ ...p, [tag]: e.target.value as TagPick }))}>
              <option value="">either</option>
              <option value="with">must have</option>
              <option value="without">must not have</option>
            </select>
          </label>
        ))}
      </fieldset>
      <p className="muted" aria-live="polite">
        {withTags.length + withoutTags.length === 0
          ? 'Every item of the set.'
          : `Items ${[withTags.length > 0 ? `tagged ${withTags.map(tagLabel).join(' and ')}` : '', withoutTags.length > 0 ? `not tagged ${withoutTags.map(tagLabel).join(' or ')}` : ''].filter(Boolean).join(', ')}.`}
      </p>
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => navigate(produceHref({ id: set.id, withTags, withoutTags }))}>
          Produce…
        </button>
      </div>
    </section>
  );
}
