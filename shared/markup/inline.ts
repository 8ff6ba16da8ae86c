import { emojiGlyph } from './emoji';
import type { MentionResolver } from './resolver';
import type { Segment } from './segments';

/**
 * Inline markup of one line (or part of one): mentions, links and buttons, bold/italic/strike,
 * inline code, emoji shortcodes and bare URLs. Total by construction: anything that is not a
 * complete token stays text, character for character.
 *
 * Where Cliq is silent (docs/cliq-api.md §8.2 documents `*bold*`, `[label](url)` and `:code:` only):
 * `_italic_`, `~strike~` and `` `code` `` follow Cliq's composer; a marker opens only before a
 * non-space and not after a letter or digit (so snake_case_names and 2*3*4 stay text), and closes
 * at the first same marker after a non-space that is not followed by a letter or digit. Formatting
 * nests at most three deep; deeper markers are text.
 *
 * Linear-ish time: every pattern is a sticky regex with bounded, non-nested character classes that
 * cannot cross the next bracket, and a failed search for a closing marker is remembered.
 */

/** Emits leaves with their source range, so search hits can be laid over them. */
export interface Emitter {
  readonly source: string;
  readonly resolver: MentionResolver;
  text(out: Segment[], from: number, to: number): void;
  leaf(out: Segment[], segment: Segment & { hit?: true }, from: number, to: number): void;
}

