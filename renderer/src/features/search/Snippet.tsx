import { parseMarkup, type MentionResolver } from '../../../../shared/markup';
import type { SnippetSegment } from '../../../../shared/search';
import { MarkupText } from '../../components/MarkupText';

/**
 * A search snippet with Cliq's markup rendered (mentions named by `resolver`) and the hits in
 * <mark>: the snippet's pieces are joined back into one text and parsed, the hit pieces laid over
 * it as ranges, so a hit inside a token (a mentioned user's id) marks the rendered mention. A
 * snippet cut in the middle of a token shows the cut token as text. Never HTML: React text nodes.
 */
export function Snippet({ segments, resolver }: { segments: SnippetSegment[]; resolver: MentionResolver }) {
  let text = '';
  const hits: [number, number][] = [];
  for (const segment of segments) {
    if (segment.hit) hits.push([text.length, text.length + segment.text.length]);
    text += segment.text;
  }
  return (
    <span className="snippet" dir="auto">
      <MarkupText segments={parseMarkup(text, { resolver, hits })} />
    </span>
  );
}
