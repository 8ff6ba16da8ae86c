import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/ApiError';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { navigate } from '../../hooks/useHashRoute';
import { useLoad } from '../../hooks/useLoad';
import { searchInputId } from '../../hooks/useShortcuts';
import { useTimeZone } from '../../VaultState';
import type { DirectoryGroup } from '../../../../shared/evidence';
import type { ConversationRow, Person } from '../../../../shared/views';
import { FilterPanel } from './FilterPanel';
import { rememberResults } from './HitNavigator';
import { auditHref, hitHref, ownQuery, reviewSetHref, searchHref, searchParamsOf, searchStateOf, type SearchOrder } from './searchFilters';
import { SearchResults } from './SearchResults';
import { usePaintMeasure } from './usePaintMeasure';
import { useSearch } from './useSearch';

/** Beyond this many hits, "Back to results" does not page on to where the reader was. */
const maxRestore = 2_000;

/**
 * Search, with the whole query in the URL (`#/search?q=…&chat=…&kind=…`, shared/reviewFilters.ts):
 * Back, reload and a shared link reopen the same results; `at` scrolls back to the hit last opened.
 */
export function SearchScreen({ params }: { params?: URLSearchParams }) {
  const api = useApi();
  const timeZone = useTimeZone();
  // Read once, at mount: afterwards the screen writes the URL, never reads it back.
  const [initial] = useState(() => {
    const query = params ?? ownQuery('search');
    const at = Number.parseInt(query.get('at') ?? '', 10);
    return { state: searchStateOf(query), at: Number.isInteger(at) && at >= 0 && at < maxRestore ? at : null };
  });
  const { text, setText, filters, updateFilters, order, setOrder, state, results, loadMore, retry } = useSearch(initial.state, timeZone);
  const people = useLoad(() => api.invoke('archive:people', { limit: 1_000 }), 'people');
  const groups = useLoad(() => api.invoke('archive:groups', {}), 'groups');
  const conversations = useLoad(() => api.invoke('archive:conversations', { limit: 10_000 }), 'conversations');
  const search = searchParamsOf(state);
  // The filter panel lists every conversation and person (10,000 and 1,000 choices on a big
  // archive). It is memoised and its props stay the same objects while only the words change, so a
  // keystroke or an answer does not render those lists again.
  const orderChoice = useMemo(
    () => (
      <label>
        Order{' '}
        <select value={order} onChange={(e) => setOrder(e.target.value as SearchOrder)}>
          <option value="newest">newest first</option>
          <option value="oldest">oldest first</option>
        </select>
      </label>
    ),
    [order, setOrder],
  );

  // Keep the query in the address so Back, a reload or a shared link reopens it; no hashchange.
  // Also after a hashchange to this screen's bare address (the sidebar's link): the search on screen stays.
  useEffect(() => {
    window.history.replaceState(null, '', searchHref(search));
  }, [search, params]);

  // Back to results at hit `at`: page on until it is loaded.
  const restoreAt = initial.at;
  useEffect(() => {
    if (restoreAt !== null && results.phase === 'ready' && results.hits.length <= restoreAt && results.nextCursor !== null && !results.loadingMore) loadMore();
  }, [restoreAt, results, loadMore]);
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
          onChange={(e) => setText(e.target.value)}
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
      <FilterPanel
        filters={filters}
        onChange={updateFilters}
        conversations={conversations.data ?? noConversations}
        people={people.data ?? noPeople}
        groups={groups.data ?? noGroups}
        timeZone={timeZone}
      >
        {orderChoice}
      </FilterPanel>

      <div className="results" data-search-state={searchState} data-search-seq={results.seq} data-search-query={results.query} aria-busy={results.phase === 'loading'}>
        {results.phase === 'idle' && <EmptyState title="Type to search the archive">Every word must appear (simple mode). Filters alone list what they select, newest first.</EmptyState>}
        {results.phase === 'loading' && results.hits.length === 0 && <Loading label="Searching…" />}
        {results.phase === 'error' && badQuery === null && <ErrorPanel title="The search failed" error={results.error} onRetry={retry} />}
        {(results.phase === 'ready' || results.phase === 'loading') && results.hits.length > 0 && (
          <>
            <div className="result-head">
              <p className="result-count muted" aria-live="polite">
                {results.hits.length}
                {results.nextCursor !== null ? '+' : ''} messages · dates and times in {timeZone}
              </p>
              <span className="row-actions">
                <button type="button" onClick={() => navigate(auditHref(state.filters))} title="Opens Audit export with these filters as the bundle's scope">
                  Export these {results.hits.length}
                  {results.nextCursor !== null ? '+' : ''} results…
                </button>
                <button
                  type="button"
                  onClick={() => navigate(reviewSetHref(state.filters))}
                  title="Opens the Review screen's new set form with these filters: the set freezes the messages they select"
                >
                  Make a review set…
                </button>
              </span>
            </div>
            <SearchResults
              hits={results.hits}
              names={results.names}
              timeZone={timeZone}
              listRef={listRef}
              restoreAt={restoreAt}
              onOpen={(hit, index) => {
                // Back (the browser's or the transcript's) returns to this hit; the transcript walks these results.
                window.history.replaceState(null, '', searchHref(search, index));
                rememberResults(search, timeZone, results.hits, results.nextCursor);
                navigate(hitHref(hit, search, index));
              }}
            />
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

const noConversations: ConversationRow[] = [];
const noPeople: Person[] = [];
const noGroups: DirectoryGroup[] = [];