const braceToken = /\{([@#])([^{}\s]{1,320})\}/y;
const bracketToken = /\[([^[\]\r\n]{1,1000})\]\(([^()\s\p{Cc}]{1,2048})\)/uy;
const emojiToken = /:([a-z][a-z0-9_+-]{0,39}|\+1|-1|100):/y;
const bareUrl = /https?:\/\/[^\s<>"'`{}|\\^[\]\p{Cc}]+/uy;
const wordChar = /[\p{L}\p{N}]/u;
const maxDepth = 3;
/** The characters a token can start with (see `token`). */
const triggers = new Set(['{', '[', '*', '_', '~', '`', ':', 'h'].map((ch) => ch.charCodeAt(0)));

/** Whether a link target may be followed: http, https or mailto, nothing else. */
export function isSafeUrl(url: string): boolean {
  return /^(https?:\/\/[^\s]|mailto:[^\s])/i.test(url) && !/[\s\p{Cc}]/u.test(url);
}

function isWord(ch: string | undefined): boolean {
  return ch !== undefined && wordChar.test(ch);
}

function isSpace(ch: string | undefined): boolean {
  return ch === undefined || /\s/.test(ch);
}

function matchAt(pattern: RegExp, source: string, at: number, to: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  const match = pattern.exec(source);
  return match !== null && match.index + match[0].length <= to ? match : null;
}

/** Parses source[from, to) into `out`. */
export function parseInline(emit: Emitter, from: number, to: number, out: Segment[], depth = 0): void {
  const src = emit.source;
  // For each marker: a search for its closer from here on found none (so later ones will not either).
  const noCloserFrom: Record<string, number> = {};
  let run = from;
  let i = from;
  while (i < to) {
    // Most characters start no token: skip them without a call.
    if (!triggers.has(src.charCodeAt(i))) {
      i += 1;
      continue;
    }
    const end = token(emit, i, to, out, depth, noCloserFrom, run);
    if (end === null) {
      i += 1;
    } else {
      run = end;
      i = end;
    }
  }
  if (to > run) emit.text(out, run, to);
}

/** Tries a token at `i`; on success flushes the pending text [run, i), emits it and returns its end. */
function token(emit: Emitter, i: number, to: number, out: Segment[], depth: number, noCloserFrom: Record<string, number>, run: number): number | null {
  const src = emit.source;
  const flush = () => {
    if (i > run) emit.text(out, run, i);
  };
  switch (src.charAt(i)) {
    case '{': {
      const m = matchAt(braceToken, src, i, to);
      const segment = m ? braceSegment(emit.resolver, m[1] as string, m[2] as string) : null;
      if (!m || !segment) return null;
      flush();
      emit.leaf(out, segment, i, i + m[0].length);
      return i + m[0].length;
    }
    case '[': {
      const m = matchAt(bracketToken, src, i, to);
      const segment = m ? bracketSegment(emit.resolver, m[1] as string, m[2] as string) : null;
      if (!m || !segment) return null;
      flush();
      emit.leaf(out, segment, i, i + m[0].length);
      return i + m[0].length;
    }
    case '*':
    case '_':
    case '~': {
      const marker = src.charAt(i);
      if (depth >= maxDepth || isSpace(src[i + 1]) || src[i + 1] === marker || (i > 0 && isWord(src[i - 1]))) return null;
      const close = closer(src, marker, i + 2, to, noCloserFrom);
      if (close === null) return null;
      flush();
      const children: Segment[] = [];
      parseInline(emit, i + 1, close, children, depth + 1);
      out.push({ kind: marker === '*' ? 'bold' : marker === '_' ? 'italic' : 'strike', children });
      return close + 1;
    }
    case '`': {
      if (src[i + 1] === '`') return null;
      const close = src.indexOf('`', i + 1);
      if (close < 0 || close >= to || close === i + 1) return null;
      flush();
      emit.leaf(out, { kind: 'code', text: src.slice(i + 1, close) }, i + 1, close);
      return close + 1;
    }
    case ':': {
      const m = matchAt(emojiToken, src, i, to);
      if (!m) return null;
      flush();
      const code = m[1] as string;
      emit.leaf(out, { kind: 'emoji', code, glyph: emojiGlyph(code) }, i, i + m[0].length);
      return i + m[0].length;
    }
    case 'h': {
      if (i > 0 && isWord(src[i - 1])) return null;
      const m = matchAt(bareUrl, src, i, to);
      if (!m) return null;
      const url = trimUrl(m[0]);
      if (!isSafeUrl(url) || url.length <= 'https://'.length) return null;
      flush();
      emit.leaf(out, { kind: 'link', label: url, url, bare: true }, i, i + url.length);
      return i + url.length;
    }
    default:
      return null;
  }
}

function closer(src: string, marker: string, from: number, to: number, noCloserFrom: Record<string, number>): number | null {
  const known = noCloserFrom[marker];
  if (known !== undefined && from >= known) return null;
  for (let j = src.indexOf(marker, from); j >= 0 && j < to; j = src.indexOf(marker, j + 1)) {
    if (!isSpace(src[j - 1]) && (j + 1 >= to || !isWord(src[j + 1]))) return j;
  }
  noCloserFrom[marker] = from;
  return null;
}

/** Trailing punctuation ends a sentence, not the URL; a closing parenthesis stays when the URL opened one. */
function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last !== undefined && '.,;:!?\'"'.includes(last)) end -= 1;
    else if (last === ')' && count(url.slice(0, end), '(') < count(url.slice(0, end), ')')) end -= 1;
    else break;
  }
  return url.slice(0, end);
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

function braceSegment(resolver: MentionResolver, sigil: string, body: string): Segment | null {
  if (sigil === '#') {
    const title = resolver.channel(body);
    return { kind: 'mention', target: 'channel', id: body, name: title ?? `unknown channel ${body}`, resolved: title !== null, silent: false, email: null };
  }
  if (body === 'participants' || body === 'available') return { kind: 'mention', target: body, id: '', name: body, resolved: true, silent: false, email: null };
  if (/^G\d+$/.test(body)) {
    const id = body.slice(1);
    const name = resolver.team(id);
    return { kind: 'mention', target: 'team', id, name: name ?? `unknown team ${id}`, resolved: name !== null, silent: false, email: null };
  }
  if (/^\d+$/.test(body)) {
    const person = resolver.user(body);
    return { kind: 'mention', target: 'user', id: body, name: person?.name ?? `unknown user ${body}`, resolved: person !== null, silent: false, email: person?.email ?? null };
  }
  if (/^[^@]+@[^@]+$/.test(body)) {
    const person = resolver.userByEmail(body);
    return { kind: 'mention', target: 'user', id: body, name: person?.name ?? body, resolved: person !== null, silent: false, email: person?.email ?? body };
  }
  return null;
}

function bracketSegment(resolver: MentionResolver, label: string, target: string): Segment | null {
  const silent = /^zohoid:(\d+)$/i.exec(target);
  if (silent) {
    const id = silent[1] as string;
    const person = resolver.user(id);
    return { kind: 'mention', target: 'user', id, name: person?.name ?? label, resolved: person !== null, silent: true, email: person?.email ?? null };
  }
  if (/^\$\d+$/.test(target) || /^system\.api\|/i.test(target)) return { kind: 'button', label };
  if (isSafeUrl(target)) return { kind: 'link', label, url: target, bare: false };
  return null;
}
