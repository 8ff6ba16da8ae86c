import { useState } from 'react';
import type { InclusionReport } from '../../../../shared/archive';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ProblemList } from '../../components/ProblemList';
import { formatCount } from '../../format';

type State = { state: 'idle' | 'busy' } | { state: 'done'; report: InclusionReport } | { state: 'error'; error: unknown };

/**
 * "Check against this archive" for one bundle of the export history: whether its recorded seal is
 * still a link of this archive's chain and what became of each of its rows since (matched, purged
 * under a retention policy, changed by a later sync, or missing), in words.
 */
export function InclusionCheck({ id, label }: { id: number; label: string }) {
  const api = useApi();
  const [check, setCheck] = useState<State>({ state: 'idle' });
  const run = () => {
    setCheck({ state: 'busy' });
    api.invoke('audit:inclusion', { id }).then(
      (report) => setCheck({ state: 'done', report }),
      (error: unknown) => setCheck({ state: 'error', error }),
    );
  };
  return (
    <div className="inclusion-check">
      <button type="button" className="small" disabled={check.state === 'busy'} onClick={run} aria-label={`Check ${label} against this archive`}>
        {check.state === 'busy' ? 'Checking…' : 'Check against this archive'}
      </button>
      {check.state === 'error' && <ErrorPanel title="Could not check this bundle" error={check.error} />}
      {check.state === 'done' && <InclusionWords report={check.report} />}
    </div>
  );
}

function InclusionWords({ report }: { report: InclusionReport }) {
  const { rows } = report;
  const named = [...report.purged, ...report.changed, ...report.missing].slice(0, 5);
  return (
    <div role="status" className={report.included ? 'notice notice-good' : 'panel panel-error'}>
      <p>
        <strong>{report.included ? 'This bundle belongs to this archive.' : 'This bundle cannot be tied to this archive.'}</strong> Seal linked: {report.seal.linked ? 'yes' : 'no'} (
        {report.seal.detail})
      </p>
      <p>
        Rows: {formatCount(rows.matched)} unchanged, {formatCount(rows.purged)} purged under a retention policy, {formatCount(rows.changed)} changed by a later sync, {formatCount(rows.missing)}{' '}
        missing.
      </p>
      <ProblemList problems={report.problems} />
      {named.length > 0 && (
        <ul aria-label="Rows not as bundled">
          {named.map((f) => (
            <li key={`${f.table}:${JSON.stringify(f.key)}`}>
              {f.table} {Object.values(f.key).join(' / ')}: {f.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
