import { scheduleInstallCommand } from '../../../../shared/scheduleCommandLine';
import { useApi } from '../../api/ApiContext';
import { CopyButton } from '../../components/CopyButton';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../format';
import { useEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone, useVaultState } from '../../VaultState';
import { ScheduleForm } from './ScheduleForm';
import { SnapshotsPanel } from './SnapshotsPanel';
import { VerifyArchivePanel } from './VerifyArchivePanel';

export function ScheduleScreen() {
  const api = useApi();
  const timeZone = useTimeZone();
  const { settings, info } = useVaultState();
  // A saved schedule starts the panels below afresh: a status or snapshot error from before the
  // save (no backup folder yet, say) must not stand beside "Saved.".
  const saved = JSON.stringify(settings.schedule);
  const status = useLoad(() => api.invoke('schedule:status', {}), saved);
  const inBrowser = info.shell === 'browser';
  const command = scheduleInstallCommand({ schedule: settings.schedule, archivePath: info.archivePath, profile: info.activeProfile, platform: info.platform });
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
                <dd>{inBrowser ? 'Not installed here: a browser does not run schedules.' : formatDateTime(status.data.nextRun, timeZone)}</dd>
              </div>
              <div>
                <dt>Last run</dt>
                <dd>{status.data.lastRun === null ? 'never' : `${formatDateTime(status.data.lastRun.at, timeZone)} — ${status.data.lastRun.ok ? 'ok' : 'failed'}: ${status.data.lastRun.message}`}</dd>
              </div>
            </dl>
            {inBrowser && (
              <div className="notice" role="note">
                <p>
                  In the browser, nothing runs while this page is closed: the operating system's scheduler runs the nightly job. Install it on the machine that holds the archive with this command (the
                  saved settings below):
                </p>
                {command !== null ? (
                  <p className="command-line">
                    <code>{command}</code> <CopyButton value={command} label="Copy the install command" />
                  </p>
                ) : (
                  <p>Choose a backup folder and save the schedule to get the command.</p>
                )}
              </div>
            )}
          </>
        )}
      </section>
      <ScheduleForm />
      <SnapshotsPanel key={saved} />
      <VerifyArchivePanel />
    </section>
  );
}
