import { useState } from 'react';
import { filtersFromParams } from '../../../../shared/reviewFilters';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { hrefFor, navigate } from '../../hooks/useHashRoute';
import { useLoad } from '../../hooks/useLoad';
import { useVaultState } from '../../VaultState';
import { NewSetForm } from './NewSetForm';
import { SetList } from './SetList';
import { SetView } from './SetView';

/**
 * Review sets (issue 15, part 1): `#/reviewSets` lists them and makes one (`?new=1` with a search's
 * filters opens the form on them, as Search's "Make a review set" does); `#/reviewSets/<id>` is the
 * set, coded from the keyboard. An archive open read-only shows the sets and their coding, and
 * says why it cannot be coded there.
 */
export function ReviewSetsScreen({ setId, params }: { setId: number | null; params: URLSearchParams }) {
  // A key per set: another set starts afresh (its own filter and place).
  if (setId !== null) return <SetView key={setId} setId={setId} params={params} />;
  return <SetsOverview params={params} />;
}

function SetsOverview({ params }: { params: URLSearchParams }) {
  const api = useApi();
  const { info } = useVaultState();
  const readOnly = info.archiveReadOnly;
  // Read once, at mount: the search the form was opened on.
  const [fromSearch] = useState(() => (params.get('new') === '1' ? filtersFromParams(params) : null));
  const [creating, setCreating] = useState(fromSearch !== null);
  const sets = useLoad(() => api.invoke('reviewSets:list', {}), 'sets');

  return (
    <section className="screen" aria-labelledby="review-sets-title">
      <header className="screen-head">
        <h1 id="review-sets-title">Review</h1>
        <p className="lead">
          A review set is a frozen list of messages — from a search or a legal hold — that reviewers tag and annotate, message by message or a whole conversation at once. Later syncs never add to it;
          every tag, note and “reviewed” is sealed in the archive with who and when.
        </p>
      </header>
      {readOnly ? (
        <p className="notice" role="note">
          This archive is open read-only: its review sets and their coding can be read here, not made or coded. Review where the archive is synced, with its org connected.
        </p>
      ) : (
        !creating && (
          <div className="form-actions">
            <button type="button" className="primary" onClick={() => setCreating(true)}>
              New review set…
            </button>
          </div>
        )
      )}
      {creating && !readOnly && (
        <NewSetForm
          search={fromSearch}
          onCancel={() => setCreating(false)}
          onCreated={(set) => {
            setCreating(false);
            navigate(hrefFor('reviewSets', [String(set.id)]));
          }}
        />
      )}
      {sets.state === 'error' && <ErrorPanel title="Could not read the review sets" error={sets.error} onRetry={sets.reload} />}
      {sets.data === undefined && sets.state === 'loading' && <Loading label="Reading the review sets…" />}
      {sets.data !== undefined &&
        (sets.data.length === 0 ? <EmptyState title="No review sets yet">Make one from a search (Search → “Make a review set…”) or from a legal hold.</EmptyState> : <SetList sets={sets.data} />)}
    </section>
  );
}
