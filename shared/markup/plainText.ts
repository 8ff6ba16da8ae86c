import { mentionSigil, type Segment } from './segments';

/**
 * Segments as plain text, for the CLI and CSV: mentions as `@Dana Ruiz` and `#incidents`, links as
 * `label <url>`, emoji as their glyph (or the code), buttons as `[Label]`, quotes prefixed "> ",
 * formatting marks dropped.
 */
export function toPlainText(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) out += plain(segment, '');
  return out;
}

function plain(segment: Segment, linePrefix: string): string {
  switch (segment.kind) {
    case 'text':
    case 'code':
    case 'codeBlock':
      return segment.text;
    case 'break':
      return `\n${linePrefix}`;
    case 'bold':
    case 'italic':
    case 'strike':
      return segment.children.map((child) => plain(child, linePrefix)).join('');
    case 'quote':
      return `${linePrefix}> ${segment.children.map((child) => plain(child, `${linePrefix}> `)).join('')}`;
    case 'link':
      return segment.bare || segment.label === segment.url ? segment.url : `${segment.label} <${segment.url}>`;
    case 'emoji':
      return segment.glyph ?? `:${segment.code}:`;
    case 'mention':
      return `${mentionSigil(segment.target)}${segment.name}`;
    case 'button':
      return `[${segment.label}]`;
  }
}
