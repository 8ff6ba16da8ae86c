/**
 * The public surface of electron/core/reviewSets/ for the shells: review sets (issue 15, part 1) —
 * freezing a set of messages from a filter set or a hold, listing sets with their progress, a page
 * of a set's items with their coding, coding actions (sealed, append-only) and their history.
 *
 * Shells import from here, never from the files behind it; tests may reach further in.
 */
export { createReviewSet, maxSetItems, type ReviewWriteOptions } from './createSet';
export { codeReviewItem } from './codeItem';
export { codingHistory } from './history';
export { reviewItems } from './items';
export { listReviewSets, reviewSetSummary, setIdByNameOrId } from './setReads';
export { codeLookScope, createLookScope } from './lookScope';
export { tagFilterWords } from './setScope';
