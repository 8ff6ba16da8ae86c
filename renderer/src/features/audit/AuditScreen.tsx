import { useEffect, useId, useState } from 'react';
import type { AuditScopeInput } from '../../../../shared/audit';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { ShortHash } from '../../components/ShortHash';
import { StatusBadge } from '../../components/StatusBadge';
import type { AuditProgress } from '../../../../shared/audit';
import { formatBytes, formatCount, formatDate, formatDateTime } from '../../format';
import { useDebounced } from '../../hooks/useDebounced';
import { useJob } from '../../hooks/useJob';
import { useLoad } from '../../hooks/useLoad';
import { useVaultState } from '../../VaultState';
import { AuditResultView } from './AuditResultView';
import { BundleZipAction } from './BundleZipAction';
import { InclusionCheck } from './InclusionCheck';
import { SealHistory } from './SealHistory';
import { BundleOptionsForm, defaultOptions, type BundleOptions } from './AuditScopeForm';
import { FolderInput } from '../../components/FolderInput';
import { auditScopeOf, filtersFromParams, filtersNarrow, type ReviewFilters } from '../../../../shared/reviewFilters';
import { FilterPanel } from '../search/FilterPanel';
import { auditHref, ownQuery } from '../search/searchFilters';
import { produceHref, produceScopeOf, type ProduceScope } from '../reviewSets/produceLink';
import { ReviewSetScope } from './ReviewSetScope';

/**
 * The bundle's scope: the filters, or a review set's items by their tags (a production, which takes
 * no other filter, nor a date to stand as of).
 */
function toScope(filters: ReviewFilters, production: ProduceScope | null, options: BundleOptions, timeZone: string): AuditScopeInput {
  const { asOf, ...rest } = options;
  if (production !== null) return { timeZone, ...rest, reviewSet: { id: production.id, withTags: production.withTags, withoutTags: production.withoutTags } };
  return { ...auditScopeOf(filters, timeZone), ...rest, ...(asOf !== '' ? { asOf } : {}) };
}

function describeProgress(progress: AuditProgress): string {
  if (progress.dataset === 'files') return `Copying files: ${formatCount(progress.rows)} of ${formatCount(progress.total ?? progress.rows)} (${formatBytes(progress.bytes ?? 0)})`;
  if (progress.dataset === 'transcripts') return `Writing transcripts: ${formatCount(progress.rows)} of ${formatCount(progress.total ?? progress.rows)} conversations`;
  if (progress.dataset === 'rsmf') return `Writing RSMF files: ${formatCount(progress.rows)} of ${formatCount(progress.total ?? progress.rows)} conversations`;
  return `Writing ${progress.dataset}: ${formatCount(progress.rows)} rows`;
}

/**
 * The audit export. Its scope is the filters of Search (one model, shared/reviewFilters.ts), kept in
 * the URL as Search keeps them: "Export these results" on Search opens this screen on the same
 * filters, so the bundle covers exactly what the search found.
 */
