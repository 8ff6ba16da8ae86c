import type { SyncProgress } from '../../../../shared/sync';
import { formatCount, formatDuration, formatTime } from '../../format';
import { useTimeZone } from '../../VaultState';

const phaseText: Record<SyncProgress['phase'], string> = {
  starting: 'Starting',
  inventory: 'Listing conversations, members and users',
  threads: 'Finding threads',
  conversations: 'Archiving conversations',
  finishing: 'Sealing the archive',
};

export function SyncProgressPanel({ progress, cancelling, onCancel }: { progress: SyncProgress | null; cancelling: boolean; onCancel: () => void }) {
  const timeZone = useTimeZone();
  const total = progress?.chatsTotal ?? 0;
  const done = progress?.chatsDone ?? 0;
  const filesDone = progress?.filesDone ?? 0;
  const filesLeft = progress?.filesRemaining ?? 0;
  // One bar for both kinds of work: conversations, then the files they reference (known as each
  // conversation is archived, so the bar's end moves out while files are still being found).
  const barMax = total + filesDone + filesLeft;
  return (
    <section className="panel" aria-labelledby="sync-progress-title">
      <div className="panel-head">
        <h2 id="sync-progress-title">Sync in progress</h2>
        <button type="button" className="danger" onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel sync'}
        </button>
      </div>
      {/* Without a total yet (inventory), the bar is indeterminate rather than a false 0 %. */}
      <progress className="progress" aria-label="Conversations and files archived" max={total > 0 ? barMax : undefined} value={total > 0 ? done + filesDone : undefined} />
      <dl className="facts" aria-live="polite">
        <div>
          <dt>Phase</dt>
          <dd>{progress === null ? 'Starting' : phaseText[progress.phase]}</dd>
        </div>
        <div>
          <dt>Conversations</dt>
          <dd>
            {formatCount(done)} of {total > 0 ? formatCount(total) : '…'}
          </dd>
        </div>
        <div>
          <dt>Now archiving</dt>
          <dd>{progress?.chatTitle ?? progress?.chatId ?? '—'}</dd>
        </div>
        <div>
          <dt>Messages stored</dt>
          <dd>{formatCount(progress?.messagesStored ?? 0)}</dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>
            {formatCount(progress?.filesStored ?? 0)} stored{filesLeft > 0 ? `, ${formatCount(filesLeft)} to go` : ''}
          </dd>
        </div>
        <div>
          <dt>API calls</dt>
          <dd>{formatCount(progress?.calls ?? 0)}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{progress === null || total === 0 ? 'estimating…' : `about ${formatDuration(progress.etaMs)}`}</dd>
        </div>
      </dl>
      {progress?.pausedUntil !== undefined && (
        <p className="notice" role="status">
          Cliq asked us to slow down; resuming at {formatTime(progress.pausedUntil, timeZone)} — nothing is lost.
        </p>
      )}
      {cancelling && <p className="muted">Finishing the current page so the archive stays consistent, then stopping.</p>}
    </section>
  );
}
