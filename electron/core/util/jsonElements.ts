/**
 * Visits the elements of the array under `key` in a JSON object — `{"data":[{…},{…}]}`, as UTF-8
 * bytes — one element text at a time, without building the whole parsed tree or the whole text.
 *
 * Why: a single-shot messages export is a conversation's whole history in one body. Parsed whole,
 * its tree (~40 MB for 23k messages) is alive for the whole mapping, survives the young-generation
 * collections and is promoted to the old generation, which then grows until a full collection: the
 * sync's peak memory. Parsed element by element, each element's objects die young. And decoded
 * whole, the body is a string of two bytes a character as soon as one message holds a character
 * beyond Latin-1 (one in ten do in the simulated orgs): 12 MB for the 6 MB of the largest 1M-org
 * conversation. Scanned as bytes, only each element is decoded. The scan is safe on UTF-8: every
 * byte of a multi-byte character is 0x80 or above, so none is mistaken for a quote or a bracket.
 *
 * The scan only finds where values begin and end (tracking strings, escapes and nesting); every
 * byte is still checked by JSON.parse: the elements by the caller, and every other member value
 * and key here. Returns false, having visited nothing, when the text is not an object with exactly
 * one `key` member holding an array — the caller then parses the body whole, which reports what is
 * wrong with it in the usual way. A syntax error met after some elements were visited throws.
 */
export function eachArrayElement(body: Buffer, key: string, visit: (element: string, index: number) => void): boolean {
  const text = new Bytes(body);
  const spans = arraySpans(text, key);
  if (spans === undefined) return false;
  for (let index = 0; index < spans.length; index += 2) visit(text.slice(spans[index], spans[index + 1]), index / 2);
  return true;
}

/** The scanner's view of the body: a byte by index (NaN past the end, as charCodeAt gives), a slice decoded. */
class Bytes {
  readonly length: number;
  constructor(private readonly body: Buffer) {
    this.length = body.length;
  }
  charCodeAt(i: number): number {
    return i < this.length ? (this.body[i] ?? Number.NaN) : Number.NaN;
  }
  slice(start: number | undefined, end: number | undefined): string {
    return this.body.toString('utf8', start, end);
  }
}

/** [start, end, start, end, …] of the elements, or undefined when the shape is not the expected one. */
function arraySpans(text: Bytes, key: string): number[] | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpace(text, i + 1);
  let spans: number[] | undefined;
  if (text.charCodeAt(i) === CLOSE_BRACE) return undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const nameEnd = skipString(text, i);
    if (nameEnd < 0) return undefined;
    const name = JSON.parse(text.slice(i, nameEnd)) as string;
    i = skipSpace(text, nameEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipSpace(text, i + 1);
    if (name === key) {
      if (spans !== undefined || text.charCodeAt(i) !== OPEN_BRACKET) return undefined;
      spans = [];
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === CLOSE_BRACKET) {
        i += 1;
      } else {
        for (;;) {
          const end = skipValue(text, i);
          if (end < 0) return undefined;
          spans.push(i, end);
          i = skipSpace(text, end);
          const c = text.charCodeAt(i);
          if (c === CLOSE_BRACKET) {
            i += 1;
            break;
          }
          if (c !== COMMA) return undefined;
          i = skipSpace(text, i + 1);
        }
      }
    } else {
      const end = skipValue(text, i);
      if (end < 0) return undefined;
      // Not needed, but it must be JSON all the same (throws like a whole parse would).
      JSON.parse(text.slice(i, end));
      i = end;
    }
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) break;
    if (c !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
  if (skipSpace(text, i + 1) !== text.length) return undefined;
  return spans;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function skipSpace(text: Bytes, from: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(i)) i += 1;
  return i;
}

/** The index just past the string starting at `from` (a quote), or -1 if it never ends. */
function skipString(text: Bytes, from: number): number {
  for (let i = from + 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 1;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
}

/** The index just past the value starting at `from`, or -1 if it is cut short. */
function skipValue(text: Bytes, from: number): number {
  const first = text.charCodeAt(from);
  if (first === QUOTE) return skipString(text, from);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: up to the next delimiter (JSON.parse checks the spelling).
    let i = from;
    for (let c = text.charCodeAt(i); i < text.length && c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09; c = text.charCodeAt(i)) i += 1;
    return i === from ? -1 : i;
  }
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = skipString(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
