import { VaultError } from '../../../shared/errors';
import type { IndexedWords } from './queryWords';

/**
 * Turns what a user typed into an FTS5 MATCH expression.
 *
 * simple: every whitespace-separated word must appear. Each word becomes a quoted FTS5 string
 * (inner quotes doubled), so no input — operators, parentheses, quotes, column names, NUL — can
 * change the query's meaning or make it fail. A bound parameter alone would not do that: FTS5
 * parses the bound text as query syntax (STYLE.md, "Traps").
 *
 * advanced: the text is FTS5 syntax (AND, OR, NOT, "phrases", prefix*, NEAR). It is put in
 * parentheses so it cannot absorb the filters that are ANDed after it; a syntax error is reported
 * by the caller as BAD_QUERY.
 */
export function userQuery(text: string | undefined, mode: 'simple' | 'advanced', indexed: IndexedWords): string | undefined {
  if (text === undefined) return undefined;
  if (mode === 'advanced') {
    const trimmed = text.trim();
    return trimmed === '' ? undefined : `(${trimmed})`;
  }
  // Control characters can never be part of a token; drop them before quoting.
  const typed = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '');
  // A word the index holds nothing of (`***`, `"`, an emoji) is an empty phrase, and an empty phrase
  // ANDed with the others matched nothing: leave it out (checkQueryWords refuses a text of only those).
  const keep = indexed(typed);
  const words = typed.filter((_, i) => keep[i] === true);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ');
}

/**
 * Refuses a search text that is not blank but has nothing the index holds (`"`, `***`, `(`, `:-)`,
 * an emoji): it could only find nothing, and "no messages" would not say why. A blank text is no
 * text filter at all (the filters alone list what they select).
 */
export function checkQueryWords(text: string | undefined, mode: 'simple' | 'advanced', indexed: IndexedWords): void {
  if (text === undefined || text.trim() === '' || indexed([text])[0] === true) return;
  throw new VaultError('BAD_QUERY', `The query “${text.trim()}” has no words to search for: punctuation and symbols are ignored.`, {
    hint: mode === 'simple' ? 'Search for at least one word or number; filters alone need no text.' : 'Search for at least one word or number between the operators; filters alone need no text.',
  });
}

/**
 * `<rowid> BETWEEN @lo AND @hi` for an FTS5 table, with the bounds made integers in SQL.
 *
 * FTS5 seeks to a rowid bound only when the bound's value is an INTEGER; any other type it ignores
 * (fts5GetRowidLimit), and SQLite then checks the range row by row while FTS5 walks the term's whole
 * doclist from its end. better-sqlite3 binds every JavaScript number as a REAL, so a bound passed as
 * a number was never used: on ten million messages a common word before the middle of the archive's
 * span took 246 ms; with CAST it takes 3.8 ms (docs/performance.md). Keys are integers below 2^53, so the
 * CAST is exact.
 */
export function ftsRowidBetween(rowid: string): string {
  return `${rowid} BETWEEN CAST(@lo AS INTEGER) AND CAST(@hi AS INTEGER)`;
}

/** `search_scope : (a OR b)` for a filter that any of `tokens` satisfies. */
export function scopeClause(tokens: readonly string[]): string {
  return `search_scope : (${tokens.join(' OR ')})`;
}

export function combine(parts: readonly (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined);
  return present.length === 0 ? undefined : present.join(' AND ');
}

/** Maps SQLite's FTS5 complaints about an advanced query to a message for the person who typed it. */
export function badQuery(error: unknown, text: string | undefined): VaultError | undefined {
  const message = error instanceof Error ? error.message : '';
  if (!/fts5|unterminated string|no such column|unknown special query/i.test(message)) return undefined;
  return new VaultError('BAD_QUERY', `The search "${text ?? ''}" is not valid search syntax (${message.replace(/^fts5: /, '')}).`, {
    cause: error,
    hint: 'Use words, "exact phrases", prefix* and AND / OR / NOT with balanced parentheses — or switch to simple mode, where any text is searched as words.',
  });
}
