import type { AuditFormat } from '../../../../shared/audit';
import type { DirectoryGroup } from '../../../../shared/evidence';
import type { ConversationRow, Person } from '../../../../shared/views';
import { GroupPicks, noGroups, type GroupSelection } from '../../components/GroupPicks';
import { MultiPick } from '../../components/MultiPick';

export interface ScopeForm extends GroupSelection {
  conversations: string[];
  senders: string[];
  from: string;
  to: string;
  query: string;
  deleted: 'include' | 'exclude' | 'only';
  formats: AuditFormat[];
  ids: 'excel' | 'plain';
  verifyArchive: boolean;
  /** Copy the attachment files into the bundle (off: `--no-files`). */
  files: boolean;
  /** Write transcripts/: a readable HTML copy of each conversation (off: `--no-transcripts`). */
  transcripts: boolean;
}

export const defaultScope: ScopeForm = {
  ...noGroups,
  conversations: [],
  senders: [],
  from: '',
  to: '',
  query: '',
  deleted: 'include',
  formats: ['csv', 'jsonl'],
  ids: 'excel',
  verifyArchive: true,
  files: true,
  transcripts: true,
};

export function AuditScopeForm({
  scope,
  onChange,
  conversations,
  people,
  groups,
}: {
  scope: ScopeForm;
  onChange: (patch: Partial<ScopeForm>) => void;
  conversations: ConversationRow[];
  people: Person[];
  groups: DirectoryGroup[];
}) {
  const toggleFormat = (format: AuditFormat, on: boolean) => onChange({ formats: on ? [...scope.formats, format] : scope.formats.filter((f) => f !== format) });
  return (
    <div className="form audit-form">
      <div className="form-row">
        <MultiPick
          legend="Conversations"
          options={conversations.map((c) => ({ value: c.chatId, label: c.title ?? c.chatId, detail: c.kind }))}
          selected={scope.conversations}
          onChange={(conversations) => onChange({ conversations })}
          emptyText="No conversations archived yet"
        />
        <MultiPick
          legend="Senders"
          options={people.map((p) => ({ value: p.userId, label: p.name ?? p.email ?? p.userId, ...(p.email !== null ? { detail: p.email } : {}) }))}
          selected={scope.senders}
          onChange={(senders) => onChange({ senders })}
          emptyText="No senders archived yet"
        />
      </div>
      <GroupPicks groups={groups} selection={scope} onChange={onChange} />
      <p className="muted">No conversation picked means every conversation (or those holding the messages the filters below select).</p>
      <div className="filter-row">
        <label>
          From <input type="date" value={scope.from} onChange={(e) => onChange({ from: e.target.value })} />
        </label>
        <label>
          To <input type="date" value={scope.to} onChange={(e) => onChange({ to: e.target.value })} />
        </label>
        <label>
          Containing <input type="search" value={scope.query} onChange={(e) => onChange({ query: e.target.value })} placeholder="words (optional)" />
        </label>
        <label>
          Deleted messages{' '}
          <select value={scope.deleted} onChange={(e) => onChange({ deleted: e.target.value as ScopeForm['deleted'] })}>
            <option value="include">include</option>
            <option value="exclude">exclude</option>
            <option value="only">only deleted</option>
          </select>
        </label>
      </div>
      <div className="filter-row">
        <fieldset className="inline-choice">
          <legend>Formats</legend>
          <label className="check">
            <input type="checkbox" checked={scope.formats.includes('csv')} onChange={(e) => toggleFormat('csv', e.target.checked)} /> CSV
          </label>
          <label className="check">
            <input type="checkbox" checked={scope.formats.includes('jsonl')} onChange={(e) => toggleFormat('jsonl', e.target.checked)} /> JSON Lines
          </label>
        </fieldset>
        <fieldset className="inline-choice">
          <legend>Ids in CSV</legend>
          <label className="check">
            <input type="radio" name="ids" checked={scope.ids === 'excel'} onChange={() => onChange({ ids: 'excel' })} /> for Excel (keeps all 19 digits)
          </label>
          <label className="check">
            <input type="radio" name="ids" checked={scope.ids === 'plain'} onChange={() => onChange({ ids: 'plain' })} /> plain
          </label>
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={scope.files} onChange={(e) => onChange({ files: e.target.checked })} /> Include attachment files
        </label>
        <label className="check">
          <input type="checkbox" checked={scope.transcripts} onChange={(e) => onChange({ transcripts: e.target.checked })} /> Readable transcripts (HTML)
        </label>
        <label className="check">
          <input type="checkbox" checked={scope.verifyArchive} onChange={(e) => onChange({ verifyArchive: e.target.checked })} /> Verify the archive first (records the seal in the manifest)
        </label>
      </div>
    </div>
  );
}
