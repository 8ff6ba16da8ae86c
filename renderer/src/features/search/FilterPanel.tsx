import { memo, type ReactNode } from 'react';
import type { DirectoryGroup } from '../../../../shared/evidence';
import type { ReviewFilters } from '../../../../shared/reviewFilters';
import { conversationKinds } from '../../../../shared/search';
import { personLabel } from '../../../../shared/people';
import type { ConversationRow, Person } from '../../../../shared/views';
import { GroupPicks } from '../../components/GroupPicks';
import { MultiPick } from '../../components/MultiPick';

/** The message types Cliq documents, plus `card`; a type named in a link but not listed here is kept as an extra choice. */
const knownTypes = ['text', 'file', 'info', 'card'];

/** People as choices, by the one display rule (shared/people.ts): a name two people share gets their e-mail. */
export function peopleOptions(people: Person[]) {
  const named = new Map<string, number>();
  for (const p of people) if (p.name !== null) named.set(p.name.trim(), (named.get(p.name.trim()) ?? 0) + 1);
  return people.map((p) => ({ value: p.userId, label: personLabel({ id: p.userId, name: p.name, email: p.email }, (named.get(p.name?.trim() ?? '') ?? 0) > 1), detail: `${p.messages} messages` }));
}

const count = (picked: string[]) => (picked.length > 0 ? ` (${picked.length})` : '');

/**
 * The one filter panel of the reviewer's screens (Search and Audit): the same filters, the same
 * words, the same meaning (shared/reviewFilters.ts). `textField` adds the words to find (Search has
 * its own search box); `children` go at the end of the row of choices (Search's order).
 */
export const FilterPanel = memo(function FilterPanel({
  filters,
  onChange,
  conversations,
  people,
  groups,
  timeZone,
  textField = false,
  children,
}: {
  filters: ReviewFilters;
  onChange: (patch: Partial<ReviewFilters>) => void;
  conversations: ConversationRow[];
  people: Person[];
  groups: DirectoryGroup[];
  timeZone: string;
  textField?: boolean;
  children?: ReactNode;
}) {
  const personOptions = peopleOptions(people);
  const types = [...new Set([...knownTypes, ...filters.types])];
  return (
    <div className="filters" role="group" aria-label="Filters">
      <div className="filter-row">
        {textField && (
          <label>
            Containing <input type="search" value={filters.text} onChange={(e) => onChange({ text: e.target.value })} placeholder="words (optional)" />
          </label>
        )}
        <fieldset className="inline-choice">
          <legend>Dates in {timeZone}</legend>
          <label>
            From <input type="date" value={filters.from} onChange={(e) => onChange({ from: e.target.value })} />
          </label>{' '}
          <label>
            To <input type="date" value={filters.to} onChange={(e) => onChange({ to: e.target.value })} />
          </label>
        </fieldset>
        <fieldset className="inline-choice">
          <legend>Kinds</legend>
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
        <fieldset className="inline-choice">
          <legend>Message types</legend>
          {types.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={filters.types.includes(type)}
                onChange={(e) => onChange({ types: e.target.checked ? [...filters.types, type] : filters.types.filter((t) => t !== type) })}
              />{' '}
              {type}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="filter-row">
        <label>
          Files{' '}
          <select value={filters.hasFile} onChange={(e) => onChange({ hasFile: e.target.value as ReviewFilters['hasFile'] })}>
            <option value="any">with or without</option>
            <option value="yes">only with a file</option>
            <option value="no">only without</option>
          </select>
        </label>
        <label>
          Deleted messages{' '}
          <select value={filters.deleted} onChange={(e) => onChange({ deleted: e.target.value as ReviewFilters['deleted'] })}>
            <option value="include">include</option>
            <option value="exclude">exclude</option>
            <option value="only">only deleted</option>
          </select>
        </label>
        <label>
          Edited{' '}
          <select value={filters.edited} onChange={(e) => onChange({ edited: e.target.value as ReviewFilters['edited'] })}>
            <option value="any">edited or not</option>
            <option value="yes">only with earlier versions</option>
            <option value="no">only never edited</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.includeVersions} onChange={(e) => onChange({ includeVersions: e.target.checked })} /> Find words in earlier versions too
        </label>
        <label>
          Mode{' '}
          <select value={filters.mode} onChange={(e) => onChange({ mode: e.target.value as ReviewFilters['mode'] })}>
            <option value="simple">simple (every word)</option>
            <option value="advanced">advanced (AND/OR/NOT, "phrase", prefix*)</option>
          </select>
        </label>
        {children}
      </div>
      <div className="filter-picks">
        <details className="conversations-pick">
          <summary>Conversations{count(filters.conversations)}</summary>
          <MultiPick
            legend="Conversations"
            options={conversations.map((c) => ({ value: c.chatId, label: c.title ?? c.chatId, detail: c.kind }))}
            selected={filters.conversations}
            onChange={(picked) => onChange({ conversations: picked })}
            emptyText="No conversations archived yet"
          />
          <p className="muted">A channel brings its threads.</p>
        </details>
        <details className="participants-pick">
          <summary>Participants{count(filters.participants)}</summary>
          <MultiPick legend="Participants" options={personOptions} selected={filters.participants} onChange={(picked) => onChange({ participants: picked })} emptyText="No people archived yet" />
          <p className="muted">Conversations any of them was ever a member of.</p>
        </details>
        <details className="senders-pick">
          <summary>Senders{count(filters.senders)}</summary>
          <MultiPick legend="Senders" options={personOptions} selected={filters.senders} onChange={(picked) => onChange({ senders: picked })} emptyText="No senders archived yet" />
        </details>
        <GroupPicks groups={groups} selection={filters} onChange={onChange} />
      </div>
    </div>
  );
});
