import { filtersFromParams, filtersToParams, searchQueryOf, type ReviewFilters } from '../../../../shared/reviewFilters';
import type { SearchQueryInput } from '../../../../shared/search';
import { hrefFor, parseHash, type Screen } from '../../hooks/useHashRoute';

export type SearchOrder = 'newest' | 'oldest';

/** Hits per page: the transcript's previous/next walks the same pages. */
export const pageSize = 50;

/** A whole search as the URL carries it: the filters (text included) and the order. */
export interface SearchState {
  filters: ReviewFilters;
  order: SearchOrder;
}

export function toQuery(state: SearchState, timeZone: string, cursor?: string): SearchQueryInput {
  return { ...searchQueryOf(state.filters, timeZone), order: state.order, limit: pageSize, ...(cursor !== undefined ? { cursor } : {}) };
}

/** The search as a query string (`q=budget&kind=channel&order=oldest`): what a link to it carries. */
export function searchParamsOf(state: SearchState): string {
  const params = new URLSearchParams(filtersToParams(state.filters));
  if (state.order !== 'newest') params.append('order', state.order);
  return params.toString();
}

export function searchStateOf(params: URLSearchParams): SearchState {
  return { filters: filtersFromParams(params), order: params.get('order') === 'oldest' ? 'oldest' : 'newest' };
}

/** The Search screen on `search`, scrolled to hit number `at` when given. */
export function searchHref(search: string, at?: number): string {
  const params = new URLSearchParams(search);
  if (at !== undefined) params.set('at', String(at));
  const query = params.toString();
  return `#/search${query === '' ? '' : `?${query}`}`;
}

/**
 * A hit opened in its transcript: the message to focus, and the search it came from (`results`,
 * the search's own query string) with its place in the results (`hit`), so the transcript can go
 * back to the results and walk to the previous or next hit.
 */
export function hitHref(hit: { chatId: string; key: number }, search: string, index: number): string {
  return hrefFor('browse', [hit.chatId], { focus: String(hit.key), hit: String(index), results: search });
}

/** The Audit screen with the scope of these filters (the order means nothing to a bundle). */
export function auditHref(filters: ReviewFilters): string {
  const query = new URLSearchParams(filtersToParams(filters)).toString();
  return `#/audit${query === '' ? '' : `?${query}`}`;
}

/** The Review screen's "New review set" form on these filters (`#/reviewSets?new=1&q=…`): the set freezes what they select. */
export function reviewSetHref(filters: ReviewFilters): string {
  const query = new URLSearchParams([['new', '1'], ...filtersToParams(filters)]).toString();
  return `#/reviewSets?${query}`;
}

/** The query of the address when it is `screen`'s own (a screen rendered elsewhere starts empty). */
export function ownQuery(screen: Screen): URLSearchParams {
  const route = parseHash(window.location.hash);
  return route?.screen === screen ? route.query : new URLSearchParams();
}
