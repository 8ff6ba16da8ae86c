import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ShortHash } from '../../components/ShortHash';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { actorWords, recordWords } from './reviewWords';

/** The current item's coding records (the conversation's without a message), newest first, each sealed: who, when, what. */
export function CodingHistory({ setId, chatId, messageId, reloadKey, timeZone }: { setId: number; chatId: string; messageId: string | undefined; reloadKey: number; timeZone: string }) {
  const api = useApi();
  const history = useLoad(
    () => api.invoke('reviewSets:history', { setId, chatId, ...(messageId !== undefined ? { messageId } : {}), limit: 50 }),
    `${setId}/${chatId}/${messageId ?? ''}#${reloadKey}`,
  );
  return (
    <section className="panel" aria-labelledby="coding-history-title">
      <h2 id="coding-history-title">{messageId === undefined ? 'Coding history of the conversation' : 'Coding history'}</h2>
      {history.state === 'error' && <ErrorPanel title="Could not read the coding history" error={history.error} onRetry={history.reload} />}
      {history.data !== undefined &&
        (history.data.length === 0 ? (
          <p className="muted">Not coded yet.</p>
        ) : (
          <ol className="coding-history" aria-label="Coding records">
            {history.data.map((record) => (
              <li key={record.id}>
                <time dateTime={new Date(record.at).toISOString()}>{formatDateTime(record.at, timeZone)}</time> — {actorWords(record.by)} <span dir="auto">{recordWords(record)}</span>{' '}
                <ShortHash value={record.rowHash} />
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}
