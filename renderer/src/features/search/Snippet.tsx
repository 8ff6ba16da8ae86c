import type { SnippetSegment } from '../../../../shared/search';

/**
 * A search snippet: hits in <mark>, the rest as text. React escapes both, so a message holding
 * markup (`<img onerror=…>`) shows as the characters it is. Never dangerouslySetInnerHTML here.
 */
export function Snippet({ segments }: { segments: SnippetSegment[] }) {
  return <span className="snippet">{segments.map((segment, i) => (segment.hit ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>))}</span>;
}
