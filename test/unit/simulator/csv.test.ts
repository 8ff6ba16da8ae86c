import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../electron/simulator/http/csv';

const hostile = [
  'plain',
  'comma, inside',
  'a "quoted" word',
  '"starts with a quote',
  'line\nbreak',
  'crlf\r\nbreak',
  'lone\rcarriage return',
  '  padded  ',
  "=cmd|' /C calc'!A0",
  '🚀 émoji and עברית',
  '',
];

function parse(text: string, newline: '\n' | '\r\n' = '\n'): string[][] {
  const result = Papa.parse<string[]>(text, { newline, skipEmptyLines: false });
  expect(result.errors).toEqual([]);
  // Every record ends with a line break, so the parser sees one empty trailing record.
  expect(result.data[result.data.length - 1]).toEqual(['']);
  return result.data.slice(0, -1);
}

describe('CSV writer (RFC 4180)', () => {
  it('quotes only fields with a comma, quote, CR or LF, and doubles inner quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('  padded  ')).toBe('  padded  ');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('x\ny')).toBe('"x\ny"');
    expect(csvCell('x\ry')).toBe('"x\ry"');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
  });

  it('round-trips hostile values through papaparse, LF and CRLF', () => {
    const rows = hostile.map((value, i) => [value, String(i), `${value}|${i}`]);
    expect(parse(toCsv(rows, { header: null, crlf: false, bom: false }))).toEqual(rows);
    expect(parse(toCsv(rows, { header: null, crlf: true, bom: false }), '\r\n')).toEqual(rows);
  });

  it('writes an optional header and BOM, and nothing at all for no rows', () => {
    const text = toCsv([['a,b', 1]], { header: ['title', 'count'], crlf: true, bom: true });
    expect(text).toBe('\uFEFFtitle,count\r\n"a,b",1\r\n');
    expect(toCsv([], { header: null, crlf: false, bom: false })).toBe('');
    expect(toCsv([], { header: ['title'], crlf: false, bom: false })).toBe('title\n');
  });
});
