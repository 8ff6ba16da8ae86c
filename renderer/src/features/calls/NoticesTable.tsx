import type { CallNotificationRow } from '../../../../shared/evidence';
import { formatDateTime } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { useTimeZone } from '../../VaultState';

/** Calls as Cliq's call notices in the archived conversations record them, each linked to its message. */
export function NoticesTable({ notices }: { notices: CallNotificationRow[] }) {
  const timeZone = useTimeZone();
  return (
    <table className="table" aria-label="Call notices">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Caller</th>
          <th scope="col">Callee</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
          <th scope="col">Conversation</th>
        </tr>
      </thead>
      <tbody>
        {notices.map((n) => (
          <tr key={n.messageKey}>
            <td>
              <a href={hrefFor('browse', [n.chatId], { focus: String(n.messageKey) })} title="Open the notice in its conversation">
                {formatDateTime(n.time, timeZone)}
              </a>
            </td>
            <td dir="auto">{n.callerName ?? n.callerId ?? '—'}</td>
            <td dir="auto">{n.calleeName ?? n.calleeId ?? '—'}</td>
            <td>{n.callType ?? '—'}</td>
            <td>{n.status ?? '—'}</td>
            <td>{n.duration ?? '—'}</td>
            <td dir="auto">
              <a href={hrefFor('browse', [n.chatId])}>{n.chatTitle ?? n.chatId}</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
