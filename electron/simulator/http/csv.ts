/**
 * RFC 4180 writer for the Maintenance CSV exports (docs/cliq-api.md §6.6). Cliq documents none of this;
 * the defaults are the simulator choices of §10.3: quote a field only when it holds a comma, a
 * double quote, CR or LF; double inner quotes; LF line ends; no header; no BOM.
 *
 * Cells that start with = + - @ are written as they are: Cliq has no reason to defuse them, and
 * the client's exporter must (STYLE.md, "Traps").
 */

export interface CsvOptions {
  header: readonly string[] | null;
  crlf: boolean;
  bom: boolean;
}

export type CsvCell = string | number | null | undefined;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every record ends with a line break, the last one included; no rows and no header → empty body. */
export function toCsv(rows: readonly (readonly CsvCell[])[], options: CsvOptions): string {
  const eol = options.crlf ? '\r\n' : '\n';
  let out = options.bom ? '\uFEFF' : '';
  if (options.header) out += options.header.map(csvCell).join(',') + eol;
  for (const row of rows) out += row.map(csvCell).join(',') + eol;
  return out;
}
