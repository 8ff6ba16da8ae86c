import type Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { VaultError, type ScreenWords } from '../../../shared/errors';
import { archiveKey, fileKind, keyNewFile, newSalt, openKeyed } from '../cipher';
import { settleStoreSwap } from '../files/storeSwap';
import { testPausePoint } from '../util/testPause';
import { latestSchemaVersion, migrations } from './migrations';
import type { Migration } from './migrations/types';

export interface OpenOptions {
  /** Create the file if it does not exist (sync does; stats and export do not). */
  create?: boolean;
  readonly?: boolean;
}

/**
 * Opens an archive file with the pragmas every connection needs and brings its schema up to date.
 *
 * - WAL: readers (the UI, an export) never block the writer, and a crash loses no committed page.
 * - synchronous=FULL: each committed page is on disk before the checkpoint that names it is trusted;
 *   one fsync per page of up to a few thousand messages costs little next to the network.
 * - An archive written by a newer Cliq Vault is refused, never "migrated down".
 */
export function openArchiveDb(path: string, options: OpenOptions = {}): Database.Database {
  const file = resolve(path);
  if (!existsSync(file)) {
    if (!options.create || options.readonly) {
      throw new VaultError('ARCHIVE_NOT_FOUND', `No archive at ${file}.`, {
        hint: 'Check the --archive path, or run `cliq-vault sync` to create the archive first.',
        ui: { message: `No archive at ${file}.`, hint: 'Check the archive path, or run a sync to create the archive first.' },
      });
    }
    mkdirSync(dirname(file), { recursive: true });
  }
  // An encrypt or rekey that a crash stopped between the archive's rename and its store's: finish it first.
  settleStoreSwap(file);
  const blankIsNew = options.create === true && !options.readonly;
  if (existsSync(file)) checkArchiveFile(file, blankIsNew);
  // A new archive is created encrypted when a key was given (CLIQ_VAULT_KEY, --key-file, the app's key).
  const key = archiveKey();
  const createEncrypted = blankIsNew && key !== undefined && ['missing', 'empty'].includes(fileKind(file));
  let db: Database.Database;
  try {
    db = openKeyed(file, { readonly: options.readonly ?? false, fileMustExist: !options.create });
    if (createEncrypted) keyNewFile(db, key, newSalt());
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw new VaultError('ARCHIVE_CORRUPT', `Could not open ${file} as an SQLite archive.`, { cause: error });
  }
  try {
    // Another process may be committing a page; wait for it rather than fail with SQLITE_BUSY.
    db.pragma('busy_timeout = 10000');
    // Before any pragma that writes (WAL): another program's database is refused untouched.
    checkArchiveSchema(db, file, blankIsNew);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // SQLite's default page cache is 2 MiB. A sync inserts all over the time-ordered messages table
    // and its indexes, and a group commit keeps its dirty pages until it commits: with 2 MiB they
    // spill to the WAL mid-transaction and are re-read. 32 MiB ingested ~10% faster than 8 MiB but
    // cost ~30 MB of peak RSS on a 1M-message sync (docs/performance.md); memory won — for plain
    // archives. In an encrypted one every page that leaves the cache is encrypted and HMAC'd
    // (SHA-512) and decrypted again when re-read: with 8 MiB, a group commit's spills and re-reads
    // made an ingest 1.5× the plain one; 64 MiB made it 1.0× and an export 1.05× (100k messages).
    const encrypted = createEncrypted || fileKind(file) === 'encrypted';
    db.pragma(`cache_size = -${(encrypted ? 64 : 8) * 1024}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestSchemaVersion) {
      throw new VaultError('ARCHIVE_TOO_NEW', `${file} was written by a newer Cliq Vault (schema ${version}; this version knows up to ${latestSchemaVersion}).`, {
        hint: 'Update Cliq Vault to open this archive. It was not changed.',
      });
    }
    if (version < latestSchemaVersion) {
      if (options.readonly) {
        // Reading an archive of an older schema: upgrade it once (each step is one atomic
        // transaction), then read it. Nothing archived changes meaning in a migration.
        db.close();
        openArchiveDb(file, { create: false }).close();
        return openArchiveDb(file, { readonly: true });
      }
      migrate(db, version);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof VaultError) throw error;
    throw new VaultError('ARCHIVE_CORRUPT', `${file} is not a readable Cliq Vault archive.`, {
      cause: error,
      ...restoreAdvice(`${file} is not a readable Cliq Vault archive.`),
    });
  }
}

/**
 * A file that is not a Cliq Vault archive at all (a text file, an empty file, a folder, another
 * program's SQLite database): most likely a wrong path, so the advice is to check it — never to
 * restore a snapshot, which is for an archive that was damaged.
 */
export function notAnArchive(file: string, what: string): VaultError {
  return new VaultError('NOT_AN_ARCHIVE', `${file} is not a Cliq Vault archive (${what}) — check the path.`, {
    hint: 'Give the .sqlite file a sync created. Nothing was changed.',
  });
}

const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses, before SQLite opens it, a path that cannot be an archive: a folder, a file that does not
 * start with SQLite's header, or an empty file (unless `blankIsNew`: sync creates an archive in it).
 */
export function checkArchiveFile(file: string, blankIsNew: boolean): void {
  const stat = statSync(file);
  if (stat.isDirectory()) throw notAnArchive(file, 'it is a folder');
  if (stat.size === 0) {
    if (blankIsNew) return;
    throw notAnArchive(file, 'the file is empty');
  }
  const head = Buffer.alloc(sqliteHeader.length);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < head.length || !head.equals(sqliteHeader)) {
    // No SQLite header: an encrypted archive (whole pages, opened with its key), or not an archive.
    if (fileKind(file) === 'encrypted') return;
    throw notAnArchive(file, 'it is not an SQLite database');
  }
}

/** Tables every archive has had since its first schema (migration 0010). */
const archiveTables = ['meta', 'sync_runs', 'messages'];

/**
 * Refuses an SQLite database that is not ours: one without a schema version and with tables of its
 * own, or with a version but without the archive's first tables. A blank database (no tables, no
 * version) is an archive to create when `blankIsNew` (or being created: WAL), and not one to read
 * otherwise. A read that
 * fails here (a damaged page) is left to the caller's ARCHIVE_CORRUPT.
 */
export function checkArchiveSchema(db: Database.Database, file: string, blankIsNew: boolean): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = new Set(db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
  if (version === 0 && tables.size === 0) {
    // In WAL mode, a blank database is an archive another process is creating (WAL is the first
    // thing openArchiveDb sets): a reader waits for its schema like any reader of an old archive.
    if (blankIsNew || db.pragma('journal_mode', { simple: true }) === 'wal') return;
    throw notAnArchive(file, 'an empty SQLite database');
  }
  if (version === 0 || !archiveTables.every((t) => tables.has(t))) throw notAnArchive(file, "an SQLite database without Cliq Vault's tables");
}

/** What to do about a damaged archive, for the CLI (`hint`) and for the screens (`ui`, which has `message`). */
function restoreAdvice(message: string): { hint: string; ui: ScreenWords } {
  return {
    hint:
      'If the file was damaged, keep it as it is and restore the last good snapshot: `cliq-vault backup --list --to DIR` shows them, ' +
      '`cliq-vault restore --archive FILE --from SNAPSHOT --yes` puts one back (the damaged file is kept beside it).',
    ui: { message, hint: 'If the file was damaged, keep it as it is and restore the last good snapshot under Schedule & backups (the damaged file is kept beside it).' },
  };
}

/**
 * A failure of the archive's storage met while reading or writing an open archive, in the words a
 * user can act on: SQLITE_FULL as IO_ERROR (the disk is full), SQLITE_CORRUPT… and SQLITE_NOTADB as
 * ARCHIVE_CORRUPT (restore), SQLITE_IOERR… as IO_ERROR. Undefined for anything else.
 */
export function archiveFailure(error: unknown): VaultError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const detail = `${error instanceof Error ? error.message : code} (${code})`;
  if (code === 'SQLITE_FULL') {
    return new VaultError('IO_ERROR', `The disk holding the archive is full: ${detail}.`, {
      cause: error,
      hint: 'Free some space and run again: every page stored before was committed with its checkpoint, so nothing archived was lost.',
    });
  }
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return new VaultError('ARCHIVE_CORRUPT', `The archive is damaged: ${detail}.`, { cause: error, ...restoreAdvice(`The archive is damaged: ${detail}.`) });
  if (code.startsWith('SQLITE_IOERR')) {
    return new VaultError('IO_ERROR', `Reading or writing the archive failed: ${detail}.`, { cause: error, hint: 'Check the disk (and its free space), then run again.' });
  }
  return undefined;
}

/**
 * Refuses to write into a damaged archive. A sync only reads the pages it changes, so damage in
 * the middle of the file (a bad sector, a torn copy) would otherwise go unnoticed while new pages
 * are written around it, and the next backup would fail or copy it. `quick_check` reads every
 * page once (about as long as copying the file) but skips the index cross-checks of
 * integrity_check; nothing is written when it fails.
 */
export function assertIntact(db: Database.Database, file: string): void {
  let findings: string[];
  try {
    findings = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (error) {
    findings = [error instanceof Error ? error.message : String(error)];
  }
  if (findings.length === 1 && findings[0] === 'ok') return;
  const message = `${resolve(file)} is damaged (PRAGMA quick_check: ${findings.join('; ')}); nothing was written to it.`;
  throw new VaultError('ARCHIVE_CORRUPT', message, restoreAdvice(message));
}

/** After a step that rebuilt a referenced table with foreign keys off: every reference still resolves. */
function assertForeignKeysHold(db: Database.Database): void {
  const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
  if (broken.length > 0) throw new Error(`${broken.length} rows of ${broken[0]?.table} reference a missing ${broken[0]?.parent} row`);
}

function migrate(db: Database.Database, from: number): void {
  testPausePoint('migration:pending');
  for (const step of migrations) if (step.version > from) applyMigrationStep(db, step, from);
}

/**
 * Applies one schema step in its own immediate transaction; a failure rolls it back whole and is
 * MIGRATION_FAILED. Exported for its tests.
 */
export function applyMigrationStep(db: Database.Database, step: Migration, from: number): void {
  if (step.rebuildsReferencedTable) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      // Another process may have applied this step since `from` was read (two openers of an old
      // archive, one waiting for the other's write lock): the version seen under the lock decides.
      if ((db.pragma('user_version', { simple: true }) as number) >= step.version) return;
      step.up(db);
      if (step.rebuildsReferencedTable) assertForeignKeysHold(db);
      testPausePoint(`migration:${step.version}`);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  } catch (error) {
    throw new VaultError('MIGRATION_FAILED', `Schema migration ${step.version} (${step.name}) failed; the archive was left at schema ${from}.`, {
      cause: error,
    });
  } finally {
    if (step.rebuildsReferencedTable) db.pragma('foreign_keys = ON');
  }
}
