import type { RunSummary } from '../../../../shared/sync';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatDateTime, formatDuration } from '../../format';
import { useTimeZone } from '../../VaultState';

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

export function RunsTable({ runs }: { runs: RunSummary[] }) {
  const timeZone = useTimeZone();
  return (
    <table className="table" aria-label="Recent sync runs">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Started</th>
          <th scope="col">Took</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            New
          </th>
          <th scope="col" className="num">
            Changed
          </th>
          <th scope="col" className="num">
            Deleted
          </th>
          <th scope="col" className="num">
            Calls
          </th>
          <th scope="col" className="num">
            Errors
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td>#{run.id}</td>
            <td>{formatDateTime(run.startedAt, timeZone)}</td>
            <td>{run.endedAt === null ? '—' : formatDuration(run.endedAt - run.startedAt)}</td>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td className="num">{formatCount(run.counts.messagesNew ?? 0)}</td>
            <td className="num">{formatCount(run.counts.messagesChanged ?? 0)}</td>
            <td className="num">{formatCount(run.counts.messagesDeleted ?? 0)}</td>
            <td className="num">{formatCount(sum(run.calls))}</td>
            <td className="num">{run.errors.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
