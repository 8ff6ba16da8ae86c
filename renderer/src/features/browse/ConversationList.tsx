import { useMemo, useState } from 'react';
import { fileCoverageWords } from '../../../../shared/attachments';
import { conversationKinds, type ConversationKind } from '../../../../shared/search';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatDateTime } from '../../format';
import { hrefFor, navigate } from '../../hooks/useHashRoute';
import { useDebounced } from '../../hooks/useDebounced';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { defaultConversationSort, nextSort, sortConversations, type ConversationSort, type ConversationSortKey } from './conversationSort';

/** Why a kind can be a guess: Cliq tells a chat's kind only to its members (H1, docs/cliq-api.md §7.5). */
const guessedTitle =
  "Cliq tells a chat's type only to its members, and the connected admin is not in this one (or may not list chats): direct means at most two participants, so a two-person group shows as direct.";

/** Rows drawn at once; the filter narrows a large org down. */
const shownRows = 500;

export function ConversationList() {
  const api = useApi();
  const timeZone = useTimeZone();
  const [kind, setKind] = useState<ConversationKind | ''>('');
  const [text, setText] = useState('');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const debouncedText = useDebounced(text.trim(), 200);
  const rows = useLoad(
    () => api.invoke('archive:conversations', { kinds: kind === '' ? undefined : [kind], text: debouncedText === '' ? undefined : debouncedText, onlyProblems }),
    JSON.stringify([kind, debouncedText, onlyProblems]),
  );
  const filtered = kind !== '' || debouncedText !== '' || onlyProblems;
  const [sort, setSort] = useState<ConversationSort>(defaultConversationSort);
  const sorted = useMemo(() => (rows.data === undefined ? [] : sortConversations(rows.data, sort)), [rows.data, sort]);

  return (
    <section className="screen" aria-labelledby="browse-title">
      <header className="screen-head">
        <h1 id="browse-title">Browse</h1>
        <div className="toolbar" role="search" aria-label="Filter conversations">
          <label>
            Type{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value as ConversationKind | '')}>
              <option value="">All types</option>
              {conversationKinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label>
            Title contains <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} /> Only problems
          </label>
        </div>
      </header>
      {rows.state === 'error' && <ErrorPanel title="Could not list the conversations" error={rows.error} onRetry={rows.reload} />}
      {rows.data === undefined && rows.state === 'loading' && <Loading />}
      {rows.data !== undefined &&
        (rows.data.length === 0 ? (
          filtered ? (
            <EmptyState title="No conversation matches">Clear the filters to see every conversation.</EmptyState>
          ) : (
            <EmptyState title="Nothing archived yet — run a sync">
              <a href={hrefFor('sync')}>Go to Sync</a> to archive the org's conversations.
            </EmptyState>
          )
        ) : (
          <>
            <table className="table table-interactive table-conversations" aria-label="Conversations" aria-busy={rows.state === 'loading'}>
              <colgroup>
                <col className="col-type" />
                <col />
                <col className="col-count" />
                <col className="col-count" />
                <col className="col-count" />
                <col className="col-count" />
                <col className="col-status" />
                <col className="col-files" />
                <col className="col-time" />
                <col className="col-time" />
              </colgroup>
              <thead>
                <tr>
                  <SortHeader column="type" label="Type" sort={sort} onSort={setSort} />
                  <SortHeader column="title" label="Title" sort={sort} onSort={setSort} />
                  <SortHeader column="members" label="Members" sort={sort} onSort={setSort} numeric />
                  <SortHeader column="onServer" label="On server" sort={sort} onSort={setSort} numeric />
                  <SortHeader column="archived" label="Archived" sort={sort} onSort={setSort} numeric />
                  <SortHeader column="deleted" label="Deleted" sort={sort} onSort={setSort} numeric />
                  <th scope="col">Coverage</th>
                  <th scope="col" className="num">
                    Files
                  </th>
                  <SortHeader column="lastMessage" label="Last message" sort={sort} onSort={setSort} />
                  <SortHeader column="lastSynced" label="Last synced" sort={sort} onSort={setSort} />
                </tr>
              </thead>
              <tbody>
                {sorted.slice(0, shownRows).map((row) => {
                  // Fewer archived than Cliq reports: something is missing (more is normal: deletions are kept).
                  const mismatch = row.serverMessageCount !== null && row.archivedCount < row.serverMessageCount;
                  return (
                    <tr key={row.chatId} onClick={() => navigate(hrefFor('browse', [row.chatId]))}>
                      <td>
                        <span className="tag">{row.kind}</span>
                        {row.kindSource === 'guessed' && (
                          <span className="mark mark-guessed" title={guessedTitle}>
                            kind guessed
                          </span>
                        )}
                      </td>
                      <td className="clamp" title={row.title ?? row.chatId}>
                        {/* The mark first: a clamped title would hide it. */}
                        {row.goneAt !== null && <span className="mark mark-deleted">gone</span>}
                        <a href={hrefFor('browse', [row.chatId])} dir="auto">
                          {row.title ?? row.chatId}
                        </a>
                      </td>
                      <td className="num">{formatCount(row.memberCount)}</td>
                      <td className="num">{formatCount(row.serverMessageCount)}</td>
                      <td className={mismatch ? 'num warn-text' : 'num'} title={mismatch ? 'Archived count differs from what Cliq reports' : undefined}>
                        {formatCount(row.archivedCount)}
                      </td>
                      <td className="num">{formatCount(row.deletedCount)}</td>
                      <td>
                        <StatusBadge status={row.errorCode ?? row.syncStatus} />
                      </td>
                      <td
                        className={row.files !== undefined && row.files.unavailable > 0 ? 'num warn-text' : 'num'}
                        title={row.files !== undefined ? fileCoverageWords(row.files) : 'No files shared'}
                        aria-label={row.files !== undefined ? `Files: ${fileCoverageWords(row.files)}` : 'No files shared'}
                      >
                        {row.files !== undefined ? `files ${formatCount(row.files.stored)}/${formatCount(row.files.referenced)}` : '—'}
                      </td>
                      <td>{formatDateTime(row.lastMessageAt, timeZone)}</td>
                      <td>{formatDateTime(row.lastCompleteAt, timeZone)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {rows.data.length > shownRows && (
              <p className="muted">
                Showing {shownRows} of {formatCount(rows.data.length)} conversations — filter by title or type to find the rest.
              </p>
            )}
          </>
        ))}
    </section>
  );
}

/** A column header that sorts the table: a button (click or Enter), with the order told by aria-sort. */
function SortHeader({
  column,
  label,
  sort,
  onSort,
  numeric = false,
}: {
  column: ConversationSortKey;
  label: string;
  sort: ConversationSort;
  onSort: (next: ConversationSort) => void;
  numeric?: boolean;
}) {
  const active = sort.key === column;
  return (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={active ? sort.direction : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(nextSort(sort, column))}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
        </span>
      </button>
    </th>
  );
}
