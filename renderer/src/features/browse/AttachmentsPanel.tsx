import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatBytes, formatCount, formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { FileActions } from './FileActions';

/** Rows listed at once: a channel can share thousands of files. */
const listed = 500;

/** Every file shared in the conversation: name, size, when, who, whether the archive holds it, and what to do with it. */
export function AttachmentsPanel({ chatId }: { chatId: string }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const rows = useLoad(() => api.invoke('archive:attachments', { chatId, limit: listed + 1 }), chatId);
  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h2 id="attachments-title">Attachments</h2>
      {rows.state === 'loading' && <Loading />}
      {rows.state === 'error' && <ErrorPanel error={rows.error} onRetry={rows.reload} />}
      {rows.state === 'ready' &&
        (rows.data.length === 0 ? (
          <p className="muted">No files were shared in this conversation (or none is registered yet: the next sync registers them).</p>
        ) : (
          <>
            <table className="table" aria-label="Attachments">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col">Shared</th>
                  <th scope="col">By</th>
                  <th scope="col">Status and actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.data.slice(0, listed).map((row) => (
                  <tr key={`${row.messageId}\n${row.fileId}`}>
                    <td className="file-name">{row.fileName ?? row.fileId}</td>
                    <td className="num">{formatBytes(row.size)}</td>
                    <td>{formatDateTime(row.time, timeZone)}</td>
                    <td>{row.senderName ?? row.senderId ?? 'Unknown sender'}</td>
                    <td>
                      <FileActions attachment={row} fileRef={{ chatId: row.chatId, messageId: row.messageId, fileId: row.fileId }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {rows.data.length > listed && <p className="muted">Showing the first {formatCount(listed)} files.</p>}
          </>
        ))}
    </section>
  );
}
