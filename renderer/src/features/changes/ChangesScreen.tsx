import { useState, type SubmitEvent } from 'react';
import { changeKindLabels, changeKinds, type ChangeItem, type ChangeKind, type ChangeReport } from '../../../../shared/changes';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { TableHead } from '../../components/TableHead';
import { formatCount, formatDateTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { hrefFor } from '../../hooks/useHashRoute';
import { useTimeZone } from '../../VaultState';

type Since = { by: 'run'; run: string } | { by: 'date'; date: string };
type Shown = { state: 'idle' } | { state: 'loading' } | { state: 'done'; report: ChangeReport } | { state: 'error'; error: unknown };

/**
 * "What changed?": the change report of the sync runs after a run or since a day — new, edited and
 * deleted messages, joins and leaves, renamed or archived conversations, people and directory
 * changes, attachments that could not be stored — each linked to its transcript. It is read from
 * what the archive recorded at each sync, so it is exact for what the archive saw.
 */
export function ChangesScreen() {
  const api = useApi();
  const timeZone = useTimeZone();
  const runs = useLoad(() => api.invoke('sync:runs', { limit: 100 }), 'runs');
  const [since, setSince] = useState<Since>({ by: 'run', run: '' });
  const [shown, setShown] = useState<Shown>({ state: 'idle' });
  // The default: what the latest run brought (the runs after the one before it).
  const latest = runs.data?.[0]?.id;
  const run = since.by === 'run' && since.run === '' ? String(Math.max(0, (latest ?? 1) - 1)) : since.by === 'run' ? since.run : '';

  function show(event: SubmitEvent) {
    event.preventDefault();
    const query = since.by === 'run' ? { sinceRun: Number(run), timeZone } : { since: since.date, timeZone };
    setShown({ state: 'loading' });
    api.invoke('archive:changes', query).then(
      (report) => setShown({ state: 'done', report }),
      (error: unknown) => setShown({ state: 'error', error }),
    );
  }

  return (
    <section className="screen" aria-labelledby="changes-title">
      <header className="screen-head">
        <h1 id="changes-title">Changes</h1>
        <p className="lead">
          What the syncs brought: new, edited and deleted messages, who joined and left, renamed or archived conversations, people and directory changes, and attachments that could not be kept.
          Each sync recorded what it saw, so this is exact for what the archive saw — a change made and undone between two syncs is not seen.
        </p>
      </header>
      {runs.error !== undefined && <ErrorPanel title="Could not read the sync runs" error={runs.error} />}
      <form className="panel" aria-label="Changes since" onSubmit={show}>
        <fieldset>
          <legend>Since</legend>
          <label className="check">
            <input type="radio" name="since" checked={since.by === 'run'} onChange={() => setSince({ by: 'run', run })} /> after the sync run
          </label>{' '}
          <select aria-label="Sync run" value={run} disabled={since.by !== 'run'} onChange={(e) => setSince({ by: 'run', run: e.target.value })}>
            <option value="0">0 (everything archived)</option>
            {(runs.data ?? []).map((r) => (
              <option key={r.id} value={String(r.id)}>
                {r.id} — {formatDateTime(r.startedAt, timeZone)} ({r.status})
              </option>
            ))}
          </select>
          <label className="check">
            <input type="radio" name="since" checked={since.by === 'date'} onChange={() => setSince({ by: 'date', date: since.by === 'date' ? since.date : '' })} /> runs since the day
          </label>{' '}
          <input type="date" aria-label="Since the day" value={since.by === 'date' ? since.date : ''} disabled={since.by !== 'date'} onChange={(e) => setSince({ by: 'date', date: e.target.value })} />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={shown.state === 'loading' || (since.by === 'date' && since.date === '')}>
            Show the changes
          </button>
        </div>
      </form>
      {shown.state === 'loading' && <Loading label="Reading the changes…" />}
      {shown.state === 'error' && <ErrorPanel title="Could not read the changes" error={shown.error} />}
      {shown.state === 'done' && <Report report={shown.report} timeZone={timeZone} />}
    </section>
  );
}

function Report({ report, timeZone }: { report: ChangeReport; timeZone: string }) {
  const { range } = report;
  if (range.runs.length === 0) return <EmptyState title="No sync run since then">Nothing was archived after it.</EmptyState>;
  return (
    <>
      <table className="table" aria-label="Changes by kind">
        <caption>
          {range.runs.length === 1 ? `Sync run ${range.throughRun}` : `Sync runs ${range.runs[0]?.runId ?? ''}–${range.throughRun}`}, {formatDateTime(range.runs[0]?.startedAt ?? 0, timeZone)} onwards
        </caption>
        <tbody>
          {changeKinds.map((kind) => (
            <tr key={kind}>
              <th scope="row">{changeKindLabels[kind]}</th>
              <td className="num">{formatCount(report.counts[kind])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {changeKinds
        .filter((kind) => report.counts[kind] > 0)
        .map((kind) => (
          <KindItems key={kind} kind={kind} items={report.items.filter((item) => item.kind === kind)} total={report.counts[kind]} timeZone={timeZone} />
        ))}
    </>
  );
}

function KindItems({ kind, items, total, timeZone }: { kind: ChangeKind; items: ChangeItem[]; total: number; timeZone: string }) {
  return (
    <section className="panel" aria-label={changeKindLabels[kind]}>
      <h2>
        {changeKindLabels[kind]} {items.length < total ? `(newest ${formatCount(items.length)} of ${formatCount(total)})` : `(${formatCount(total)})`}
      </h2>
      <table className="table">
        <TableHead columns={['When', 'Conversation', 'Who', 'What']} />
        <tbody>
          {items.map((item, index) => (
            <tr key={`${item.runId}-${item.chatId ?? ''}-${item.messageId ?? ''}-${index}`}>
              <td>{item.at === null ? '—' : formatDateTime(item.at, timeZone)}</td>
              <td>{item.chatId === null ? '—' : <a href={hrefFor('browse', [item.chatId], item.messageKey === null ? {} : { focus: String(item.messageKey) })}>{item.chatTitle ?? item.chatId}</a>}</td>
              <td>{item.who ?? '—'}</td>
              <td>{item.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
