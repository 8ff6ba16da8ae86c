import { useState } from 'react';
import type { FilesCheck, VerifyReport } from '../../../../shared/archive';
import { useApi } from '../../api/ApiContext';
import { CopyButton } from '../../components/CopyButton';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatBytes, formatCount } from '../../format';

/** Recomputes every seal: tamper evidence an auditor can ask for. */
export function VerifyArchivePanel() {
  const api = useApi();
  const [state, setState] = useState<{ kind: 'idle' | 'busy' } | { kind: 'done'; report: VerifyReport } | { kind: 'error'; error: unknown }>({ kind: 'idle' });
  const [rehash, setRehash] = useState(false);
  return (
    <section className="panel" aria-labelledby="verify-title">
      <div className="panel-head">
        <h2 id="verify-title">Archive integrity</h2>
        <label>
          <input type="checkbox" checked={rehash} disabled={state.kind === 'busy'} onChange={(event) => setRehash(event.target.checked)} /> Re-hash attachment files
        </label>
        <button
          type="button"
          disabled={state.kind === 'busy'}
          onClick={() => {
            setState({ kind: 'busy' });
            api.invoke('archive:verify', { files: rehash }).then(
              (report) => setState({ kind: 'done', report }),
              (error: unknown) => setState({ kind: 'error', error }),
            );
          }}
        >
          {state.kind === 'busy' ? 'Verifying…' : 'Verify archive'}
        </button>
      </div>
      {state.kind === 'idle' && (
        <p className="muted">
          Re-reads every row and recomputes the hash chain of seals each sync closes, and checks that every stored attachment file is there with its size. Re-hashing reads every file again (slow for a
          large store).
        </p>
      )}
      {state.kind === 'error' && <ErrorPanel error={state.error} />}
      {state.kind === 'done' && (
        <div role="status" className={state.report.ok ? 'notice notice-good' : 'panel panel-error'}>
          <p>
            {state.report.ok ? 'Archive verified: OK.' : `Archive does NOT verify: ${state.report.problems.length} problem${state.report.problems.length === 1 ? '' : 's'}.`}{' '}
            {formatCount(state.report.rowsChecked)} rows, {formatCount(state.report.seals)} seals checked.
          </p>
          {state.report.files !== null && <FilesSummary files={state.report.files} />}
          {state.report.head !== null && (
            <p>
              Head seal: <code className="hash">{state.report.head}</code> <CopyButton value={state.report.head} label="Copy head seal hash" />
            </p>
          )}
          {state.report.problems.length > 0 && (
            <ul>
              {state.report.problems.slice(0, 50).map((p, i) => (
                <li key={i}>
                  <span className="code">{p.kind}</span> {p.table !== undefined ? `${p.table}: ` : ''}
                  {p.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** The file store's part of the report: counts, then the first findings. */
function FilesSummary({ files }: { files: FilesCheck }) {
  const bad = files.missing + files.changed + files.added;
  return (
    <>
      <p>
        {bad === 0 ? 'Attachment files: OK.' : `Attachment files do NOT verify: ${files.missing} missing, ${files.changed} changed${files.rehashed ? `, ${files.added} added` : ''}.`}{' '}
        {formatCount(files.filesChecked)} files {files.rehashed ? `re-hashed (${formatBytes(files.bytesHashed)})` : 'checked by size'}.
      </p>
      {files.findings.length > 0 && (
        <ul>
          {files.findings.slice(0, 50).map((f, i) => (
            <li key={i}>
              <span className="code">{f.code}</span> {f.detail}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
