import { useRef } from 'react';
import { ApiError } from '../../api/ApiError';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { hrefFor, navigate } from '../../hooks/useHashRoute';
import { useLoad } from '../../hooks/useLoad';
import { searchInputId } from '../../hooks/useShortcuts';
import { useTimeZone } from '../../VaultState';
import { SearchFiltersBar } from './SearchFiltersBar';
import { SearchResults } from './SearchResults';
import { usePaintMeasure } from './usePaintMeasure';
import { useSearch } from './useSearch';

export function SearchScreen({ initialText }: { initialText: string }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const { text, setText, filters, updateFilters, results, loadMore } = useSearch(initialText, timeZone);
  const people = useLoad(() => api.invoke('archive:people', { limit: 500 }), 'people');
  const groups = useLoad(() => api.invoke('archive:groups', {}), 'groups');
  const listRef = useRef<HTMLDivElement | null>(null);
  const paintedSeq = usePaintMeasure(results.phase === 'ready', results.seq, results.inputAt);

  const badQuery = results.phase === 'error' && results.error instanceof ApiError && results.error.code === 'BAD_QUERY' ? results.error : null;
  const searchState = results.phase === 'ready' ? (paintedSeq === results.seq ? 'done' : 'loading') : results.phase;

  return (
    <section className="screen search-screen" aria-labelledby="search-title">
      <header className="screen-head">
        <h1 id="search-title">Search</h1>
      </header>
      <div className="search-box" role="search">
        <label htmlFor={searchInputId} className="visually-hidden">
          Search messages
        </label>
        <input
          id={searchInputId}
          type="search"
          className="search-input"
          placeholder="Search every archived message…  ( / or Ctrl+K )"
          autoComplete="off"
          spellCheck={false}
          value={text}
          aria-invalid={badQuery !== null}
          aria-describedby={badQuery !== null ? 'search-error' : undefined}
          onChange={(e) => {
            setText(e.target.value);
            // Keep the query in the address so a reload or a shared link reopens it; no hashchange.
            window.history.replaceState(null, '', hrefFor('search', [], { q: e.target.value }));
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && listRef.current !== null) {
              e.preventDefault();
              listRef.current.focus();
            }
          }}
        />
        {badQuery !== null && (
          <div id="search-error" className="inline-error" role="alert">
            {badQuery.message}
            {badQuery.hint !== undefined && <span className="hint"> {badQuery.hint}</span>}
          </div>
        )}
      </div>
      <SearchFiltersBar filters={filters} onChange={updateFilters} people={people.data ?? []} groups={groups.data ?? []} />

      <div className="results" data-search-state={searchState} data-search-seq={results.seq} data-search-query={results.query} aria-busy={results.phase === 'loading'}>
        {results.phase === 'idle' && <EmptyState title="Type to search the archive">Every word must appear (simple mode). Filters alone list what they select, newest first.</EmptyState>}
        {results.phase === 'loading' && results.hits.length === 0 && <Loading label="Searching…" />}
        {results.phase === 'error' && badQuery === null && <ErrorPanel title="The search failed" error={results.error} onRetry={() => updateFilters({})} />}
        {(results.phase === 'ready' || results.phase === 'loading') && results.hits.length > 0 && (
          <>
            <p className="result-count muted" aria-live="polite">
              {results.hits.length}
              {results.nextCursor !== null ? '+' : ''} messages
            </p>
            <SearchResults hits={results.hits} names={results.names} timeZone={timeZone} listRef={listRef} onOpen={(hit) => navigate(hrefFor('browse', [hit.chatId], { focus: String(hit.key) }))} />
            {results.nextCursor !== null && (
              <button type="button" className="load-more" onClick={loadMore} disabled={results.loadingMore}>
                {results.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )}
        {results.phase === 'ready' && results.hits.length === 0 && (
          <EmptyState title="No messages match">Try fewer words, a wider date range, or include deleted messages and earlier versions.</EmptyState>
        )}
      </div>
    </section>
  );
}
