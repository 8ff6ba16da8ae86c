import type { ScheduledMessageRow } from '../../../../shared/evidence';
import { formatDateTime } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { useTimeZone } from '../../VaultState';

const fateWords: Record<ScheduledMessageRow['fate'], string> = {
  pending: 'pending',
  rescheduled: 'rescheduled (pending)',
  sent: 'sent',
  presumed_sent: 'presumably sent',
  deleted: 'deleted',
  gone: 'gone',
};

const fateDetail: Partial<Record<ScheduledMessageRow['fate'], string>> = {
  presumed_sent: 'Its time passed; the message it became is not archived yet.',
  deleted: 'Taken back before its time.',
  gone: 'Sent or deleted: Cliq does not say which for a status-triggered message.',
};

/** The connected account's scheduled messages: what, where, when, and what became of each. */
export function ScheduledTable({ rows }: { rows: ScheduledMessageRow[] }) {
  const timeZone = useTimeZone();
  return (
    <table className="table" aria-label="Scheduled messages">
      <thead>
        <tr>
          <th scope="col">Message</th>
          <th scope="col">Conversation</th>
          <th scope="col">Delivery</th>
          <th scope="col">Fate</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.scheduledId}>
            <td dir="auto">{row.text ?? <span className="muted">not given by Cliq</span>}</td>
            <td dir="auto">{row.chatId === null ? <span className="muted">not said</span> : <a href={hrefFor('browse', [row.chatId])}>{row.chatTitle ?? row.chatId}</a>}</td>
            <td>
              {row.scheduledFor !== null ? formatDateTime(row.scheduledFor, timeZone) : `when the status is ${row.scheduleStatus ?? 'reached'}`}
              {row.timeZone !== null && <span className="muted"> (set in {row.timeZone})</span>}
            </td>
            <td>
              <strong>{fateWords[row.fate]}</strong>
              {row.fateNoticedAt !== null && <span className="muted"> — noticed {formatDateTime(row.fateNoticedAt, timeZone)}</span>}
              {fateDetail[row.fate] !== undefined && <div className="muted">{fateDetail[row.fate]}</div>}
              {row.earlierTimes.length > 0 && <div>Earlier times: {row.earlierTimes.map((t) => formatDateTime(t, timeZone)).join(', ')}</div>}
              {row.sentMessageKey !== null && row.chatId !== null && (
                <div>
                  <a href={hrefFor('browse', [row.chatId], { focus: String(row.sentMessageKey) })}>Open the sent message</a>
                </div>
              )}
            </td>
            <td>{formatDateTime(row.createdAt, timeZone)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
