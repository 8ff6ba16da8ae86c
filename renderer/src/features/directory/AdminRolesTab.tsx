import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { TableHead } from '../../components/TableHead';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { endWords, startWords } from './intervalWords';

/** Who held an admin role (Admin, Cliq Admin, a custom admin role), from when to when; held ones first. */
export function AdminRolesTab() {
  const api = useApi();
  const timeZone = useTimeZone();
  const holders = useLoad(() => api.invoke('archive:adminRoles', {}), 'adminRoles');
  if (holders.state === 'error') return <ErrorPanel title="Could not read the admin roles" error={holders.error} onRetry={holders.reload} />;
  if (holders.data === undefined) return <Loading label="Reading the admin roles…" />;
  if (holders.data.length === 0) return <EmptyState title="No one is known to have held an admin role">Roles are read by a sync when the connection may read the organisation's roles.</EmptyState>;
  return (
    <table className="table" aria-label="Admin role holders">
      <TableHead columns={['Person', 'Role', 'From', 'Until']} />
      <tbody>
        {holders.data.map((h) => (
          <tr key={`${h.userId}|${h.roleId}|${h.startNoticedAt}`} className={h.end === null ? undefined : 'muted'}>
            <th scope="row" dir="auto">
              {h.name ?? h.userId}
              {h.email !== null && (
                <span className="muted" dir="auto">
                  {' '}
                  {h.email}
                </span>
              )}
            </th>
            <td dir="auto">
              {h.roleName ?? h.roleId}
              {h.profileType !== null && <span className="muted"> ({h.profileType})</span>}
            </td>
            <td>{startWords(h, timeZone)}</td>
            <td>{endWords(h.end, timeZone)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
