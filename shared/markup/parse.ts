import { parseInline, type Emitter } from './inline';
import { noNames, type MentionResolver } from './resolver';
import type { Segment } from './segments';

/** Any character (or URL start) that can begin markup; a text without one is a single text segment. */
const plainCandidates = /[{[*_~`:\r\n]|https?:\/\//;

export interface ParseOptions {
  /** Names for mentions; without one every mention shows its fallback. */
  resolver?: MentionResolver;
  /**
   * Ranges [from, to) of the input that a search matched: text is split at their edges and the
   * pieces inside (and any token they touch) carry `hit: true`.
   */
  hits?: readonly (readonly [number, number])[];
}

/**
 * A Cliq message text as typed segments (docs/cliq-api.md §8.3). Never throws; markup that is not
 * complete stays text.
 *
 * Blocks: a code block runs from a ``` to the next ``` (the line breaks just inside the fences belong
 * to them); an unclosed ``` is text. Outside code blocks, a line starting "> " is a quote —
 * Cliq's documentation is silent on quotes, so this follows the composer's markdown, and adjacent
 * quote lines make one quote. Every other line break is a `break`; `\r\n` and `\r` count as one.
 */
export function parseMarkup(text: string, options: ParseOptions = {}): Segment[] {
  // Most messages hold no markup at all: one native scan answers them (the same result as below).
  if (options.hits === undefined || options.hits.length === 0) {
    if (text === '') return [];
    if (isPlainMarkup(text)) return [{ kind: 'text', text }];
  }
  const emit = emitter(text, options.resolver ?? noNames, options.hits ?? []);
  const out: Segment[] = [];
  let i = 0;
  for (;;) {
    const open = text.indexOf('```', i);
    const close = open < 0 ? -1 : text.indexOf('```', open + 3);
    if (close < 0) break;
    parseLines(emit, i, open, out);
    let from = open + 3;
    let to = close;
    if (text.startsWith('\r\n', from)) from += 2;
    else if (text[from] === '\n' || text[from] === '\r') from += 1;
    if (to > from && text[to - 1] === '\n') to -= 1;
    if (to > from && text[to - 1] === '\r') to -= 1;
    emit.leaf(out, { kind: 'codeBlock', text: text.slice(from, to) }, from, to);
    i = close + 3;
  }
  parseLines(emit, i, text.length, out);
  return out;
}

/** True when nothing in `text` can start markup (no token, quote or line break): it parses as itself. */
export function isPlainMarkup(text: string): boolean {
  return !plainCandidates.test(text) && !text.startsWith('> ');
}

function parseLines(emit: Emitter, from: number, to: number, out: Segment[]): void {
  const src = emit.source;
  let quote: Segment[] | null = null;
  let start = from;
  for (let first = true; ; first = false) {
    let end = start;
    while (end < to && src[end] !== '\n' && src[end] !== '\r') end += 1;
    const isQuote = src.startsWith('> ', start) && start + 2 <= end;
    // A line break between two quote lines belongs to the quote.
    if (!first) (quote !== null && isQuote ? quote : out).push({ kind: 'break' });
    if (isQuote) {
      if (quote === null) {
        quote = [];
        out.push({ kind: 'quote', children: quote });
      }
      parseInline(emit, start + 2, end, quote);
    } else {
      quote = null;
      parseInline(emit, start, end, out);
    }
    if (end >= to) return;
    start = src.startsWith('\r\n', end) ? end + 2 : end + 1;
  }
}

function emitter(source: string, resolver: MentionResolver, hits: readonly (readonly [number, number])[]): Emitter {
  const inHit = (from: number, to: number) => hits.some(([a, b]) => a < to && b > from);
  const push = (out: Segment[], text: string, hit: boolean) => {
    const last = out.at(-1);
    if (last?.kind === 'text' && (last.hit === true) === hit) last.text += text;
    else out.push(hit ? { kind: 'text', text, hit: true } : { kind: 'text', text });
  };
  return {
    source,
    resolver,
    text(out, from, to) {
      if (hits.length === 0) {
        push(out, source.slice(from, to), false);
        return;
      }
      // Split at every hit edge inside the range.
      const edges = new Set<number>([from, to]);
      for (const [a, b] of hits) {
        if (a > from && a < to) edges.add(a);
        if (b > from && b < to) edges.add(b);
      }
      const cuts = [...edges].sort((x, y) => x - y);
      for (let k = 0; k + 1 < cuts.length; k += 1) {
        const a = cuts[k] as number;
        const b = cuts[k + 1] as number;
        push(out, source.slice(a, b), inHit(a, b));
      }
    },
    leaf(out, segment, from, to) {
      out.push(hits.length > 0 && inHit(from, to) ? { ...segment, hit: true } : segment);
    },
  };
}
