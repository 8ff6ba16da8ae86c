import type { AuditFormat } from '../../../../shared/audit';

/** How a bundle is written; what it covers is the shared filters (FilterPanel, shared/reviewFilters.ts). */
export interface BundleOptions {
  formats: AuditFormat[];
  ids: 'excel' | 'plain';
  verifyArchive: boolean;
  /** Copy the attachment files into the bundle (off: `--no-files`). */
  files: boolean;
  /** Write transcripts/: a readable HTML copy of each conversation (off: `--no-transcripts`). */
  transcripts: boolean;
  /** A calendar day (2026-03-31, its end in the settings' zone): the archive as it stood then; '' = as it is now. */
  asOf: string;
}

export const defaultOptions: BundleOptions = { formats: ['csv', 'jsonl'], ids: 'excel', verifyArchive: true, files: true, transcripts: true, asOf: '' };

/** `asOf`: offer the point-in-time date (not for a production from a review set: the set is the scope). */
export function BundleOptionsForm({ options, asOf = true, onChange }: { options: BundleOptions; asOf?: boolean; onChange: (patch: Partial<BundleOptions>) => void }) {
  const toggleFormat = (format: AuditFormat, on: boolean) => onChange({ formats: on ? [...options.formats, format] : options.formats.filter((f) => f !== format) });
  return (
    <div className="form audit-form">
      <div className="filter-row">
        <fieldset className="inline-choice">
          <legend>Formats</legend>
          <label className="check">
            <input type="checkbox" checked={options.formats.includes('csv')} onChange={(e) => toggleFormat('csv', e.target.checked)} /> CSV
          </label>
          <label className="check">
            <input type="checkbox" checked={options.formats.includes('jsonl')} onChange={(e) => toggleFormat('jsonl', e.target.checked)} /> JSON Lines
          </label>
          <label className="check" title="One .rsmf file per conversation, for review platforms such as Relativity; its attachments are inside it">
            <input type="checkbox" checked={options.formats.includes('rsmf')} onChange={(e) => toggleFormat('rsmf', e.target.checked)} /> RSMF 2.0
          </label>
        </fieldset>
        <fieldset className="inline-choice">
          <legend>Ids in CSV</legend>
          <label className="check">
            <input type="radio" name="ids" checked={options.ids === 'excel'} onChange={() => onChange({ ids: 'excel' })} /> for Excel (keeps all 19 digits)
          </label>
          <label className="check">
            <input type="radio" name="ids" checked={options.ids === 'plain'} onChange={() => onChange({ ids: 'plain' })} /> plain
          </label>
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={options.files} onChange={(e) => onChange({ files: e.target.checked })} /> Include attachment files
        </label>
        <label className="check">
          <input type="checkbox" checked={options.transcripts} onChange={(e) => onChange({ transcripts: e.target.checked })} /> Readable transcripts (HTML)
        </label>
        <label className="check">
          <input type="checkbox" checked={options.verifyArchive} onChange={(e) => onChange({ verifyArchive: e.target.checked })} /> Verify the archive first (records the seal in the manifest)
        </label>
      </div>
      {asOf && (
        <div className="filter-row">
          <label>
            As it stood at the end of (optional) <input type="date" value={options.asOf} onChange={(e) => onChange({ asOf: e.target.value })} aria-describedby="as-of-help" />
          </label>
          <p className="muted" id="as-of-help">
            Only messages sent by then and not yet deleted, with titles, members and texts as they were, beside the full record. The archive knows a change from the sync that noticed it, so "as of" is
            bounded by when it synced.
          </p>
        </div>
      )}
    </div>
  );
}
