import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../format';
import { useEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { ScheduleForm } from './ScheduleForm';
import { SnapshotsPanel } from './SnapshotsPanel';
import { VerifyArchivePanel } from './VerifyArchivePanel';

export function ScheduleScreen() {
  const api = useApi();
  const timeZone = useTimeZone();
  const status = useLoad(() => api.invoke('schedule:status', {}), 'status');
  useEvent('schedule:ran', status.reload);

  return (
    <section className="screen" aria-labelledby="schedule-title">
      <header className="screen-head">
        <h1 id="schedule-title">Schedule &amp; backups</h1>
      </header>
      <section className="panel" aria-labelledby="schedule-status-title">
        <h2 id="schedule-status-title">Status</h2>
        {status.state === 'loading' && status.data === undefined && <Loading />}
        {status.state === 'error' && <ErrorPanel error={status.error} onRetry={status.reload} />}
        {status.data !== undefined && (
          <>
            <dl className="facts">
              <div>
                <dt>Schedule</dt>
                <dd>{status.data.enabled ? 'on' : 'off'}</dd>
              </div>
              <div>
                <dt>Next run</dt>
                <dd>{formatDateTime(status.data.nextRun, timeZone)}</dd>
              </div>
              <div>
                <dt>Last run</dt>
                <dd>{status.data.lastRun === null ? 'never' : `${formatDateTime(status.data.lastRun.at, timeZone)} — ${status.data.lastRun.ok ? 'ok' : 'failed'}: ${status.data.lastRun.message}`}</dd>
              </div>
            </dl>
            {!status.data.runsInApp && (
              <p className="notice">
                In the browser, nothing runs while this page is closed: the operating system's scheduler runs the nightly job. Install it with <code>cliq-vault schedule --install</code> on the machine
                that holds the archive.
              </p>
            )}
          </>
        )}
      </section>
      <ScheduleForm />
      <SnapshotsPanel />
      <VerifyArchivePanel />
    </section>
  );
}
