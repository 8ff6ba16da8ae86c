import { useState } from 'react';
import { ProblemList } from '../../components/ProblemList';
import { ShortHash } from '../../components/ShortHash';
import type { BundleReport } from '../../../../shared/archive';
import type { AuditResult } from '../../../../shared/audit';
import { useApi } from '../../api/ApiContext';
import { CopyButton } from '../../components/CopyButton';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatBytes, formatCount, formatDuration } from '../../format';

/** A finished bundle: where it is, its hash (what an auditor quotes), every file with its own hash. */
export function AuditResultView({ result }: { result: AuditResult }) {
  const api = useApi();
  const [revealNote, setRevealNote] = useState<string | null>(null);
  const [verify, setVerify] = useState<{ state: 'idle' } | { state: 'busy' } | { state: 'done'; report: BundleReport } | { state: 'error'; error: unknown }>({ state: 'idle' });

  return (
    <section className="panel" aria-labelledby="bundle-title">
      <h2 id="bundle-title">Bundle written</h2>
      <dl className="facts facts-wide">
        <div>
          <dt>Bundle</dt>
          <dd className="path">{result.bundlePath}</dd>
        </div>
        <div>
          <dt>Bundle hash (SHA-256 of SHA256SUMS)</dt>
          <dd>
            <code className="hash" aria-label="Bundle hash">
              {result.bundleHash}
            </code>{' '}
            <CopyButton value={result.bundleHash} label="Copy bundle hash" />
          </dd>
        </div>
        <div>
          <dt>Signature</dt>
          <dd>
            {result.signature.ephemeral ? 'An ephemeral key made for this bundle only (it proves the files unchanged, not who made them): ' : 'Signed by '}
            <code className="hash">{result.signature.fingerprint}</code>
          </dd>
        </div>
        <div>
          <dt>Took</dt>
          <dd>{formatDuration(result.durationMs)}</dd>
        </div>
        <div>
          <dt>Readable transcripts</dt>
          <dd>
            {result.transcripts === undefined
              ? 'left out'
              : `${formatCount(result.transcripts.conversations)} conversation${result.transcripts.conversations === 1 ? '' : 's'} in transcripts/ (${formatBytes(result.transcripts.bytes)}): open transcripts/index.html in any browser`}
          </dd>
        </div>
      </dl>
      <div className="form-actions">
        <button
          type="button"
          onClick={() => {
            setRevealNote(null);
            api.invoke('shell:reveal', { path: result.bundlePath }).then(
              ({ shown }) => setRevealNote(shown ? null : `Open this path in your file manager: ${result.bundlePath}`),
              (e: unknown) => setRevealNote(e instanceof Error ? e.message : String(e)),
            );
          }}
        >
          Show in folder
        </button>
        <button
          type="button"
          disabled={verify.state === 'busy'}
          onClick={() => {
            setVerify({ state: 'busy' });
            api.invoke('audit:verifyBundle', { bundlePath: result.bundlePath }).then(
              (report) => setVerify({ state: 'done', report }),
              (error: unknown) => setVerify({ state: 'error', error }),
            );
          }}
        >
          {verify.state === 'busy' ? 'Verifying…' : 'Verify bundle'}
        </button>
      </div>
      {revealNote !== null && (
        <p className="notice" role="status">
          {revealNote}
        </p>
      )}
      {verify.state === 'error' && <ErrorPanel title="Could not verify the bundle" error={verify.error} />}
      {verify.state === 'done' && <BundleReportView report={verify.report} />}
      {result.warnings.length > 0 && (
        <div className="notice" role="status">
          <strong>Warnings</strong>
          <ul>
            {result.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <table className="table" aria-label="Files in the bundle">
        <thead>
          <tr>
            <th scope="col">Dataset</th>
            <th scope="col">Format</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {result.files.map((file) => (
            <tr key={file.path}>
              <td>
                {file.dataset}
                {file.part !== undefined && (
                  <span className="muted">
                    {' '}
                    (part {file.part.index} of {file.part.of})
                  </span>
                )}
              </td>
              <td>{file.format}</td>
              <td className="num">{formatCount(file.rows)}</td>
              <td className="num">{formatBytes(file.bytes)}</td>
              <td>
                <ShortHash value={file.sha256} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function BundleReportView({ report }: { report: BundleReport }) {
  return (
    <div className={report.ok ? 'notice notice-good' : 'panel panel-error'} role="status">
      <p>{report.ok ? `Bundle verified: ${report.filesChecked} files match their hashes.` : `Bundle does not verify: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}.`}</p>
      {report.integrityHead !== null && (
        <p className="muted">
          Archive seal named in the manifest: <code className="hash">{report.integrityHead}</code>
        </p>
      )}
      <p data-testid="bundle-signature">{signatureWords(report.signature)}</p>
      {report.handOvers.length > 0 && (
        <ul aria-label="Hand-overs">
          {report.handOvers.map((h) => (
            <li key={h.index}>{`Hand-over ${h.index}${h.ok ? '' : ' (broken)'}: ${h.at}, ${h.from} to ${h.to}${h.note !== null ? ` (${h.note})` : ''}`}</li>
          ))}
        </ul>
      )}
      <ProblemList problems={report.problems} />
    </div>
  );
}

/** The signature in words: who signed, or that the key was ephemeral, or that it does not match. */
function signatureWords(s: BundleReport['signature']): string {
  switch (s.status) {
    case 'valid':
      return s.ephemeral === true
        ? `Signed with an ephemeral key (${s.fingerprint ?? '?'}): the files are unchanged since the bundle was made, but the key proves no producer identity.`
        : `Signed by ${s.fingerprint ?? '?'}.`;
    case 'invalid':
      return `The signature does not match: ${s.problem ?? 'the bundle was changed'}`;
    case 'absent':
      return 'Not signed (made before bundles were signed).';
  }
}
