import { builtInTags, type ReviewItemFilter, type ReviewSetSummary } from '../../../../shared/reviewSets';
import { hrefFor } from '../../hooks/useHashRoute';

/** The set view's filter as its controls hold it ('' = no such filter). */
export interface ItemFilterState {
  /** '' any, 'untagged', or a tag the items must carry. */
  tag: string;
  reviewed: 'any' | 'yes' | 'no';
  chatId: string;
}

/** Every tag the set offers: the built-in ones, then its custom ones in the order first used. */
export function tagsOf(set: Pick<ReviewSetSummary, 'customTags'> | null): string[] {
  return [...builtInTags, ...(set?.customTags ?? [])];
}

/** The request's filter: "untagged" is "none of the set's tags" (the core counts conversation tags too). */
export function toItemFilter(state: ItemFilterState, set: Pick<ReviewSetSummary, 'customTags'> | null): ReviewItemFilter {
  return {
    withTags: state.tag !== '' && state.tag !== 'untagged' ? [state.tag] : [],
    withoutTags: state.tag === 'untagged' ? tagsOf(set).slice(0, 20) : [],
    reviewed: state.reviewed,
    ...(state.chatId !== '' ? { chatId: state.chatId } : {}),
  };
}

/** Where a reviewer is in a set, as its address keeps it: Back from a message's context returns here. */
export interface SetPlace {
  filter: ItemFilterState;
  offset: number;
  /** The current item's position in the set, or null (the page's first). */
  at: number | null;
}

/** `#/reviewSets/3?tag=privileged&reviewed=no&chat=CT_1&offset=100&at=117`; defaults are left out. */
export function setViewHref(setId: number, place: SetPlace): string {
  const { filter, offset, at } = place;
  return hrefFor('reviewSets', [String(setId)], {
    tag: filter.tag,
    reviewed: filter.reviewed === 'any' ? undefined : filter.reviewed,
    chat: filter.chatId,
    offset: offset === 0 ? undefined : String(offset),
    at: at === null ? undefined : String(at),
  });
}

/** The place of an address, typed or edited by hand: what is not a known value is left at its default. */
export function setPlaceOf(params: URLSearchParams): SetPlace {
  const count = (name: string) => {
    const text = params.get(name) ?? '';
    return /^\d{1,9}$/.test(text) ? Number(text) : null;
  };
  const tag = params.get('tag') ?? '';
  const reviewed = params.get('reviewed');
  return {
    filter: {
      tag: tag === 'untagged' || /^[a-z0-9][a-z0-9-]{0,39}$/.test(tag) ? tag : '',
      reviewed: reviewed === 'yes' || reviewed === 'no' ? reviewed : 'any',
      chatId: (params.get('chat') ?? '').slice(0, 100),
    },
    offset: count('offset') ?? 0,
    at: count('at'),
  };
}
