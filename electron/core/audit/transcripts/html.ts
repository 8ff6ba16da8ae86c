import { isSafeUrl, mentionSigil, type Segment } from '../../../../shared/markup';

const special = /[&<>"']/;
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text or an attribute value as HTML: every `& < > " '` escaped, so nothing from Cliq can open a
 * tag, close an attribute or start an entity. Used for EVERY piece of text a transcript writes.
 */
export function esc(text: string): string {
  // Most text has none of them: a test is cheaper than a replace that finds nothing.
  if (!special.test(text)) return text;
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

/**
 * Segments (shared/markup) as HTML. Links only for the URLs shared/markup made links (http,
 * https, mailto), checked again here, opened with rel="noopener noreferrer"; everything else is
 * escaped text inside fixed tags: no markup in a message can become markup in the file.
 */
export function segmentsHtml(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) out += segmentHtml(segment);
  return out;
}

function segmentHtml(segment: Segment): string {
  switch (segment.kind) {
    case 'text':
      return esc(segment.text);
    case 'break':
      return '<br>';
    case 'bold':
      return `<strong>${segmentsHtml(segment.children)}</strong>`;
    case 'italic':
      return `<em>${segmentsHtml(segment.children)}</em>`;
    case 'strike':
      return `<s>${segmentsHtml(segment.children)}</s>`;
    case 'code':
      return `<code>${esc(segment.text)}</code>`;
    case 'codeBlock':
      return `<pre dir="auto">${esc(segment.text)}</pre>`;
    case 'quote':
      return `<blockquote dir="auto">${segmentsHtml(segment.children)}</blockquote>`;
    case 'link':
      return isSafeUrl(segment.url) ? `<a href="${esc(segment.url)}" rel="noopener noreferrer">${esc(segment.label)}</a>` : esc(segment.label);
    case 'emoji':
      return segment.glyph === null ? esc(`:${segment.code}:`) : `<span title="${esc(`:${segment.code}:`)}">${esc(segment.glyph)}</span>`;
    case 'mention': {
      const title = segment.target === 'user' && segment.id !== '' ? ` title="${esc(segment.email ?? segment.id)}"` : '';
      return `<span class="mention${segment.resolved ? '' : ' unresolved'}"${title}>${esc(`${mentionSigil(segment.target)}${segment.name}`)}</span>`;
    }
    case 'button':
      return `<span class="button">${esc(segment.label)}</span>`;
  }
}
