import { useState } from 'react';
import type { RunSummary } from '../../../../shared/sync';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatDateTime, formatDuration } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { useJob } from '../../hooks/useJob';
import { useLoad, type Load } from '../../hooks/useLoad';
import { fileNameOf } from '../../components/OpenArchive';
import { useVaultState } from '../../VaultState';
import { RunsTable } from './RunsTable';
import { SourcesPanel } from './SourcesPanel';
import { SyncProgressPanel } from './SyncProgressPanel';
import { SyncReportView } from './SyncReportView';

export function SyncScreen() {
  const { info } = useVaultState();
  // An archive opened to read (serve --archive) with no org of its own: its runs, never a sync.
  if (info.archiveReadOnly && info.archivePath !== null) return <ReadOnlySync archivePath={info.archivePath} />;
  return <OrgSync />;
}

/** The Sync screen of the active org: its plan, the sync job, its runs and evidence sources. */
function OrgSync() {
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
  // On the demo org the simulator moves a day on when a run starts (simulator/demoDays.ts), so after
  // the first sync the button says what it will do.
  const demoDayNext = info.activeProfile?.demo === true && plan.data !== undefined && !plan.data.firstSync;
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
              {demoDayNext ? 'Simulate a day of activity and sync' : 'Start sync'}
            </button>
            <label className="check">
              <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} /> Full re-read (every conversation from the start, to catch edits and deletions older than the last
              run)
            </label>
          </div>
        </section>
      )}

      {job.state === 'idle' && job.last !== null && <SyncReportView done={job.last} />}

      <RecentRuns runs={runs} />

      <SourcesPanel generation={syncsDone} />
    </section>
  );
}

/** The archive's past runs (`sync:runs`), newest first. */
function RecentRuns({ runs, readOnly = false }: { runs: Load<RunSummary[]>; readOnly?: boolean }) {
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Recent runs</h2>
      {runs.state === 'error' && <ErrorPanel title="Could not read the runs" error={runs.error} onRetry={runs.reload} />}
      {runs.data === undefined && runs.state === 'loading' && <Loading />}
      {runs.data !== undefined &&
        (runs.data.length === 0 ? (
          <EmptyState title="No runs yet">{readOnly ? 'This archive records no sync run.' : 'Start the first sync above: it lists every conversation, then archives their messages.'}</EmptyState>
        ) : (
          <RunsTable runs={runs.data} />
        ))}
    </section>
  );
}

/**
 * The Sync screen for an archive read without credentials (`serve --archive` and no org of its
 * own): its run history, read-only; for a demo archive, the way to sync the demo org into it again.
 */
function ReadOnlySync({ archivePath }: { archivePath: string }) {
  const api = useApi();
  const { info, refresh } = useVaultState();
  const runs = useLoad(() => api.invoke('sync:runs', { limit: 20 }), 'runs');
  const [demo, setDemo] = useState<{ state: 'idle' | 'busy' } | { state: 'error'; error: unknown }>({ state: 'idle' });

  function syncDemoAgain() {
    setDemo({ state: 'busy' });
    api
      .invoke('connect:demo', { openArchive: true })
      .then(() => refresh())
      .then(
        () => setDemo({ state: 'idle' }),
        (error: unknown) => setDemo({ state: 'error', error }),
      );
  }

  return (
    <section className="screen" aria-labelledby="sync-title">
      <header className="screen-head">
        <h1 id="sync-title">Sync</h1>
        <p className="muted" title={archivePath}>
          Runs that made {fileNameOf(archivePath)}.
        </p>
      </header>
      {info.activeProfile === null ? (
        <p className="notice" role="note">
          No credentials here: the run history is shown read-only. <a href={hrefFor('connect')}>Connect the org</a> to sync.
        </p>
      ) : (
        <p className="notice" role="note">
          {info.activeProfile.name} keeps its own archive, not this one: the run history is shown read-only, and nothing is synced into it.
        </p>
      )}
      {info.archiveFromSimulator && (
        <section className="panel" aria-labelledby="sync-demo-title">
          <h2 id="sync-demo-title">A demo archive</h2>
          <p>
            Every run of this archive was made against the demo org (the Cliq simulator on this machine). Sync the demo org into it again to see a day of activity later: edits, deletions, joins and
            leaves.
          </p>
          <div className="form-actions">
            <button type="button" className="primary" disabled={demo.state === 'busy'} onClick={syncDemoAgain}>
              {demo.state === 'busy' ? 'Starting the demo…' : 'Sync the demo org again'}
            </button>
          </div>
          {demo.state === 'error' && <ErrorPanel title="Could not connect the demo org" error={demo.error} />}
        </section>
      )}
      <RecentRuns runs={runs} readOnly />
    </section>
  );
}
