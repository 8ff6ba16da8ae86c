import { channelPermissionRoles, type ChannelPermission } from '../../../../shared/evidence';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';

const roleTitles: Record<ChannelPermission['role'], string> = { admin: 'Admins', moderator: 'Moderators', member: 'Members' };

/** Cliq's permission key (send_message, delete_my_msg) in words. */
export function permissionLabel(permission: string): string {
  return permission.replace(/_/g, ' ');
}

/** A value in words: allowed, denied, or (anything but a boolean) Cliq's value as text. */
function valueWords(p: ChannelPermission): string {
  return p.allowed === true ? 'allowed' : p.allowed === false ? 'denied' : `set to ${p.value}`;
}

/** One value's interval: from when a listing showed it to when one showed another (both noticed at syncs). */
export function describePermission(p: ChannelPermission, timeZone: string): string {
  const since = `${roleTitles[p.role]}: ${permissionLabel(p.permission)} ${valueWords(p)} — seen from ${formatDateTime(p.firstSeenAt, timeZone)}`;
  return p.goneAt === null ? `${since}, still in force` : `${since} until ${formatDateTime(p.goneAt, timeZone)} (noticed at a sync)`;
}

/**
 * A channel's permissions now, per role, as lists of what each role may and may not do; and every
 * value seen, with when it was first seen and when a listing showed it changed. Keys and values
 * are Cliq's data: shown as text, never markup.
 */
export function ChannelPermissions({ chatId }: { chatId: string }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const permissions = useLoad(() => api.invoke('archive:channelPermissions', { chatId }), chatId);
  return (
    <section className="channel-permissions" aria-labelledby="permissions-title">
      <h3 id="permissions-title">Channel permissions</h3>
      {permissions.state === 'loading' && <Loading />}
      {permissions.state === 'error' && <ErrorPanel error={permissions.error} onRetry={permissions.reload} />}
      {permissions.state === 'ready' &&
        (permissions.data.length === 0 ? (
          <p className="muted">No permissions recorded: Cliq's channel listing has not given them for this channel.</p>
        ) : (
          <>
            <ul className="permission-roles" aria-label="Permissions now">
              {channelPermissionRoles.map((role) => {
                const now = permissions.data.filter((p) => p.role === role && p.goneAt === null);
                const allowed = now.filter((p) => p.allowed === true).map((p) => permissionLabel(p.permission));
                const denied = now.filter((p) => p.allowed === false).map((p) => permissionLabel(p.permission));
                const other = now.filter((p) => p.allowed === null);
                return (
                  <li key={role}>
                    <strong>{roleTitles[role]}</strong>
                    {now.length === 0 && <div className="muted">none recorded now</div>}
                    {allowed.length > 0 && <div>{`May: ${allowed.join(', ')}`}</div>}
                    {denied.length > 0 && <div>{`May not: ${denied.join(', ')}`}</div>}
                    {other.map((p) => (
                      <div key={p.permission} dir="auto">{`${permissionLabel(p.permission)}: ${p.value}`}</div>
                    ))}
                  </li>
                );
              })}
            </ul>
            <details className="permission-history">
              <summary>{`Permission history (${permissions.data.filter((p) => p.goneAt !== null).length} changed)`}</summary>
              <ol aria-label="Permission history">
                {permissions.data.map((p) => (
                  <li key={`${p.role}|${p.permission}|${p.firstSeenAt}|${p.value}`} className={p.goneAt !== null ? 'member-gone' : undefined}>
                    {describePermission(p, timeZone)}
                  </li>
                ))}
              </ol>
            </details>
          </>
        ))}
    </section>
  );
}
