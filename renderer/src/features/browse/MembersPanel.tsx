import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { ChannelPermissions } from './ChannelPermissions';
import { describeMembership, describeRole, roleLabel } from './membershipWording';

/**
 * Who was in the conversation and when, with where each boundary comes from, and each channel
 * member's role and its changes; for a channel, what each role may do and how that changed.
 */
export function MembersPanel({ chatId, channel = false }: { chatId: string; channel?: boolean }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const members = useLoad(() => api.invoke('archive:members', { chatId }), chatId);
  return (
    <aside className="members" aria-labelledby="members-title">
      <h2 id="members-title">Membership history</h2>
      {members.state === 'loading' && <Loading />}
      {members.state === 'error' && <ErrorPanel error={members.error} onRetry={members.reload} />}
      {members.state === 'ready' &&
        (members.data.length === 0 ? (
          <p className="muted">No membership recorded (direct chats and bots have none).</p>
        ) : (
          <ul className="member-list" aria-label="Members">
            {members.data.map((m) => (
              <li key={`${m.memberKey}-${m.firstSeenAt}`} className={m.goneAt !== null ? 'member-gone' : undefined}>
                <span className="member-name" dir="auto">
                  {m.name ?? m.email ?? m.userId ?? m.memberKey}
                </span>
                {m.role !== null && <span className="tag member-role">{m.goneAt === null ? roleLabel(m.role) : `last ${roleLabel(m.role)}`}</span>}
                <span className="muted">{describeMembership(m, timeZone)}</span>
                {m.roles.length > 1 && (
                  <details className="role-changes">
                    <summary>{`Role changes (${m.roles.length - 1})`}</summary>
                    <ol aria-label={`Roles of ${m.name ?? m.email ?? m.userId ?? m.memberKey}`}>
                      {m.roles.map((r) => (
                        <li key={`${r.role}-${r.firstSeenAt}`}>{describeRole(r, timeZone)}</li>
                      ))}
                    </ol>
                  </details>
                )}
              </li>
            ))}
          </ul>
        ))}
      {channel && <ChannelPermissions chatId={chatId} />}
    </aside>
  );
}
