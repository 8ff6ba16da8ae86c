import Papa from 'papaparse';
import { VaultError } from '../../../shared/errors';

/**
 * Parses a Maintenance CSV export (docs/cliq-api.md §6.6). None of its format is documented, so this
 * accepts every reasonable variant: RFC 4180 quoting with embedded commas, quotes and newlines;
 * LF or CRLF; an optional UTF-8 BOM; an optional header row; an optional trailing newline.
 *
 * Columns are mapped by position to `fields`, which callers always request in the canonical order
 * (so "columns follow the fields param" and "columns follow the canonical order" agree). A row with
 * the wrong number of columns means a cut or garbled body: MALFORMED_RESPONSE, which is retried.
 */
export function parseExportCsv<F extends string>(body: string, fields: readonly F[], what: string): Record<F, string | null>[] {
  const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
  if (text.trim() === '') return [];
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true, delimiter: ',', quoteChar: '"' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  if (fatal) {
    throw new VaultError('MALFORMED_RESPONSE', `The ${what} export is not valid CSV (${fatal.message} at row ${fatal.row ?? '?'}).`);
  }
  const rows = parsed.data;
  const first = rows[0];
  if (first && isHeader(first, fields)) rows.shift();
  return rows.map((row, index) => {
    if (row.length !== fields.length) {
      throw new VaultError('MALFORMED_RESPONSE', `Row ${index + 1} of the ${what} export has ${row.length} columns, expected ${fields.length} (${fields.join(',')}).`);
    }
    const record = {} as Record<F, string | null>;
    fields.forEach((field, i) => {
      const value = row[i] ?? '';
      // An empty cell is "no value" (no description, no creator); everything else is kept verbatim,
      // leading and trailing spaces included: they are part of a title.
      record[field] = value === '' ? null : value;
    });
    return record;
  });
}

function isHeader(row: string[], fields: readonly string[]): boolean {
  return row.length === fields.length && row.every((cell, i) => cell.trim().toLowerCase() === fields[i]);
}

/**
 * A Maintenance CSV time: epoch milliseconds (digits) or ISO 8601; the format is undocumented.
 * Ten-digit values are read as epoch seconds. Returns undefined when the cell is unreadable, so the
 * caller keeps the raw text and stores no time rather than a wrong one.
 */
export function parseExportTime(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,16}$/.test(text)) {
    const n = Number(text);
    return n < 100_000_000_000 ? n * 1_000 : n;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A count cell ("412"); undefined when empty or not a non-negative integer. */
export function parseCount(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
