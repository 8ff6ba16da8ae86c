import { useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../../shared/search';
import { useApi } from '../../api/ApiContext';
import { navigate, useHashRoute } from '../../hooks/useHashRoute';
import { useTimeZone } from '../../VaultState';
import { hitHref, searchHref, searchStateOf, toQuery } from './searchFilters';

interface Loaded {
  hits: SearchHit[];
  cursor: string | null;
  complete: boolean;
}

/**
 * The results last walked, kept while the app runs: the next hit is often in another conversation,
 * whose transcript mounts a new navigator, and the pages already read need not be read again.
 */
let last: { key: string; loaded: Loaded } | null = null;

/** The results a hit was opened from, as the Search screen holds them: walked without asking again. */
export function rememberResults(search: string, timeZone: string, hits: SearchHit[], nextCursor: string | null): void {
  last = { key: `${timeZone}|${search}`, loaded: { hits, cursor: nextCursor, complete: nextCursor === null } };
}

/**
 * In a transcript opened from a search hit (`results` and `hit` in the address, see hitHref):
 * "Back to results" and the previous / next hit of the same result list, paging it on as needed.
 * Renders nothing in a transcript opened otherwise.
 */
export function HitNavigator() {
  const route = useHashRoute();
  const api = useApi();
  const timeZone = useTimeZone();
  const results = route?.query.get('results') ?? null;
  const hinted = Number.parseInt(route?.query.get('hit') ?? '', 10);
  const focus = Number(route?.query.get('focus') ?? Number.NaN);
  const key = `${timeZone}|${results ?? ''}`;
  const [loaded, setLoaded] = useState<Loaded>(() => (last?.key === key ? last.loaded : { hits: [], cursor: null, complete: false }));
  const [error, setError] = useState(false);
  const loading = useRef(false);

  // The hint may be stale (the archive changed since): the focused message's own place wins.
  const found = loaded.hits.findIndex((h) => h.key === focus);
  const index = loaded.hits[hinted]?.key === focus || found < 0 ? (Number.isInteger(hinted) && hinted >= 0 ? hinted : 0) : found;

  useEffect(() => {
    if (results === null || loaded.complete || loaded.hits.length > index + 1 || loading.current || error) return;
    loading.current = true;
    const cursor = loaded.cursor ?? undefined;
    api.invoke('archive:search', toQuery(searchStateOf(new URLSearchParams(results)), timeZone, cursor)).then(
      (page) => {
        loading.current = false;
        const next = { hits: [...loaded.hits, ...page.hits], cursor: page.nextCursor, complete: page.nextCursor === null };
        last = { key, loaded: next };
        setLoaded(next);
      },
      () => {
        loading.current = false;
        setError(true);
      },
    );
  }, [api, results, timeZone, key, loaded, index, error]);

  if (results === null) return null;
  const prev = index > 0 ? loaded.hits[index - 1] : undefined;
  const next = loaded.hits[index + 1];
  const total = `${loaded.hits.length}${loaded.complete ? '' : '+'}`;
  return (
    <nav className="hit-nav" aria-label="Search hits">
      <a href={searchHref(results, index)} className="back">
        ← Back to results
      </a>
      <button type="button" className="small" disabled={prev === undefined} onClick={() => prev && navigate(hitHref(prev, results, index - 1))}>
        ← Previous hit
      </button>
      <span className="muted" aria-live="polite">
        {loaded.hits.length === 0 ? (error ? 'The results could not be read again' : 'Reading the results…') : `Hit ${index + 1} of ${total}`}
      </span>
      <button type="button" className="small" disabled={next === undefined} onClick={() => next && navigate(hitHref(next, results, index + 1))}>
        Next hit →
      </button>
    </nav>
  );
}
