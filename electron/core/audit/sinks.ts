import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, renameSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { AuditFile, DataFormat } from '../../../shared/audit';

/**
 * Cells that spreadsheets would run as formulas. A cell starting with one of these gets a leading
 * apostrophe, which Excel and LibreOffice show as text. papaparse's escapeFormulae misses LF, so
 * the pattern is ours (the issue lists = + - @ tab CR LF).
 */
const formulaStart = new Set(['=', '+', '-', '@', '\t', '\r', '\n'].map((ch) => ch.charCodeAt(0)));
const needsQuotes = /[",\r\n]/;

/** A CSV text cell: neutralised if it could be a formula, quoted (RFC 4180) when it must be. */
export function csvText(value: string): string {
  // Only the first character counts: a set lookup rather than a regex (~15M text cells in 1M messages).
  const safe = formulaStart.has(value.charCodeAt(0)) ? `'${value}` : value;
  return needsQuotes.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * A CSV id cell. Spreadsheets read an all-digit cell as a number and keep 15 significant digits,
 * so 1901318000001615007 would become 1.90132E+18. `="…"` makes Excel and LibreOffice (with
 * formulas evaluated) show the digits as text; everything else is written as text.
 */
export function csvId(value: string, mode: 'excel' | 'plain'): string {
  if (mode === 'excel' && /^\d+$/.test(value)) return `"=""${value}"""`;
  return csvText(value);
}

/**
 * Text is encoded straight into a 256 KiB chunk, line by line, and the chunk is hashed and written
 * whole. Joining the buffered lines into one string and encoding that (what this did before) cost
 * 8× more: the lines are rope strings, and a join of ropes, some two-byte (emoji, other scripts),
 * is slow in V8 (docs/performance.md: 7.7 s of a 31 s export of 1M messages). The bytes are the
 * same: UTF-8 of each line, a lone surrogate as U+FFFD either way, and no line splits a pair.
 */
const chunkBytes = 1 << 18;
/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair: 4 for 2 units). */
const maxBytesPerUnit = 3;
/**
 * Bytes the stream may hold before write() asks to wait: a few chunks, so the disk writes one
 * while the next is encoded (with the default 16 KiB, every chunk waited for its own write). Four
 * 1 MiB chunks cost ~15 MB of peak RSS against the old writer; 256 KiB ones about nothing.
 */
const inFlightBytes = 4 * chunkBytes;

/** One output file being written: hashed and counted as it goes, with backpressure (also export/). */
export class HashedFile {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  rows = 0;
  private readonly stream: WriteStream;
  /** Taken at the first write after a flush: a small file (a transcript) never holds two. */
  private chunk: Buffer | null = null;
  private used = 0;
  /** Chunks the stream has written out, to encode into again (new ones each time cost ~60 MB of peak RSS). */
  private readonly spare: Buffer[] = [];
  /** Text too long for what is left of the chunk, encoded on its own; written after the chunk. */
  private overflow: Buffer[] = [];
  /**
   * A write that failed (ENOSPC…): with chunks in flight nobody may be waiting on the stream when
   * it fails, so the error is kept here and thrown by the next flush or close, never left unhandled.
   */
  private failure: Error | null = null;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'wx', highWaterMark: inFlightBytes });
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  async opened(): Promise<void> {
    await once(this.stream, 'open');
  }

  /** Buffers text; true when enough is buffered that the caller should await flush(). */
  write(text: string): boolean {
    if (this.overflow.length === 0 && text.length * maxBytesPerUnit <= chunkBytes - this.used) {
      this.chunk ??= this.spare.pop() ?? Buffer.allocUnsafeSlow(chunkBytes);
      this.used += this.chunk.write(text, this.used);
      return this.used >= chunkBytes - (chunkBytes >> 4);
    }
    this.overflow.push(Buffer.from(text, 'utf8'));
    return true;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = this.chunk;
    if (chunk !== null && this.used > 0) {
      // The stream keeps the chunk until it is on disk: encode the next into another.
      this.out(chunk.subarray(0, this.used), () => this.spare.push(chunk));
      this.chunk = null;
      this.used = 0;
    }
    for (const bytes of this.overflow.splice(0)) this.out(bytes);
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  private out(bytes: Buffer, written?: () => void): void {
    this.hash.update(bytes);
    this.bytes += bytes.length;
    this.stream.write(bytes, (error) => {
      // A failed write fails the stream, and close() with it; the chunk is simply not reused.
      if (!error) written?.();
    });
  }

  async close(): Promise<string> {
    await this.flush();
    this.spare.length = 0;
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'finish');
    return this.hash.digest('hex');
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/**
 * Writes one dataset in one format, splitting into parts of at most `maxRows` data rows (CSV
 * parts each repeat the header). Parts are named `<name>-0001.csv`…; a dataset that fits in one
 * part is renamed `<name>.csv` at the end, so names are deterministic.
 */
export class DatasetSink {
  private readonly files: { file: HashedFile; index: number }[] = [];
  private current: HashedFile | undefined;

  constructor(
    private readonly dir: string,
    private readonly dataset: string,
    private readonly format: DataFormat,
    private readonly header: string | undefined,
    private readonly maxRows: number,
  ) {}

  /**
   * Adds one line. Synchronous on the common path (a million rows should not cost a million
   * promises); returns a promise only when a part must be opened or buffered text written out.
   */
  row(line: string): Promise<void> | undefined {
    if (!this.current || this.current.rows >= this.maxRows) return this.nextPart().then(() => this.row(line));
    const file = this.current;
    file.rows += 1;
    return file.write(line) ? file.flush() : undefined;
  }

  /** Finishes every part; returns their descriptions (paths relative to the bundle's data dir). */
  async close(): Promise<AuditFile[]> {
    if (!this.current) await this.nextPart();
    const out: AuditFile[] = [];
    const single = this.files.length === 1;
    for (const { file, index } of this.files) {
      const sha256 = await file.close();
      let name = partName(this.dataset, this.format, index);
      if (single) {
        name = `${this.dataset}.${this.format}`;
        renameSync(file.path, join(this.dir, name));
      }
      const entry: AuditFile = { path: `data/${name}`, dataset: this.dataset, format: this.format, rows: file.rows, bytes: file.bytes, sha256 };
      if (!single) entry.part = { index, of: this.files.length };
      out.push(entry);
    }
    return out;
  }

  destroy(): void {
    for (const { file } of this.files) file.destroy();
  }

  private async nextPart(): Promise<void> {
    const index = this.files.length + 1;
    const file = new HashedFile(join(this.dir, partName(this.dataset, this.format, index)));
    this.files.push({ file, index });
    this.current = file;
    await file.opened();
    // UTF-8 byte order mark: Excel reads the file as UTF-8 only with it.
    if (this.format === 'csv') file.write(`\uFEFF${this.header ?? ''}\r\n`);
  }
}

function partName(dataset: string, format: DataFormat, index: number): string {
  return `${dataset}-${String(index).padStart(4, '0')}.${format}`;
}
