import { useState, type SubmitEvent } from 'react';
import { auditScopeOf, filtersNarrow, type ReviewFilters } from '../../../../shared/reviewFilters';
import type { ReviewSetSource, ReviewSetSummary } from '../../../../shared/reviewSets';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { filtersInWords } from './reviewWords';

type Source = 'search' | 'hold';

/**
 * Freezing a set: a name, a description, and where its messages come from — the search it was
 * opened on (its filters, read in the settings' time zone, as an audit scope reads them) or what a
 * legal hold holds now. The core checks it all again and seals the set.
 */
export function NewSetForm({ search, onCreated, onCancel }: { search: ReviewFilters | null; onCreated: (set: ReviewSetSummary) => void; onCancel: () => void }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const holds = useLoad(() => api.invoke('holds:list', {}), 'holds');
  // A search with no filter at all would freeze the whole archive: not offered.
  const searchUsable = search !== null && (filtersNarrow(search) || search.text.trim() !== '');
  const [source, setSource] = useState<Source>(searchUsable ? 'search' : 'hold');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [hold, setHold] = useState('');
  const [problem, setProblem] = useState<{ name?: string; source?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const sourceProblem = source === 'search' ? (searchUsable ? undefined : 'Open Search, pick what to review, then “Make a review set…”.') : hold === '' ? 'Pick a legal hold.' : undefined;
    const next = { ...(name.trim() === '' ? { name: 'A review set needs a name.' } : {}), ...(sourceProblem !== undefined ? { source: sourceProblem } : {}) };
    setProblem(next);
    if (next.name !== undefined || next.source !== undefined) return;
    const from: ReviewSetSource = source === 'search' && search !== null ? { scope: auditScopeOf(search, timeZone) } : { hold };
    setBusy(true);
    setError(null);
    api.invoke('reviewSets:create', { name, ...(description.trim() !== '' ? { description } : {}), source: from }).then(
      (set) => {
        setBusy(false);
        onCreated(set);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  }

  const activeHolds = (holds.data ?? []).filter((h) => h.status === 'active');
  return (
    <form className="panel" aria-label="New review set" onSubmit={submit} noValidate>
      <h2>New review set</h2>
      <Field label="Name" error={problem.name}>
        {(id, describedBy) => <input id={id} aria-describedby={describedBy} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus />}
      </Field>
      <Field label="Description (optional)" help="What the set is for: the matter, the request, the review's instructions.">
        {(id, describedBy) => <textarea id={id} aria-describedby={describedBy} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2_000} />}
      </Field>
      <fieldset aria-describedby={problem.source !== undefined ? 'new-set-source-error' : undefined}>
        <legend>Messages</legend>
        <label className="check">
          <input type="radio" name="set-source" checked={source === 'search'} disabled={!searchUsable} onChange={() => setSource('search')} /> the current search
        </label>
        <p className="field-help">
          {searchUsable ? `${filtersInWords(search)} — dates read in ${timeZone}.` : 'Open Search, pick what to review, then “Make a review set…” there: its filters come here.'}
        </p>
        <label className="check">
          <input type="radio" name="set-source" checked={source === 'hold'} onChange={() => setSource('hold')} /> what a legal hold holds now
        </label>{' '}
        <select aria-label="Legal hold" value={hold} disabled={source !== 'hold'} onChange={(e) => setHold(e.target.value)}>
          <option value="">{holds.state === 'loading' ? 'Reading the holds…' : activeHolds.length === 0 ? 'No active hold' : 'Choose a hold…'}</option>
          {activeHolds.map((h) => (
            <option key={h.id} value={h.name}>
              {h.name} ({h.counts.messages} messages)
            </option>
          ))}
        </select>
        {problem.source !== undefined && (
          <p id="new-set-source-error" className="field-error" role="alert">
            {problem.source}
          </p>
        )}
      </fieldset>
      {holds.state === 'error' && <ErrorPanel title="Could not read the legal holds" error={holds.error} onRetry={holds.reload} />}
      {error !== null && <ErrorPanel title="The review set was not made" error={error} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Freezing the set…' : 'Make the review set'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
