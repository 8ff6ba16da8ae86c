import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../../shared/search';
import { useApi } from '../../api/ApiContext';
import { toQuery, type SearchOrder, type SearchState } from './searchFilters';
import { emptyNames, mergeNames, type MentionNames } from '../../../../shared/markup';
import { filtersNarrow, type ReviewFilters } from '../../../../shared/reviewFilters';

/**
 * A search on a million messages answers in ~15 ms (p95, BENCHMARKS.md), so the wait only spares
 * the archive a query per keystroke of a fast typist; it is part of every keystroke-to-paint figure.
 */
export const debounceMs = 50;

export interface SearchResults {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  /** The query number these results (or this error) answer. */
  seq: number;
  /** The text they answer (the benchmark waits for the text it typed). */
  query: string;
  hits: SearchHit[];
  /** Names of what the hits' snippets mention (every page's, merged). */
  names: MentionNames;
  nextCursor: string | null;
  error: unknown;
  /** performance.now() of the last input that produced this query: where input-to-paint starts. */
  inputAt: number | null;
  loadingMore: boolean;
}

/**
 * Search as you type: each change waits {@link debounceMs}, then runs as query number n; an
 * answer is shown only if it is the latest query's, so a slow answer to "inv" never replaces the
 * answer to "invoice".
 */
export function useSearch(initial: SearchState, timeZone: string) {
  const api = useApi();
  const [text, setTextState] = useState(initial.filters.text);
  // The filters' own `text` is not read: the words are `text`, kept apart for the keystroke measure.
  const [filters, setFilters] = useState<ReviewFilters>(initial.filters);
  const [order, setOrderState] = useState<SearchOrder>(initial.order);
  const [results, setResults] = useState<SearchResults>({ phase: 'idle', seq: 0, query: '', hits: [], names: emptyNames(), nextCursor: null, error: undefined, inputAt: null, loadingMore: false });
  const seq = useRef(0);
  const lastInputAt = useRef<number | null>(null);

  /** Called from the input event itself, so the mark is the moment the key landed. */
  const setText = useCallback((next: string) => {
    performance.mark('search:input');
    lastInputAt.current = performance.now();
    setTextState(next);
  }, []);

  const updateFilters = useCallback((patch: Partial<ReviewFilters>) => {
    lastInputAt.current = performance.now();
    setFilters((f) => ({ ...f, ...patch }));
  }, []);

  const setOrder = useCallback((next: SearchOrder) => {
    lastInputAt.current = performance.now();
    setOrderState(next);
  }, []);

  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);

  const state: SearchState = { filters: { ...filters, text }, order };
  const stateKey = JSON.stringify(state);

  useEffect(() => {
    const current = JSON.parse(stateKey) as SearchState;
    if (current.filters.text.trim() === '' && !filtersNarrow(current.filters)) {
      seq.current++;
      setResults({ phase: 'idle', seq: seq.current, query: '', hits: [], names: emptyNames(), nextCursor: null, error: undefined, inputAt: null, loadingMore: false });
      return;
    }
    const timer = setTimeout(() => {
      const n = ++seq.current;
      const inputAt = lastInputAt.current;
      setResults((r) => ({ ...r, phase: 'loading', seq: n, error: undefined, loadingMore: false }));
      api.invoke('archive:search', toQuery(current, timeZone)).then(
        (page) => {
          if (n === seq.current)
            setResults({
              phase: 'ready',
              seq: n,
              query: current.filters.text,
              hits: page.hits,
              names: mergeNames(emptyNames(), page.names),
              nextCursor: page.nextCursor,
              error: undefined,
              inputAt,
              loadingMore: false,
            });
        },
        (error: unknown) => {
          if (n === seq.current) setResults({ phase: 'error', seq: n, query: current.filters.text, hits: [], names: emptyNames(), nextCursor: null, error, inputAt, loadingMore: false });
        },
      );
    }, debounceMs);
    return () => clearTimeout(timer);
  }, [api, stateKey, timeZone, attempt]);

  const loadMore = useCallback(() => {
    if (results.phase !== 'ready' || results.nextCursor === null || results.loadingMore) return;
    const n = seq.current;
    const cursor = results.nextCursor;
    setResults((r) => ({ ...r, loadingMore: true }));
    api.invoke('archive:search', toQuery(JSON.parse(stateKey) as SearchState, timeZone, cursor)).then(
      (page) => {
        if (n === seq.current) setResults((r) => ({ ...r, hits: [...r.hits, ...page.hits], names: mergeNames(r.names, page.names), nextCursor: page.nextCursor, loadingMore: false }));
      },
      (error: unknown) => {
        if (n === seq.current) setResults((r) => ({ ...r, phase: 'error', error, loadingMore: false }));
      },
    );
  }, [api, results, stateKey, timeZone]);

  return { text, setText, filters, updateFilters, order, setOrder, state, results, loadMore, retry };
}
