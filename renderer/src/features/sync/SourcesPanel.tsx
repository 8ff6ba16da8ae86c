import { useEffect } from 'react';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { sourceOutcome } from './sourceWords';

/**
 * Evidence sources: every optional source the core declares (directory, reactions, sticky
 * messages, calls, scheduled messages…) with its last outcome and the rows it archived. Reloaded
 * when `generation` changes (after a sync).
 */
export function SourcesPanel({ generation }: { generation: number }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const sources = useLoad(() => api.invoke('archive:sources', {}), 'sources');
  const { reload } = sources;
  useEffect(() => {
    if (generation > 0) reload();
  }, [generation, reload]);

  return (
    <section className="panel" aria-labelledby="sources-title">
      <h2 id="sources-title">Evidence sources</h2>
      <p className="muted">Beyond messages and members, each of these needs its own permission; without it the sync still completes and says what is missing.</p>
      {sources.state === 'error' && <ErrorPanel title="Could not read the evidence sources" error={sources.error} onRetry={sources.reload} />}
      {sources.data === undefined && sources.state === 'loading' && <Loading />}
      {sources.data !== undefined && (
        <table className="table" aria-label="Evidence sources">
          <thead>
            <tr>
              <th scope="col">Evidence</th>
              <th scope="col">Last sync</th>
              <th scope="col">Details</th>
              <th scope="col" className="num">
                Rows archived
              </th>
            </tr>
          </thead>
          <tbody>
            {sources.data.map((source) => {
              const outcome = sourceOutcome(source, timeZone);
              return (
                <tr key={source.dataset}>
                  <th scope="row">{source.label}</th>
                  <td>
                    <StatusBadge status={outcome.status} />
                  </td>
                  <td>{outcome.detail}</td>
                  <td className="num">{formatCount(source.rows)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
