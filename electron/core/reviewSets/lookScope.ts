import type { ReviewCode, ReviewSetCreate } from '../../../shared/reviewSets';

/**
 * What the review log keeps of review-set actions, the same from the app, `serve` and the CLI:
 * a set made (its name and source: the filters as given, or the hold), and a coding action (the
 * set, the target and the change in words; a note's text stays in the set's own sealed log).
 */
export function createLookScope(input: ReviewSetCreate): Record<string, unknown> {
  return { name: input.name, ...('hold' in input.source ? { hold: input.source.hold } : { ...input.source.scope }) };
}

export function codeLookScope(input: ReviewCode): Record<string, unknown> {
  const change =
    input.action === 'tag'
      ? `tag ${input.tag}`
      : input.action === 'untag'
        ? `untag ${input.tag}`
        : input.action === 'note'
          ? input.note.trim() === ''
            ? 'note cleared'
            : 'note'
          : input.reviewed
            ? 'reviewed'
            : 'not reviewed';
  return { set: input.setId, chatId: input.chatId, ...(input.messageId === undefined ? {} : { message: input.messageId }), change };
}
