import type { ReactNode } from 'react';
import { isSafeUrl, mentionSigil, type Segment } from '../../../shared/markup';

/**
 * Cliq markup segments (shared/markup) as React elements: text is always a text node, so nothing a
 * message holds can become markup. Links open outside the app (rel noopener noreferrer), and only
 * for http, https and mailto — checked again here, whatever the segments say. Mentions carry the
 * e-mail or id in their title; buttons are labels that do nothing.
 */
export function MarkupText({ segments }: { segments: readonly Segment[] }) {
  return <>{segments.map(render)}</>;
}

function render(segment: Segment, i: number): ReactNode {
  const hit = 'hit' in segment && (segment.hit ?? false);
  const node = element(segment, i);
  return hit ? <mark key={i}>{node}</mark> : node;
}

function element(segment: Segment, key: number): ReactNode {
  switch (segment.kind) {
    case 'text':
      return <span key={key}>{segment.text}</span>;
    case 'break':
      return <br key={key} />;
    case 'bold':
      return <strong key={key}>{segment.children.map(render)}</strong>;
    case 'italic':
      return <em key={key}>{segment.children.map(render)}</em>;
    case 'strike':
      return <s key={key}>{segment.children.map(render)}</s>;
    case 'quote':
      return (
        <blockquote key={key} className="markup-quote">
          {segment.children.map(render)}
        </blockquote>
      );
    case 'code':
      return <code key={key}>{segment.text}</code>;
    case 'codeBlock':
      return (
        <pre key={key} className="markup-code">
          <code>{segment.text}</code>
        </pre>
      );
    case 'link':
      return isSafeUrl(segment.url) ? (
        <a key={key} href={segment.url} target="_blank" rel="noopener noreferrer" title={segment.url}>
          {segment.label}
        </a>
      ) : (
        <span key={key}>{segment.label}</span>
      );
    case 'emoji':
      return segment.glyph !== null ? (
        <span key={key} role="img" aria-label={segment.code} title={`:${segment.code}:`}>
          {segment.glyph}
        </span>
      ) : (
        <span key={key} className="emoji-code">{`:${segment.code}:`}</span>
      );
    case 'mention':
      return (
        <span key={key} className={segment.resolved ? 'mention' : 'mention mention-unresolved'} title={segment.email ?? (segment.id !== '' ? segment.id : undefined)} data-mention={segment.target}>
          {`${mentionSigil(segment.target)}${segment.name}`}
        </span>
      );
    case 'button':
      return (
        <span key={key} className="markup-button" title="A Cliq button: shown, not usable in the archive">
          {segment.label}
        </span>
      );
  }
}
