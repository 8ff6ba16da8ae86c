import type { HistorySubject } from '../../../shared/views';
import { useApi } from '../api/ApiContext';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks/useLoad';
import { useTimeZone } from '../VaultState';
import { Dialog } from './Dialog';
import { ErrorPanel } from './ErrorPanel';
import { Loading } from './Loading';

/** Which record of a subject changed, in words. */
const recordNames: Record<string, string> = {
  chat: 'Conversation',
  channel: 'Channel',
  thread: 'Thread',
  user: 'Person',
  department: 'Department',
  designation: 'Designation',
  role: 'Role',
  team: 'Team',
};

/** Field paths are Cliq's (`export.name`, `rest.description`): the last part reads best. */
function fieldName(path: string): string {
  const last = path.split('.').pop() ?? path;
  return last.replace(/_/g, ' ');
}

/**
 * The metadata history of a conversation, a person or a directory group: every change the archive saw (a rename, a
 * new description, a deactivation), field by field, newest first, with when it was seen. Values
 * are Cliq's data: shown as text, never markup.
 */
export function HistoryDialog({ subject, subjectKey, title, onClose }: { subject: HistorySubject; subjectKey: string; title: string; onClose: () => void }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const history = useLoad(() => api.invoke('archive:history', { subject, key: subjectKey }), `${subject}|${subjectKey}`);
  return (
    <Dialog title={`History of ${title}`} onClose={onClose}>
      {history.state === 'loading' && <Loading />}
      {history.state === 'error' && <ErrorPanel error={history.error} onRetry={history.reload} />}
      {history.state === 'ready' && (
        <>
          <p className="muted">
            {history.data.firstSeenAt !== null ? `First archived ${formatDateTime(history.data.firstSeenAt, timeZone)}.` : 'Not in the archive.'}
            {history.data.goneAt !== null && ` Gone from Cliq since ${formatDateTime(history.data.goneAt, timeZone)}.`}
          </p>
          {history.data.changes.length === 0 ? (
            <p>No change to its name, description or status has been seen since it was first archived.</p>
          ) : (
            <ol className="versions" aria-label="Changes, newest first">
              {history.data.changes.map((change) => (
                <li key={`${change.kind}|${change.changedAt}`}>
                  <div className="version-meta muted">
                    {recordNames[change.kind] ?? change.kind} changed · seen {formatDateTime(change.changedAt, timeZone)}
                    {change.runId !== null && ` (sync run ${change.runId})`}
                  </div>
                  <table className="history-changes">
                    <thead>
                      <tr>
                        <th scope="col">Field</th>
                        <th scope="col">Before</th>
                        <th scope="col">After</th>
                      </tr>
                    </thead>
                    <tbody>
                      {change.changes.map((field) => (
                        <tr key={field.field}>
                          <th scope="row" title={field.field}>
                            {fieldName(field.field)}
                          </th>
                          <td dir="auto">{field.before ?? <em className="muted">(none)</em>}</td>
                          <td dir="auto">{field.after ?? <em className="muted">(none)</em>}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </Dialog>
  );
}