export function AuditScreen({ params }: { params?: URLSearchParams }) {
  const api = useApi();
  const { settings, info } = useVaultState();
  const timeZone = settings.timeZone;
  // Read once, at mount: afterwards the screen writes the URL, never reads it back.
  const [filters, setFilters] = useState<ReviewFilters>(() => filtersFromParams(params ?? ownQuery('audit')));
  // "Produce…" on a review set: `?set=<id>&with=…&without=…` (reviewSets/produceLink.ts) until the reviewer goes back to filters.
  const [production, setProduction] = useState<ProduceScope | null>(() => produceScopeOf(params ?? ownQuery('audit')));
  const [options, setOptions] = useState<BundleOptions>(defaultOptions);
  const href = production !== null ? produceHref(production) : auditHref(filters);
  // Also after a hashchange to this screen's bare address (the sidebar's link): the scope on screen stays.
  useEffect(() => {
    window.history.replaceState(null, '', href);
  }, [href, params]);
  const [destination, setDestination] = useState('');
  const destinationId = useId();
  // The chain of custody (custody.txt): optional, one line each.
  const [matter, setMatter] = useState('');
  const [reason, setReason] = useState('');
  const matterId = useId();
  const reasonId = useId();
  const scope = toScope(filters, production, options, timeZone);
  const scopeKey = useDebounced(JSON.stringify(scope), 250);
  const preview = useLoad(() => api.invoke('audit:preview', JSON.parse(scopeKey) as AuditScopeInput), scopeKey);
  const conversations = useLoad(() => api.invoke('archive:conversations', { limit: 10_000 }), 'conversations');
  const people = useLoad(() => api.invoke('archive:people', { limit: 1_000 }), 'people');
  const groups = useLoad(() => api.invoke('archive:groups', {}), 'groups');
  const history = useLoad(() => api.invoke('audit:history', { limit: 50 }), 'history');
  const { job, start, cancel, error } = useJob('audit', history.reload);

  const running = job.state === 'running' || job.state === 'starting';
  const noFormat = options.formats.length === 0;

  return (
    <section className="screen" aria-labelledby="audit-title">
      <header className="screen-head">
        <h1 id="audit-title">Audit export</h1>
        <p className="muted">A bundle of CSV / JSON Lines files with a manifest, a data dictionary and SHA-256 sums, recorded in the archive's audit log. Dates are read in {timeZone}.</p>
      </header>

      {conversations.state === 'error' && <ErrorPanel error={conversations.error} onRetry={conversations.reload} />}
      <section className="panel" aria-labelledby="scope-title">
        <h2 id="scope-title">Scope</h2>
        {production !== null ? (
          <ReviewSetScope production={production} onUseFilters={() => setProduction(null)} />
        ) : (
          <>
            <p className="muted">
              {filtersNarrow(filters) || filters.text.trim() !== ''
                ? 'The messages these filters select, as Search lists them, and their conversations (a conversation picked is in scope even without a matching message).'
                : 'No filter: the whole archive.'}
            </p>
            <FilterPanel
              filters={filters}
              onChange={(patch) => setFilters((f) => ({ ...f, ...patch }))}
              conversations={conversations.data ?? []}
              people={people.data ?? []}
              groups={groups.data ?? []}
              timeZone={timeZone}
              textField
            />
          </>
        )}
      </section>
      <BundleOptionsForm options={options} asOf={production === null} onChange={(patch) => setOptions((o) => ({ ...o, ...patch }))} />

      <section className="panel" aria-labelledby="preview-title">
        <h2 id="preview-title">In scope</h2>
        {preview.state === 'error' && <ErrorPanel title="Could not count the scope" error={preview.error} onRetry={preview.reload} />}
        {preview.data === undefined && preview.state === 'loading' && <Loading label="Counting…" />}
        {preview.data !== undefined && (
          <dl className="facts" aria-label="Scope preview" aria-busy={preview.state === 'loading'}>
            <div>
              <dt>Conversations</dt>
              <dd>{formatCount(preview.data.conversations)}</dd>
            </div>
            <div>
              <dt>Messages</dt>
              <dd>{formatCount(preview.data.messages)}</dd>
            </div>
            <div>
              <dt>Senders</dt>
              <dd>{formatCount(preview.data.senders)}</dd>
            </div>
            <div>
              <dt>Attachments</dt>
              <dd>
                {formatCount(preview.data.attachments)} ({formatBytes(preview.data.attachmentBytes)} of files)
              </dd>
            </div>
            <div>
              <dt>Date span</dt>
              <dd>{preview.data.from === null ? '—' : `${formatDate(preview.data.from, timeZone)} → ${formatDate(preview.data.to, timeZone)}`}</dd>
            </div>
          </dl>
        )}
        <div className="form-row">
          <label htmlFor={matterId}>Matter (optional)</label>
          <input id={matterId} type="text" maxLength={200} value={matter} onChange={(e) => setMatter(e.target.value)} placeholder="the matter this bundle is for" />
          <label htmlFor={reasonId}>Reason (optional)</label>
          <input id={reasonId} type="text" maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why it is produced" />
        </div>
        <p className="muted" data-testid="bundle-signing">
          {info.bundleSigning.kind === 'installation' && info.bundleSigning.fingerprint === null ? (
            <>Bundles are signed with {info.bundleSigning.origin}.</>
          ) : info.bundleSigning.kind === 'installation' ? (
            <>
              Bundles are signed with {info.bundleSigning.origin}: <code className="hash">{info.bundleSigning.fingerprint}</code>
            </>
          ) : (
            <>Bundles are signed with a key made for each bundle ({info.bundleSigning.origin}).</>
          )}
        </p>
        <div className="form-actions">
          <label htmlFor={destinationId}>Destination folder (optional)</label>
          <FolderInput id={destinationId} purpose="exports" value={destination} onChange={setDestination} placeholder={settings.exportDir ?? 'the default export folder'} />
          <button
            type="button"
            className="primary"
            disabled={running || job.state === 'checking' || noFormat}
            onClick={() =>
              start({
                scope,
                destination: destination.trim() === '' ? undefined : destination.trim(),
                matter: matter.trim() === '' ? undefined : matter.trim(),
                reason: reason.trim() === '' ? undefined : reason.trim(),
              })
            }
          >
            Export bundle
          </button>
        </div>
        {noFormat && <p className="field-error">Pick at least one format.</p>}
      </section>

      {error !== null && <ErrorPanel title="The export failed" error={error} />}
      {running && (
        <section className="panel" aria-labelledby="export-progress-title">
          <div className="panel-head">
            <h2 id="export-progress-title">Exporting…</h2>
            <button type="button" className="danger" onClick={cancel} disabled={job.state === 'running' && job.cancelling}>
              Cancel export
            </button>
          </div>
          {job.state === 'running' && job.progress?.dataset === 'files' && job.progress.totalBytes !== undefined ? (
            <progress className="progress" aria-label="Export progress" value={job.progress.bytes ?? 0} max={Math.max(1, job.progress.totalBytes)} />
          ) : (
            <progress className="progress" aria-label="Export progress" />
          )}
          <p aria-live="polite">{job.state === 'running' && job.progress !== null ? describeProgress(job.progress) : 'Starting…'}</p>
        </section>
      )}
      {job.state === 'idle' && job.last?.result !== undefined && <AuditResultView result={job.last.result} />}
      {job.state === 'idle' && job.last?.error !== undefined && <ErrorPanel title="The export did not finish" error={job.last.error} />}

      <section aria-labelledby="history-title">
        <h2 id="history-title">Export history</h2>
        {history.state === 'error' && <ErrorPanel error={history.error} onRetry={history.reload} />}
        {history.data !== undefined &&
          (history.data.length === 0 ? (
            <EmptyState title="No exports yet">Each bundle written is listed here with who wrote it and its hash.</EmptyState>
          ) : (
            <table className="table" aria-label="Export history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Status</th>
                  <th scope="col">By</th>
                  <th scope="col">Bundle</th>
                  <th scope="col" className="num">
                    Files
                  </th>
                  <th scope="col">Hash</th>
                  <th scope="col">Check and take away</th>
                </tr>
              </thead>
              <tbody>
                {history.data.map((entry) => (
                  <tr key={entry.id}>
                    <td>{formatDateTime(entry.at, timeZone)}</td>
                    <td>
                      <StatusBadge status={entry.status} />
                    </td>
                    <td>
                      {entry.osUser}@{entry.host}
                    </td>
                    <td className="path">{entry.bundlePath}</td>
                    <td className="num">{entry.files}</td>
                    <td>
                      <ShortHash value={entry.bundleHash} />
                    </td>
                    <td>
                      {entry.status === 'complete' && (
                        <>
                          <InclusionCheck id={entry.id} label={entry.bundlePath} />
                          <BundleZipAction id={entry.id} label={entry.bundlePath} />
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </section>
      <SealHistory timeZone={timeZone} reloadKey={String(history.data?.[0]?.id ?? 0)} />
    </section>
  );
}
