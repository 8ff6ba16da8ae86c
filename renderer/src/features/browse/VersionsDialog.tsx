import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';

/** Every text an edited message has had, oldest first, with when the archive saw each. */
export function VersionsDialog({ messageKey, currentText, onClose }: { messageKey: number; currentText: string | null; onClose: () => void }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const versions = useLoad(() => api.invoke('archive:versions', { key: messageKey }), String(messageKey));
  return (
    <Dialog title="Earlier versions" onClose={onClose}>
      {versions.state === 'loading' && <Loading />}
      {versions.state === 'error' && <ErrorPanel error={versions.error} onRetry={versions.reload} />}
      {versions.state === 'ready' && (
        <ol className="versions" aria-label="Versions of this message">
          {versions.data.map((v) => (
            <li key={v.version}>
              <div className="version-meta muted">
                Version {v.version} · seen {formatDateTime(v.seenAt, timeZone)} · replaced {formatDateTime(v.supersededAt, timeZone)}
              </div>
              <p className="message-text">{v.text ?? <em className="muted">(no text)</em>}</p>
            </li>
          ))}
          <li>
            <div className="version-meta muted">Current</div>
            <p className="message-text">{currentText ?? <em className="muted">(no text)</em>}</p>
          </li>
        </ol>
      )}
    </Dialog>
  );
}
