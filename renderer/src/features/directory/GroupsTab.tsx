import { useState } from 'react';
import { directoryKinds, type DirectoryGroup } from '../../../../shared/evidence';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { HistoryDialog } from '../../components/HistoryDialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { TableHead } from '../../components/TableHead';
import { formatCount, formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { kindNames } from './intervalWords';

/**
 * Every department, designation, role and team with its members now; gone ones marked. Each opens
 * its metadata history (renames, a new description or parent, changed role permissions).
 */
export function GroupsTab() {
  const api = useApi();
  const timeZone = useTimeZone();
  const [history, setHistory] = useState<DirectoryGroup | null>(null);
  const groups = useLoad(() => api.invoke('archive:groups', {}), 'groups');
  if (groups.state === 'error') return <ErrorPanel title="Could not read the groups" error={groups.error} onRetry={groups.reload} />;
  if (groups.data === undefined) return <Loading label="Reading the groups…" />;
  const all = groups.data;
  if (all.length === 0) return <EmptyState title="No departments, designations, roles or teams archived yet" />;
  return (
    <>
      {directoryKinds.map((kind) => {
        const ofKind = all.filter((g) => g.kind === kind);
        if (ofKind.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`groups-${kind}`}>
            <h2 id={`groups-${kind}`}>{kindNames[kind]}s</h2>
            <table className="table" aria-label={`${kindNames[kind]}s`}>
              <TableHead columns={['Name', 'Members now', 'State', 'History']} />
              <tbody>
                {ofKind.map((g) => (
                  <tr key={g.groupId} className={g.goneAt === null ? undefined : 'muted'}>
                    <th scope="row" dir="auto">
                      {g.name ?? g.groupId}
                      {g.admin && <span className="badge"> admin</span>}
                    </th>
                    <td>{formatCount(g.members)}</td>
                    <td>{g.goneAt === null ? 'in Cliq' : `gone from Cliq (noticed ${formatDateTime(g.goneAt, timeZone)})`}</td>
                    <td>
                      <button type="button" className="small" aria-label={`History of ${kindNames[kind].toLowerCase()} ${g.name ?? g.groupId}`} onClick={() => setHistory(g)}>
                        History
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      {history !== null && (
        <HistoryDialog subject={history.kind} subjectKey={history.groupId} title={`${kindNames[history.kind].toLowerCase()} ${history.name ?? history.groupId}`} onClose={() => setHistory(null)} />
      )}
    </>
  );
}
