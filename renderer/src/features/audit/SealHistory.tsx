import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ShortHash } from '../../components/ShortHash';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';

/** The archive's chain of seals, newest first: what a bundle's recorded seal is checked against. */
export function SealHistory({ timeZone, reloadKey }: { timeZone: string; reloadKey: string }) {
  const api = useApi();
  const seals = useLoad(() => api.invoke('audit:seals', { limit: 100 }), `seals:${reloadKey}`);
  return (
    <section aria-labelledby="seal-history-title">
      <h2 id="seal-history-title">Seal history</h2>
      <p className="muted">Each sync, export, hold and purge closes a seal linked to the one before; a bundle records the newest at its export.</p>
      {seals.state === 'error' && <ErrorPanel error={seals.error} onRetry={seals.reload} />}
      {seals.data !== undefined &&
        (seals.data.length === 0 ? (
          <EmptyState title="No seals yet">The first sync closes the first seal.</EmptyState>
        ) : (
          <table className="table" aria-label="Seal history">
            <thead>
              <tr>
                <th scope="col">Seal</th>
                <th scope="col">Kind</th>
                <th scope="col">Closed</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {seals.data.map((seal) => (
                <tr key={seal.id}>
                  <td>{seal.id}</td>
                  <td>{seal.runId !== null ? `${seal.kind} (sync run ${seal.runId})` : seal.kind}</td>
                  <td>{formatDateTime(seal.closedAt, timeZone)}</td>
                  <td>
                    <ShortHash value={seal.hash} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
