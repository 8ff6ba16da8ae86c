import { useState } from 'react';
import type { BackupDone, SnapshotRow } from '../../../../shared/views';
import { useApi } from '../../api/ApiContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatBytes, formatCount, formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';

type Action = { kind: 'idle' } | { kind: 'busy'; what: string } | { kind: 'done'; message: string } | { kind: 'error'; error: unknown };

export function SnapshotsPanel() {
  const api = useApi();
  const timeZone = useTimeZone();
  const snapshots = useLoad(() => api.invoke('backup:list', {}), 'snapshots');
  const [action, setAction] = useState<Action>({ kind: 'idle' });
  const [restoring, setRestoring] = useState<SnapshotRow | null>(null);
  const busy = action.kind === 'busy';

  function backUpNow() {
    setAction({ kind: 'busy', what: 'Backing up…' });
    api.invoke('backup:create', {}).then(
      (done) => {
        setAction({
          kind: 'done',
          message: `Snapshot written: ${done.path} (${formatBytes(done.sizeBytes)})${filesNote(done)}${done.removed.length > 0 ? `; ${done.removed.length} older removed` : ''}.`,
        });
        snapshots.reload();
      },
      (error: unknown) => setAction({ kind: 'error', error }),
    );
  }

  function restore(snapshot: SnapshotRow) {
    setAction({ kind: 'busy', what: 'Restoring…' });
    api.invoke('backup:restore', { snapshotPath: snapshot.path }).then(
      (done) => {
        setRestoring(null);
        setAction({ kind: 'done', message: `Restored from ${done.restoredFrom}.${done.safetyCopy !== null ? ` The archive as it was is kept at ${done.safetyCopy}.` : ''}` });
        snapshots.reload();
      },
      (error: unknown) => {
        setRestoring(null);
        setAction({ kind: 'error', error });
      },
    );
  }

  return (
    <section className="panel" aria-labelledby="snapshots-title">
      <div className="panel-head">
        <h2 id="snapshots-title">Snapshots</h2>
        <button type="button" className="primary" onClick={backUpNow} disabled={busy}>
          {action.kind === 'busy' && action.what === 'Backing up…' ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      {action.kind === 'done' && (
        <p className="notice notice-good" role="status">
          {action.message}
        </p>
      )}
      {action.kind === 'error' && <ErrorPanel error={action.error} />}
      {snapshots.state === 'error' && <ErrorPanel title="Could not list the snapshots" error={snapshots.error} onRetry={snapshots.reload} />}
      {snapshots.data === undefined && snapshots.state === 'loading' && <Loading />}
      {snapshots.data !== undefined &&
        (snapshots.data.length === 0 ? (
          <EmptyState title="No snapshots yet">Back up now, or set a backup folder above so the nightly run makes one.</EmptyState>
        ) : (
          <table className="table" aria-label="Snapshots">
            <thead>
              <tr>
                <th scope="col">Snapshot</th>
                <th scope="col">Made</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col" className="num">
                  Messages
                </th>
                <th scope="col">Kind</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {snapshots.data.map((s) => (
                <tr key={s.path}>
                  <td className="path" title={s.path}>
                    {s.name}
                    {s.problem !== null && <span className="mark mark-deleted">{s.problem}</span>}
                  </td>
                  <td>{formatDateTime(s.createdAtMs, timeZone)}</td>
                  <td className="num">{formatBytes(s.sizeBytes)}</td>
                  <td className="num">{formatCount(s.messages)}</td>
                  <td>{s.kind ?? '—'}</td>
                  <td>
                    <button type="button" className="small" disabled={busy || s.problem !== null} onClick={() => setRestoring(s)} aria-label={`Restore ${s.name}`}>
                      Restore…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {restoring !== null && (
        <ConfirmDialog title="Restore this snapshot?" confirmLabel="Restore" danger busy={busy} onCancel={() => setRestoring(null)} onConfirm={() => restore(restoring)}>
          <p>
            The archive will be replaced by <strong>{restoring.name}</strong>
            {restoring.createdAtMs !== null ? ` from ${formatDateTime(restoring.createdAtMs, timeZone)}` : ''}.
          </p>
          <p>Nothing is lost: the current archive is kept as a safety copy next to it first, and the restore is recorded in the restored archive.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The stored files of a new snapshot, in a few words; a warning when some could not be kept. */
function filesNote(done: BackupDone): string {
  const f = done.files;
  if (f === null) return '';
  const note = `; ${f.files} stored file(s): ${f.copied} copied (${formatBytes(f.bytesCopied)}), ${f.linked} linked from an earlier snapshot`;
  return f.unavailable > 0 ? `${note}; WARNING: ${f.unavailable} stored file(s) were missing or damaged in the archive's store and are not in it (verify the archive with re-hashing)` : note;
}
