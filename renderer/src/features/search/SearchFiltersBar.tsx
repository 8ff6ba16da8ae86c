import { conversationKinds } from '../../../../shared/search';
import type { DirectoryGroup } from '../../../../shared/evidence';
import type { Person } from '../../../../shared/views';
import { GroupPicks } from '../../components/GroupPicks';
import { MultiPick } from '../../components/MultiPick';
import type { SearchFilters } from './searchFilters';

export function SearchFiltersBar({ filters, onChange, people, groups }: { filters: SearchFilters; onChange: (patch: Partial<SearchFilters>) => void; people: Person[]; groups: DirectoryGroup[] }) {
  return (
    <div className="filters" role="group" aria-label="Search filters">
      <fieldset className="inline-choice">
        <legend>Conversations</legend>
        {conversationKinds.map((kind) => (
          <label key={kind} className="check">
            <input
              type="checkbox"
              checked={filters.kinds.includes(kind)}
              onChange={(e) => onChange({ kinds: e.target.checked ? [...filters.kinds, kind] : filters.kinds.filter((k) => k !== kind) })}
            />{' '}
            {kind}
          </label>
        ))}
      </fieldset>
      <div className="filter-row">
        <label>
          From <input type="date" value={filters.from} onChange={(e) => onChange({ from: e.target.value })} />
        </label>
        <label>
          To <input type="date" value={filters.to} onChange={(e) => onChange({ to: e.target.value })} />
        </label>
        <label>
          Files{' '}
          <select value={filters.hasFile} onChange={(e) => onChange({ hasFile: e.target.value as SearchFilters['hasFile'] })}>
            <option value="any">with or without</option>
            <option value="yes">only with a file</option>
            <option value="no">only without</option>
          </select>
        </label>
        <label>
          Deleted messages{' '}
          <select value={filters.deleted} onChange={(e) => onChange({ deleted: e.target.value as SearchFilters['deleted'] })}>
            <option value="include">include</option>
            <option value="exclude">exclude</option>
            <option value="only">only deleted</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.includeVersions} onChange={(e) => onChange({ includeVersions: e.target.checked })} /> Include earlier versions
        </label>
        <label>
          Mode{' '}
          <select value={filters.mode} onChange={(e) => onChange({ mode: e.target.value as SearchFilters['mode'] })}>
            <option value="simple">simple (every word)</option>
            <option value="advanced">advanced (AND/OR/NOT, "phrase", prefix*)</option>
          </select>
        </label>
        <label>
          Order{' '}
          <select value={filters.order} onChange={(e) => onChange({ order: e.target.value as SearchFilters['order'] })}>
            <option value="newest">newest first</option>
            <option value="oldest">oldest first</option>
          </select>
        </label>
      </div>
      <details className="senders-pick">
        <summary>Senders{filters.senders.length > 0 ? ` (${filters.senders.length})` : ''}</summary>
        <MultiPick
          legend="Senders"
          options={people.map((p) => ({ value: p.userId, label: p.name ?? p.email ?? p.userId, detail: `${p.messages} messages` }))}
          selected={filters.senders}
          onChange={(senders) => onChange({ senders })}
          emptyText="No senders archived yet"
        />
      </details>
      <GroupPicks groups={groups} selection={filters} onChange={onChange} />
    </div>
  );
}
