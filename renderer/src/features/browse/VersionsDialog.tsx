import { useMemo } from 'react';
import { parseMarkup, resolverFromNames, type MentionResolver } from '../../../../shared/markup';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { MarkupText } from '../../components/MarkupText';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';

/** Every text an edited message has had, oldest first, with when the archive saw each. */
export function VersionsDialog({ messageKey, currentText, onClose }: { messageKey: number; currentText: string | null; onClose: () => void }) {
  const api = useApi();
  const timeZone = useTimeZone();
  // The earlier texts may mention people the current one does not: their names are asked for with them.
  const versions = useLoad(async () => {
    const list = await api.invoke('archive:versions', { key: messageKey });
    // Names are a nicety: the versions show (mentions by their fallback) even if they cannot be read.
    const names = await api.invoke('archive:names', { texts: [...list.map((v) => v.text ?? ''), currentText ?? ''].slice(0, 200) }).catch(() => undefined);
    return { list, names };
  }, String(messageKey));
  const resolver = useMemo(() => resolverFromNames(versions.state === 'ready' ? versions.data.names : undefined), [versions]);
  return (
    <Dialog title="Earlier versions" onClose={onClose}>
      {versions.state === 'loading' && <Loading />}
      {versions.state === 'error' && <ErrorPanel error={versions.error} onRetry={versions.reload} />}
      {versions.state === 'ready' && (
        <ol className="versions" aria-label="Versions of this message">
          {versions.data.list.map((v) => (
            <li key={v.version}>
              <div className="version-meta muted">
                Version {v.version} · seen {formatDateTime(v.seenAt, timeZone)} · replaced {formatDateTime(v.supersededAt, timeZone)}
              </div>
              <VersionText text={v.text} resolver={resolver} />
            </li>
          ))}
          <li>
            <div className="version-meta muted">Current</div>
            <VersionText text={currentText} resolver={resolver} />
          </li>
        </ol>
      )}
    </Dialog>
  );
}

/** One version's text, its markup rendered as the transcript renders it. */
function VersionText({ text, resolver }: { text: string | null; resolver: MentionResolver }) {
  if (text === null) {
    return (
      <p className="message-text">
        <em className="muted">(no text)</em>
      </p>
    );
  }
  return (
    <div className="message-text" dir="auto">
      <MarkupText segments={parseMarkup(text, { resolver })} />
    </div>
  );
}
