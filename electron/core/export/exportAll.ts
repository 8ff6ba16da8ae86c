import type Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { VaultError } from '../../../shared/errors';
import { systemClock, type Clock } from '../util/clock';
import { toolName, toolVersion } from '../version';
import { exportKinds } from './kinds';
import { checkKindsPresent, exportFailure, inReadTransaction, writeKind } from './jsonlExport';

export const exportFormat = 'cliq-vault-jsonl-export';

/** One file of an `export --all` folder, as manifest.json lists it (path relative to the folder). */
export interface ExportedFile {
  kind: string;
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportAllResult {
  dir: string;
  files: ExportedFile[];
}

export interface ExportAllOptions {
  /** The archive's path, as recorded in the manifest. */
  archivePath: string;
  /** The folder to create: it must not exist, or be empty. */
  outDir: string;
  signal?: AbortSignal;
  clock?: Pick<Clock, 'now'>;
}

/** Refuses a destination that holds anything: an export never writes over or beside other files. */
function checkDestination(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) {
    throw new VaultError('USAGE', `${outDir} is a file, not a folder.`, { hint: 'Choose a new folder name (or an empty folder).' });
  }
  if (readdirSync(outDir).length > 0) {
    throw new VaultError('USAGE', `${outDir} is not empty.`, { hint: 'An export never writes over anything: choose a new folder name (or an empty folder).' });
  }
}

/**
 * `export --all`: every kind to `<outDir>/<kind>.jsonl`, plus manifest.json (each file's rows,
 * bytes and SHA-256; the archive's path, schema version and seal head; tool and time). All kinds are
 * read in one read transaction, so the files agree with each other. Written to a hidden folder
 * beside `outDir` and renamed into place only when complete: a failure or cancel leaves nothing.
 */
export async function exportAll(db: Database.Database, options: ExportAllOptions): Promise<ExportAllResult> {
  const clock = options.clock ?? systemClock;
  const outDir = resolve(options.outDir);
  checkDestination(outDir);
  checkKindsPresent(db, exportKinds);
  const createdAt = new Date(clock.now()).toISOString();
  const temp = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(temp);
    const { files, schemaVersion, head } = await inReadTransaction(db, async () => {
      const written: ExportedFile[] = [];
      for (const kind of exportKinds) {
        const file = await writeKind(db, kind, join(temp, `${kind}.jsonl`), options.signal);
        written.push({ kind, path: `${kind}.jsonl`, rows: file.rows, bytes: file.bytes, sha256: file.sha256 });
      }
      return {
        files: written,
        schemaVersion: db.pragma('user_version', { simple: true }) as number,
        head: db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM seals WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1').get(),
      };
    });
    const manifest = {
      format: exportFormat,
      formatVersion: 1,
      tool: { name: toolName, version: toolVersion },
      createdAt,
      archive: { path: resolve(options.archivePath), schemaVersion, integrityHead: head ? { sealId: head.id, hash: head.hash } : null },
      files,
    };
    writeFileSync(join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    // An empty folder given as --out is replaced; rmdir fails if anything appeared in it meanwhile.
    if (existsSync(outDir)) rmdirSync(outDir);
    renameSync(temp, outDir);
    return { dir: outDir, files };
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw exportFailure(error, outDir);
  }
}
