import { useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatDateTime, formatDuration } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { useJob } from '../../hooks/useJob';
import { useLoad } from '../../hooks/useLoad';
import { useVaultState } from '../../VaultState';
import { RunsTable } from './RunsTable';
import { SourcesPanel } from './SourcesPanel';
import { SyncProgressPanel } from './SyncProgressPanel';
import { SyncReportView } from './SyncReportView';

export function SyncScreen() {
  const api = useApi();
  const { settings, info } = useVaultState();
  const timeZone = settings.timeZone;
  const [full, setFull] = useState(false);
  const plan = useLoad(() => api.invoke('sync:plan', {}), 'plan');
  const runs = useLoad(() => api.invoke('sync:runs', { limit: 20 }), 'runs');
  const [syncsDone, setSyncsDone] = useState(0);
  const { job, start, cancel, error } = useJob('sync', () => {
    plan.reload();
    runs.reload();
    setSyncsDone((n) => n + 1);
  });

  if (settings.activeProfile === null) {
    return (
      <section className="screen">
        <h1>Sync</h1>
        <EmptyState title="No org connected yet">
          <a href={hrefFor('connect')}>Connect an org</a> or try the demo org first.
        </EmptyState>
      </section>
    );
  }

  const running = job.state === 'running' || job.state === 'starting';
  return (
    <section className="screen" aria-labelledby="sync-title">
      <header className="screen-head">
        <h1 id="sync-title">Sync</h1>
        <p className="muted">Archives {info.activeProfile?.name ?? 'the org'}: new and edited messages, deletions, membership changes. Every run is sealed so later tampering shows.</p>
      </header>

      {info.activeProfile?.demo === true && (
        <p className="notice" role="note">
          This is the demo org. It has a day of activity between syncs — messages posted, edited and deleted, members joining and leaving, a role granted or revoked — so each sync after the first
          shows what the archive keeps: earlier versions, deletions noticed and membership history.
        </p>
      )}

      {error !== null && <ErrorPanel title="The sync could not start" error={error} />}

      {running ? (
        <SyncProgressPanel progress={job.state === 'running' ? job.progress : null} cancelling={job.state === 'running' && job.cancelling} onCancel={cancel} />
      ) : (
        <section className="panel" aria-labelledby="sync-plan-title">
          <h2 id="sync-plan-title">Next sync</h2>
          {plan.state === 'loading' && plan.data === undefined && <Loading label="Working out the plan…" />}
          {plan.state === 'error' && <ErrorPanel title="Could not plan the sync" error={plan.error} onRetry={plan.reload} />}
          {plan.data !== undefined && (
            <>
              <dl className="facts">
                <div>
                  <dt>Conversations known</dt>
                  <dd>{plan.data.firstSync ? 'first sync — learnt from the listing' : formatCount(plan.data.knownConversations)}</dd>
                </div>
                <div>
                  <dt>Estimated API calls</dt>
                  <dd>{formatCount(plan.data.estimatedCalls)}</dd>
                </div>
                <div>
                  <dt>Files to download</dt>
                  <dd>{plan.data.filesDue === null ? 'counted as conversations are archived' : formatCount(plan.data.filesDue)}</dd>
                </div>
                <div>
                  <dt>Estimated time</dt>
                  <dd>about {formatDuration(plan.data.estimatedMs)}</dd>
                </div>
                <div>
                  <dt>Last run</dt>
                  <dd>
                    {plan.data.lastRun === null ? (
                      'never'
                    ) : (
                      <>
                        {formatDateTime(plan.data.lastRun.startedAt, timeZone)} <StatusBadge status={plan.data.lastRun.status} />
                      </>
                    )}
                  </dd>
                </div>
              </dl>
              {plan.data.budget.length > 0 && (
                <div className="budget">
                  <span className="muted">Rate budget:</span>
                  <ul>
                    {plan.data.budget.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </div>
              )}
            </>
          )}
          <div className="form-actions">
            <button type="button" className="primary" disabled={job.state === 'checking'} onClick={() => start({ full })}>
              Start sync
            </button>
            <label className="check">
              <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} /> Full re-read (every conversation from the start, to catch edits and deletions older than the last
              run)
            </label>
          </div>
        </section>
      )}

      {job.state === 'idle' && job.last !== null && <SyncReportView done={job.last} />}

      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Recent runs</h2>
        {runs.state === 'error' && <ErrorPanel title="Could not read the runs" error={runs.error} onRetry={runs.reload} />}
        {runs.data === undefined && runs.state === 'loading' && <Loading />}
        {runs.data !== undefined &&
          (runs.data.length === 0 ? (
            <EmptyState title="No runs yet">Start the first sync above: it lists every conversation, then archives their messages.</EmptyState>
          ) : (
            <RunsTable runs={runs.data} />
          ))}
      </section>

      <SourcesPanel generation={syncsDone} />
    </section>
  );
}
