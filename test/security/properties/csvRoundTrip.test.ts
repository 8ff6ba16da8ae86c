import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '../../../electron/core/audit/datasets';
import { rowFormat, type Cell } from '../../../electron/core/audit/rowFormat';
import { DatasetSink } from '../../../electron/core/audit/sinks';

/**
 * The audit CSV writer, property-tested: arbitrary cells (any Unicode, quotes, commas, CR, LF, NUL,
 * formula starts, leading spaces) go through the real writer (rowFormat + DatasetSink: BOM, CRLF,
 * quoting, neutralising) into a file, and a strict RFC 4180 parse (papaparse: no type guessing, any
 * error fails) gives back exactly the values written — but for the documented escapes:
 *
 * - a text cell starting with = + - @ TAB CR LF gets a leading apostrophe (spreadsheets show it as text);
 * - an all-digit id in `excel` mode is written `="…"`, so no spreadsheet turns a 19-digit id into 1.9E+18.
 *
 * Integration with real archives: test/integration/audit/bundle.test.ts.
 */

const formulaStart = /^[=+\-@\t\r\n]/;

const columns: Column[] = [
  { name: 'chat_id', type: 'id', meaning: '' },
  { name: 'text', type: 'text', meaning: '' },
  { name: 'sender_id', type: 'id', meaning: '' },
  { name: 'sent', type: 'time', meaning: '' },
  { name: 'deleted', type: 'bool', meaning: '' },
  { name: 'count', type: 'int', meaning: '' },
  { name: 'raw', type: 'json', meaning: '' },
];

/** Text a hostile org could put in a title, a message or a name. */
const specials = [',', '"', '""', '\r', '\n', '\r\n', '\u0000', '\t', '=', '+', '-', '@', ' ', "'", ';', '\uFEFF', '\u202E', '\u2028', '€', '😀', 'ü'];
const text = fc
  .oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.array(fc.constantFrom(...specials), { maxLength: 12 }).map((parts) => parts.join('')),
    fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ' ', ' =', '\u0000', '"'), fc.string({ unit: 'binary', maxLength: 20 })).map(([start, rest]) => start + rest),
  )
  // Archived text is well-formed Unicode (SQLite stores UTF-8); a lone surrogate cannot reach the writer.
  .filter((s) => !/\p{Cs}/u.test(s));

/** Cliq ids: 19-digit numbers as text, short digit strings, and the non-numeric ids of channels and threads. */
const id = fc.oneof(
  fc.bigInt({ min: 10n ** 18n, max: 10n ** 19n - 1n }).map(String),
  fc.stringMatching(/^\d{1,19}$/),
  fc.stringMatching(/^(CT|T|b)_[0-9]{1,19}(-T-[0-9]{1,19})?$/),
  fc.constantFrom('-1', '+1', '=1', '0x1F', '1e5', ' 12'),
  text,
);

const row = fc.tuple(
  fc.option(id, { nil: null }),
  fc.option(text, { nil: null }),
  fc.option(id, { nil: null }),
  fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: null }),
  fc.option(fc.constantFrom(0, 1), { nil: null }),
  fc.option(fc.integer(), { nil: null }),
  fc.constant('{"x":1}'),
);

/** What a spreadsheet user should read back for a text cell. */
const expectedText = (v: string | null) => (v === null ? '' : formulaStart.test(v) ? `'${v}` : v);
const expectedId = (v: string | null, ids: 'excel' | 'plain') => (v === null ? '' : ids === 'excel' && /^\d+$/.test(v) ? `="${v}"` : expectedText(v));

describe('audit CSV: write, then parse strictly', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cliq-vault-csv-prop-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `rows` through the real sink and parses the file back; every parse error fails. */
  async function roundTrip(rows: readonly (readonly Cell[])[], ids: 'excel' | 'plain'): Promise<string[][]> {
    const format = rowFormat(columns, { timeZone: 'Europe/Berlin', ids });
    const name = `d${n++}`;
    const sink = new DatasetSink(dir, name, 'csv', format.csvHeader, 1_000);
    for (const r of rows) await sink.row(format.csvLine(r));
    const [file] = await sink.close();
    const bytes = readFileSync(join(dir, file?.path.replace(/^data\//, '') ?? ''));
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const textOut = bytes.toString('utf8').slice(1);
    expect(textOut.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(textOut.slice(0, -2), { delimiter: ',', newline: '\r\n', quoteChar: '"', escapeChar: '"', header: false, dynamicTyping: false, skipEmptyLines: false });
    expect(parsed.errors).toEqual([]);
    return parsed.data;
  }

  it('gives back every cell (ids, text, times, flags), with only the documented escapes (3,000 tables)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 4 }), fc.constantFrom('excel' as const, 'plain' as const), async (rows, ids) => {
        const [header, ...data] = await roundTrip(rows, ids);
        expect(header).toEqual(['chat_id', 'text', 'sender_id', 'sent', 'sent_utc_ms', 'deleted', 'count']);
        expect(data).toHaveLength(rows.length);
        rows.forEach(([chat, body, sender, sent, deleted, count], i) => {
          const cells = data[i] ?? [];
          expect(cells).toHaveLength(7);
          expect(cells[0]).toBe(expectedId(chat, ids));
          expect(cells[1]).toBe(expectedText(body));
          expect(cells[2]).toBe(expectedId(sender, ids));
          expect(cells[4]).toBe(sent === null ? '' : String(sent));
          if (sent !== null) expect(Date.parse(cells[3] ?? '')).toBe(sent);
          expect(cells[5]).toBe(deleted === null ? '' : deleted === 1 ? 'true' : 'false');
          expect(cells[6]).toBe(count === null ? '' : String(count));
          // What a spreadsheet evaluates: nothing but the id wrapper may start like a formula.
          for (const cell of [cells[0], cells[1], cells[2]]) {
            if (cell !== undefined && !/^="\d+"$/.test(cell)) expect(formulaStart.test(cell), JSON.stringify(cell)).toBe(false);
          }
        });
      }),
      { numRuns: 3_000, seed: 20_261_124 },
    );
  });

  it('keeps 19-digit ids as text in excel mode and exact in plain mode (1,000 ids)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 10n ** 18n, max: 10n ** 19n - 1n }), async (big) => {
        const value = big.toString();
        const [, excel] = await roundTrip([[value, null, value, null, null, null, null]], 'excel');
        expect(excel?.[0]).toBe(`="${value}"`);
        // The digits inside the wrapper are the id, unrounded (a JS number would not survive: 2^53 < 10^18).
        expect(BigInt(excel?.[0]?.slice(2, -1) ?? '0')).toBe(big);
        const [, plain] = await roundTrip([[value, null, value, null, null, null, null]], 'plain');
        expect(plain?.[0]).toBe(value);
      }),
      { numRuns: 1_000, seed: 20_261_124 },
    );
  });
});
