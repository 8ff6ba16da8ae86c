import { useId, useState } from 'react';
import { reviewActionLabel, reviewActions, reviewScopeWords, type ReviewAction, type ReviewEntry } from '../../../../shared/review';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatCount, formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useVaultState } from '../../VaultState';

const pageSize = 100;

const shellWords: Record<ReviewEntry['shell'], string> = { desktop: 'Desktop app', serve: 'Browser', cli: 'Command line' };
const outcomeWords: Record<ReviewEntry['outcome'], string> = { ok: 'Answered', failed: 'Failed', refused: 'Refused', cancelled: 'Cancelled' };

/**
 * The review log: every look at the archive (searches, transcript reads, exports, bundles, verifies,
 * restores, custody actions), newest first, with who made it, from where, what it covered and how
 * many results it had. Times in the settings' zone. Opening this screen is itself recorded.
 */
export function ReviewLogScreen() {
  const api = useApi();
  const { settings } = useVaultState();
  const timeZone = settings.timeZone;
  const filterId = useId();
  const [action, setAction] = useState<ReviewAction | 'all'>('all');
  const query = { ...(action === 'all' ? {} : { actions: [action] }), timeZone, limit: pageSize };
  const first = useLoad(() => api.invoke('review:log', query), `${action}|${timeZone}`);
  const [more, setMore] = useState<ReviewEntry[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const nextBefore = next === undefined ? (first.data?.nextBefore ?? null) : next;
  const entries = [...(first.data?.entries ?? []), ...more];

  const choose = (value: string) => {
    setAction(value === 'all' ? 'all' : (value as ReviewAction));
    setMore([]);
    setNext(undefined);
  };
  const loadOlder = () => {
    if (nextBefore === null) return;
    setMoreError(undefined);
    api
      .invoke('review:log', { ...query, before: nextBefore })
      .then((page) => {
        setMore((shown) => [...shown, ...page.entries]);
        setNext(page.nextBefore);
      })
      .catch((error: unknown) => setMoreError(error));
  };

  return (
    <section className="screen" aria-labelledby="review-log-title">
      <header className="screen-head">
        <h1 id="review-log-title">Review log</h1>
        <p className="muted">
          Every look at the archive is on record and sealed: searches (a search typed letter by letter is one entry), transcript reads, exports, audit bundles, verifications and restores — who, from
          where, what and how many results. Reading this log is recorded too. Times in {timeZone}.
        </p>
      </header>
      <div className="toolbar">
        <label htmlFor={filterId}>Action</label>
        <select id={filterId} value={action} onChange={(event) => choose(event.target.value)}>
          <option value="all">All actions</option>
          {reviewActions.map((a) => (
            <option key={a} value={a}>
              {reviewActionLabel(a)}
            </option>
          ))}
        </select>
      </div>
      {first.state === 'error' && <ErrorPanel error={first.error} onRetry={first.reload} />}
      {first.state === 'loading' && first.data === undefined && <Loading label="Loading the review log…" />}
      {first.data !== undefined &&
        (entries.length === 0 ? (
          <EmptyState title="No looks on record">
            {action === 'all' ? 'Searches, transcript reads and exports appear here as they are made.' : `No “${reviewActionLabel(action)}” on record.`}
          </EmptyState>
        ) : (
          <table className="table" aria-label="Review log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">From</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col" className="num">
                  Results
                </th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-entry-id={entry.id}>
                  <td>{formatDateTime(entry.at, timeZone)}</td>
                  <td>
                    {entry.profileName !== null && <span>{entry.profileName} · </span>}
                    {entry.osUser}@{entry.host}
                  </td>
                  <td>{shellWords[entry.shell]}</td>
                  <td>{reviewActionLabel(entry.action)}</td>
                  <td>
                    {reviewScopeWords(entry.scope)}
                    {entry.refinements > 0 && (
                      <span className="muted">
                        {' '}
                        (refined {entry.refinements} time{entry.refinements === 1 ? '' : 's'} while typing)
                      </span>
                    )}
                  </td>
                  <td className="num">{entry.results === null ? '—' : formatCount(entry.results)}</td>
                  <td title={entry.detail ?? undefined}>
                    {outcomeWords[entry.outcome]}
                    {entry.detail !== null && entry.outcome !== 'ok' && <span className="muted"> — {entry.detail}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {moreError !== undefined && <ErrorPanel error={moreError} onRetry={loadOlder} />}
      {nextBefore !== null && entries.length > 0 && (
        <button type="button" onClick={loadOlder}>
          Older entries
        </button>
      )}
    </section>
  );
}
