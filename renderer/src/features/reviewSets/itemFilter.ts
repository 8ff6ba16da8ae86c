import { builtInTags, type ReviewItemFilter, type ReviewSetSummary } from '../../../../shared/reviewSets';

/** The set view's filter as its controls hold it ('' = no such filter). */
export interface ItemFilterState {
  /** '' any, 'untagged', or a tag the items must carry. */
  tag: string;
  reviewed: 'any' | 'yes' | 'no';
  chatId: string;
}

export const anyItem: ItemFilterState = { tag: '', reviewed: 'any', chatId: '' };

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
