import type { SyncDone } from '../../../../shared/views';
import { screenWords } from '../../../../shared/errors';
import { ErrorDetails, ErrorPanel } from '../../components/ErrorPanel';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatDuration } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';

/** What the last sync did: the numbers an auditor asks about, and every conversation that failed. */
/** Stops that only a new authorisation cures: the report offers the way back to Connect. */
const reauthorise = new Set<string>(['AUTH_INVALID_GRANT', 'AUTH_MISSING_CREDENTIALS', 'AUTH_REJECTED', 'NOT_ORG_ADMIN']);

export function SyncReportView({ done }: { done: SyncDone }) {
  if (done.report === undefined) return <ErrorPanel title="The sync stopped" error={done.error ?? { code: 'INTERNAL', message: 'The sync ended without a report.' }} />;
  const report = done.report;
  const c = report.counts;
  return (
    <section className="panel" aria-labelledby="sync-report-title">
      <div className="panel-head">
        <h2 id="sync-report-title">
          Sync finished: <StatusBadge status={report.cancelled ? 'cancelled' : report.status} />
        </h2>
        <span className="muted">
          run #{report.runId} · {formatDuration(report.endedAt - report.startedAt)} · {formatCount(report.callsTotal)} calls
        </span>
      </div>
      {report.fatal !== undefined && (
        <div role="alert">
          <p className="panel-error-text">{screenWords(report.fatal).message}</p>
          {screenWords(report.fatal).hint !== undefined && <p className="hint">{screenWords(report.fatal).hint}</p>}
          {reauthorise.has(report.fatal.code) && <a href={hrefFor('connect')}>Connect the org again</a>}
          <ErrorDetails code={report.fatal.code} />
        </div>
      )}
      <dl className="facts">
        <Fact label="New messages" value={c.messagesNew} />
        <Fact label="Changed messages" value={c.messagesChanged} />
        <Fact label="Deleted messages" value={c.messagesDeleted} />
        <Fact label="Conversations synced" value={c.conversationsSynced} />
        <Fact label="Unchanged" value={c.conversationsUnchanged} />
        <Fact label="Failed" value={c.conversationsFailed} />
        <Fact label="Members when first archived" value={c.membersFirstArchived ?? 0} />
        <Fact label="Members joined" value={c.membersJoined} />
        <Fact label="Members left" value={c.membersLeft} />
      </dl>
      {report.errors.length > 0 && (
        <>
          <h3>Errors ({report.errors.length})</h3>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Conversation</th>
                <th scope="col">Code</th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((error, i) => (
                <tr key={i}>
                  <td>{error.chatId !== undefined ? <a href={hrefFor('browse', [error.chatId])}>{error.chatId}</a> : (error.family ?? '—')}</td>
                  <td className="code">{error.code}</td>
                  <td>{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Fact({ label, value }: { label: string; value: number | undefined }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{formatCount(value ?? 0)}</dd>
    </div>
  );
}
