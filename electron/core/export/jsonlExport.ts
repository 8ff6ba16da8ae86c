import type Database from 'better-sqlite3-multiple-ciphers';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VaultError } from '../../../shared/errors';
import { archiveFailure } from '../archive/connection';
import { HashedFile } from '../audit/sinks';
import { throwIfAborted } from '../util/clock';
import { kindSpecs, type ExportKind, type KindSpec } from './kinds';

export { exportKinds, type ExportKind } from './kinds';

/** One written kind: its rows, and the bytes and SHA-256 of the file as written. */
export interface WrittenKind {
  kind: ExportKind;
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

function toLine(row: Record<string, unknown>, json: readonly string[]): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    const encoded = json.includes(key) && typeof value === 'string' ? value : JSON.stringify(value ?? null);
    parts.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${parts.join(',')}}\n`;
}

/** Refuses, before anything is written, a kind whose table this archive's schema does not have yet. */
export function checkKindsPresent(db: Database.Database, kinds: readonly ExportKind[]): void {
  const exists = db.prepare<[string, string], number>('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?').pluck();
  for (const kind of kinds) {
    const since = kindSpecs[kind].since;
    if (since !== undefined && exists.get('table', since.table) === undefined) {
      throw new VaultError('USAGE', `This archive predates ${kind} (schema ${since.version}); nothing about them is recorded in it yet.`, {
        hint: 'Run a sync of this archive first: it upgrades the archive and records them.',
      });
    }
  }
}

/** The kind's query for this archive: without a later column an older archive lacks. */
function sqlOf(db: Database.Database, spec: KindSpec): string {
  const later = spec.laterColumn;
  if (later === undefined) return spec.sql;
  const has = db.prepare<[string, string], number>('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').pluck().get(later.table, later.column) !== undefined;
  return has ? spec.sql : later.sqlWithout;
}

/**
 * Streams one kind to `path` (created, never overwritten): one JSON object per line, ids as
 * strings, times as epoch ms, stored JSON verbatim. The caller holds the read transaction.
 */
export async function writeKind(db: Database.Database, kind: ExportKind, path: string, signal?: AbortSignal): Promise<WrittenKind> {
  const spec = kindSpecs[kind];
  const file = new HashedFile(path);
  try {
    await file.opened();
    for (const row of db.prepare(sqlOf(db, spec)).iterate() as IterableIterator<Record<string, unknown>>) {
      throwIfAborted(signal);
      file.rows += 1;
      if (file.write(toLine(row, spec.json))) await file.flush();
    }
    const sha256 = await file.close();
    return { kind, path, rows: file.rows, bytes: file.bytes, sha256 };
  } catch (error) {
    file.destroy();
    throw error;
  }
}

/**
 * The error to show for a failed export: ours as is, the archive's storage failures in their words,
 * anything else as a failure to write `target`.
 */
export function exportFailure(error: unknown, target: string): VaultError {
  if (error instanceof VaultError) return error;
  const archived = archiveFailure(error);
  if (archived !== undefined) return archived;
  const code = (error as NodeJS.ErrnoException).code;
  return new VaultError('IO_ERROR', `Could not write ${target}${code ? ` (${code})` : ''}.`, {
    cause: error,
    hint: code === 'ENOSPC' ? 'The disk is full; free some space and export again.' : 'Check that the folder exists and is writable.',
  });
}

/**
 * Reads in one read transaction (a consistent snapshot while a sync may write), unless the caller
 * already holds one; always ends the transaction it opened.
 */
export async function inReadTransaction<T>(db: Database.Database, work: () => Promise<T>): Promise<T> {
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    return await work();
  } finally {
    if (own && db.inTransaction) db.exec('COMMIT');
  }
}

/**
 * Streams one kind of record to a JSONL file: one JSON object per line, ids as strings, times as
 * epoch ms, the stored payload verbatim. Written to a temporary file beside `outPath` and renamed
 * into place only when complete, so a failure or cancel never leaves a partial file behind.
 */
export async function exportJsonl(db: Database.Database, kind: ExportKind, outPath: string, signal?: AbortSignal): Promise<{ rows: number; path: string }> {
  checkKindsPresent(db, [kind]);
  const temp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.partial`);
  try {
    const written = await inReadTransaction(db, () => writeKind(db, kind, temp, signal));
    renameSync(temp, outPath);
    return { rows: written.rows, path: outPath };
  } catch (error) {
    rmSync(temp, { force: true });
    throw exportFailure(error, outPath);
  }
}
