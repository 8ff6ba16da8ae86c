import { formatInZone } from '../util/timeZone';
import type { Column, ColumnType } from './datasets';
import { csvId, csvText } from './sinks';

/** A value as SQLite returns it (no BLOB columns are exported). */
export type Cell = string | number | bigint | null;

/** A row as better-sqlite3's raw mode gives it: the selected columns, in order. */
export type RawRow = readonly Cell[];

export interface RowFormat {
  csvHeader: string;
  csvLine(row: RawRow): string;
  jsonlLine(row: RawRow): string;
}

/** The CSV header names of a column list: a time column becomes `<name>` and `<name>_utc_ms`. */
export function csvNames(columns: readonly Column[]): string[] {
  return columns.filter((c) => c.type !== 'json').flatMap((c) => (c.type === 'time' ? [c.name, `${c.name}_utc_ms`] : [c.name]));
}

/**
 * Formatters for one dataset. CSV: RFC 4180, CRLF, text cells neutralised, ids kept as text, times
 * twice (local ISO 8601 with offset, and UTC epoch ms), payload columns left to the JSONL.
 * JSONL: one object per line with the archive's values — ids as strings, times as epoch ms — and
 * the stored payload spliced in verbatim (byte-faithful: never parsed and re-encoded).
 */
export function rowFormat(columns: readonly Column[], options: { timeZone: string; ids: 'excel' | 'plain' }): RowFormat {
  const csvColumns = columns.filter((c) => c.type !== 'json');
  const csvIndex = columns.flatMap((c, i) => (c.type === 'json' ? [] : [i]));
  const truthy = (v: Cell) => v !== 0 && v !== '' && v !== 0n;
  // One switch over the column's type in the loop, not a closure per column: a million rows of 22
  // cells made those calls megamorphic (csvLine ~15 % faster, docs/performance.md).
  const csvTypes = csvColumns.map((c) => c.type);
  const keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
  // A derived rendering is for people reading the CSV; the JSONL holds what the archive holds.
  const jsonlIndex = columns.flatMap((c, i) => (c.type === 'display' ? [] : [i]));
  return {
    csvHeader: csvNames(columns).join(','),
    csvLine(row) {
      let line = '';
      for (let i = 0; i < csvTypes.length; i += 1) {
        if (i > 0) line += ',';
        const v = row[csvIndex[i] ?? 0];
        const type = csvTypes[i] as ColumnType;
        if (type === 'time') {
          line += typeof v === 'number' ? `${formatInZone(v, options.timeZone)},${v}` : ',';
          continue;
        }
        if (v === null || v === undefined) continue;
        switch (type) {
          case 'id':
            line += csvId(String(v), options.ids);
            break;
          case 'text':
          case 'display':
            line += csvText(String(v));
            break;
          case 'int':
            line += String(v);
            break;
          case 'bool':
            line += truthy(v) ? 'true' : 'false';
            break;
          case 'json':
            break;
        }
      }
      return `${line}\r\n`;
    },
    jsonlLine(row) {
      let line = '{';
      for (let n = 0; n < jsonlIndex.length; n += 1) {
        const i = jsonlIndex[n] ?? 0;
        const column = columns[i] as Column;
        const value = row[i];
        let encoded: string;
        if (column.type === 'json') encoded = typeof value === 'string' ? value : 'null';
        else if (column.type === 'bool') encoded = value === null || value === undefined ? 'null' : truthy(value) ? 'true' : 'false';
        else encoded = typeof value === 'bigint' ? value.toString() : JSON.stringify(value ?? null);
        line += `${n > 0 ? ',' : ''}${keys[i] ?? ''}${encoded}`;
      }
      return `${line}}\n`;
    },
  };
}
