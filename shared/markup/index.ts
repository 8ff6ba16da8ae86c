/** Cliq message markup → typed segments: one renderer for the UI, the CLI and exports. */
export { parseMarkup, type ParseOptions } from './parse';
export { isSafeUrl } from './inline';
export { toPlainText } from './plainText';
export { messageSegments, messagePlainText, bodySegments, fileSegments, formatSize, type ArchivedMessageContent } from './message';
export { mentionRefs } from './refs';
export { emojiGlyph } from './emoji';
export { mentionSigil, type MentionTarget, type Segment } from './segments';
export { emptyNames, mergeNames, namesFor, noNames, resolverFromNames, type MentionNames, type MentionPerson, type MentionRefs, type MentionResolver } from './resolver';
