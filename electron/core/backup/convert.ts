import type Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { VaultError } from '../../../shared/errors';
import { pidIsAlive } from '../archive/archive';
import { openArchiveDb } from '../archive/connection';
import { LeaseRepo, type LeaseHolder } from '../archive/leaseRepo';
import { Sealer } from '../archive/sealing/sealer';
import { verifyArchive } from '../archive/sealing/verify';
import { archiveKey, fileKind, fileSalt, newSalt, openKeyed, rekeyFile, useArchiveKey, type ArchiveKey } from '../cipher';
import { fileKey } from '../cipher/archiveKey';
import { fileStoreKey } from '../files/sealedFile';
import { openFileStore, type FileStore } from '../files/store';
import { beginStoreSwap, settleStoreSwap } from '../files/storeSwap';
import { systemClock, type Clock } from '../util/clock';
import { testPausePoint } from '../util/testPause';
import { toolVersion } from '../version';
import { removeStalePartials } from './catalog';
import { fsyncDir, fsyncFile } from './files';
import { partialPath } from './names';
import { integrityOf, removeDatabaseFiles } from './onlineCopy';

/** What `encrypt`, `decrypt` and `rekey` report. */
export interface ConvertReport {
  action: 'encrypt' | 'decrypt' | 'rekey';
  archivePath: string;
  /** Where the converted archive is: the archive itself (encrypt, rekey) or the new file (decrypt). */
  outPath: string;
  /** Rows per table, equal in the original and the copy (the check that let the swap happen). */
  rows: number;
  tables: number;
  seals: number;
}

const leaseTtlMs = 10 * 60_000;
const stopOthersHint = 'Nothing was changed. Quit the desktop app and any Cliq Vault command using this archive, then run it again.';

/**
 * Encrypts a plain archive in place: a copy under the key is made beside it, checked (integrity,
 * every seal, the same rows in every table), then renamed over the original, which is removed
 * only by that rename. A crash (SIGKILL) at any point leaves the plain archive as it was or the
 * encrypted one, never a mix: the rename is the commit.
 */
export async function encryptArchive(archivePath: string, key: ArchiveKey, clock: Pick<Clock, 'now'> = systemClock): Promise<ConvertReport> {
  const file = resolve(archivePath);
  const kind = fileKind(file);
  if (kind === 'encrypted') {
    throw new VaultError('USAGE', `${file} is already encrypted.`, {
      hint: 'To change its key, use `cliq-vault rekey --archive FILE` with CLIQ_VAULT_KEY_NEW or --new-key-file.',
      ui: { message: `${file} is already encrypted.`, hint: 'Change its key instead.' },
    });
  }
  if (kind !== 'plain')
    throw new VaultError(kind === 'missing' ? 'ARCHIVE_NOT_FOUND' : 'NOT_AN_ARCHIVE', `${file} is not a Cliq Vault archive to encrypt.`, {
      hint: 'Check the --archive path.',
      ui: { message: `${file} is not a Cliq Vault archive to encrypt.`, hint: 'Check the archive path.' },
    });
  return convertInPlace(file, undefined, key, 'encrypt', clock);
}

/** Changes the key of an encrypted archive (same copy → check → rename as {@link encryptArchive}). */
export async function rekeyArchive(archivePath: string, current: ArchiveKey, next: ArchiveKey, clock: Pick<Clock, 'now'> = systemClock): Promise<ConvertReport> {
  const file = resolve(archivePath);
  if (fileKind(file) !== 'encrypted')
    throw new VaultError('USAGE', `${file} is not encrypted: there is no key to change.`, {
      hint: 'Encrypt it with `cliq-vault encrypt --archive FILE`.',
      ui: { message: `${file} is not encrypted: there is no key to change.`, hint: 'Encrypt it first.' },
    });
  return convertInPlace(file, current, next, 'rekey', clock);
}

/**
 * Writes a plain copy of an encrypted archive to `outPath`, which must not exist (it is never
 * written over), with the archive's stored files linked into the copy's store. The archive is
 * not changed.
 */
export async function decryptArchive(archivePath: string, key: ArchiveKey, outPath: string, clock: Pick<Clock, 'now'> = systemClock): Promise<ConvertReport> {
  const file = resolve(archivePath);
  const out = resolve(outPath);
  if (fileKind(file) !== 'encrypted')
    throw new VaultError('USAGE', `${file} is not encrypted.`, {
      hint: 'A plain archive can be copied with `cliq-vault backup`.',
      ui: { message: `${file} is not encrypted.`, hint: 'A plain archive can be copied with a backup.' },
    });
  if (existsSync(out) || existsSync(`${out}.files`))
    throw new VaultError('USAGE', `${out} already exists; decrypt never writes over a file.`, {
      hint: 'Give a new path with --out.',
      ui: { message: `${out} already exists; a plain copy never writes over a file.`, hint: 'Choose a new file name.' },
    });
  mkdirSync(dirname(out), { recursive: true });
  removeStalePartials(dirname(out));
  useArchiveKey(key);
  const source = openArchiveDb(file, { readonly: true });
  const temp = partialPath(dirname(out), 'sqlite');
  let placed = false;
  try {
    const counts = copyConverted(source, temp, key, undefined);
    const report = { action: 'decrypt' as const, archivePath: file, outPath: out, ...counts };
    const files = await copyStore(storeUnder(file, key), openFileStore(temp, { key: undefined }));
    // link() refuses an existing name where rename() would replace it: B is never overwritten.
    linkSync(temp, out);
    placed = true;
    rmSync(temp, { force: true });
    if (files) renameSync(`${temp}.files`, `${out}.files`);
    fsyncDir(dirname(out));
    recordEvent(out, undefined, 'archive_decrypted', clock, { from: file });
    return report;
  } finally {
    source.close();
    removeDatabaseFiles(temp);
    rmSync(`${temp}.files`, { recursive: true, force: true });
    if (!placed) rmSync(`${out}.files`, { recursive: true, force: true });
  }
}

async function convertInPlace(file: string, from: ArchiveKey | undefined, to: ArchiveKey, action: 'encrypt' | 'rekey', clock: Pick<Clock, 'now'>): Promise<ConvertReport> {
  const dir = dirname(file);
  settleStoreSwap(file);
  removeStalePartials(dir);
  useArchiveKey(from);
  const me: LeaseHolder = { holder: `cliq-vault ${toolVersion} ${action}`, pid: process.pid, host: hostname() };
  let db: Database.Database | undefined = openArchiveDb(file);
  const temp = partialPath(dir, 'sqlite');
  let swapped = false;
  let leaseHeld = false;
  try {
    const taken = new LeaseRepo(db, pidIsAlive, clock).acquire(me, leaseTtlMs);
    if (!taken.ok) throw new VaultError('ARCHIVE_LOCKED', `The archive is being written by another process (${taken.current.holder}, pid ${taken.current.pid}).`, { hint: stopOthersHint });
    leaseHeld = true;
    // The copy carries this lease: the archive is never without it between the rename and the release.
    const counts = copyConverted(db, temp, from, to);
    // The stored files, sealed under the new key in the copy's own store (checked by their hashes).
    const files = await copyStore(storeUnder(file, from), openFileStore(temp, { key: fileStoreKey(fileKey(to, fileSalt(temp))) }));
    testPausePoint('cipher:verified');
    // Every committed page in the main file and no connection left: nothing of the plain WAL survives the swap.
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (!result || result.busy !== 0) throw new VaultError('ARCHIVE_LOCKED', `Another process is reading ${file}, so its WAL cannot be emptied.`, { hint: stopOthersHint });
    db.close();
    db = undefined;
    if (existsSync(`${file}-wal`)) throw new VaultError('ARCHIVE_LOCKED', `Another process has ${file} open.`, { hint: stopOthersHint });
    rmSync(`${file}-shm`, { force: true });
    fsyncFile(temp);
    const swap = files ? { copy: temp, next: `${temp}.files`, old: `${partialPath(dir, 'sqlite')}.files` } : null;
    if (swap) beginStoreSwap(file, swap);
    renameSync(temp, file);
    swapped = true;
    fsyncDir(dir);
    testPausePoint('cipher:swapped');
    // The store follows the archive (or, after a crash here, whoever opens the archive next moves it).
    settleStoreSwap(file);
    useArchiveKey(to);
    recordEvent(file, to, action === 'encrypt' ? 'archive_encrypted' : 'archive_rekeyed', clock, { by: byWhom() }, me);
    return { action, archivePath: file, outPath: file, ...counts };
  } catch (error) {
    if (!swapped) useArchiveKey(from);
    throw error;
  } finally {
    if (db !== undefined) {
      if (leaseHeld && !swapped) new LeaseRepo(db, pidIsAlive, clock).release(me);
      db.close();
    }
    if (!swapped) {
      removeDatabaseFiles(temp);
      rmSync(`${temp}.files`, { recursive: true, force: true });
      settleStoreSwap(file);
    }
  }
}

/** The store of `file` under `key` (plain when undefined). */
function storeUnder(file: string, key: ArchiveKey | undefined): FileStore {
  return openFileStore(file, { key: key === undefined || fileKind(file) !== 'encrypted' ? undefined : fileStoreKey(fileKey(key, fileSalt(file))) });
}

/**
 * Copies every object of `from` into `to` (each read authenticated when sealed, written sealed
 * when `to` is), checking that each still hashes to its name. False when there is no store.
 */
async function copyStore(from: FileStore, to: FileStore): Promise<boolean> {
  if (!existsSync(from.root)) return false;
  mkdirSync(to.root, { recursive: true });
  for await (const sha256 of from.list()) {
    const put = await to.put(from.read(sha256));
    if (put.sha256 !== sha256) {
      throw new VaultError('TAMPERED', `The stored file ${sha256} no longer hashes to its name; nothing was converted.`, {
        hint: 'Run `cliq-vault verify --archive FILE --files` to list such files.',
        ui: { message: `The stored file ${sha256} no longer hashes to its name; nothing was converted.`, hint: 'Verify the archive with its files to list such files.' },
      });
    }
  }
  rmSync(join(to.root, 'tmp'), { recursive: true, force: true });
  return true;
}

/**
 * `VACUUM INTO` a temp file (it keeps the source's encryption and salt), then `rekey` the temp
 * copy to the target (a new salt; undefined: plain) and check it against the source: integrity,
 * every seal, and the same number of rows in every table.
 */
function copyConverted(source: Database.Database, temp: string, from: ArchiveKey | undefined, to: ArchiveKey | undefined): { rows: number; tables: number; seals: number } {
  const before = tableCounts(source);
  source.prepare('VACUUM INTO ?').run(temp);
  const copy = openKeyed(temp, { fileMustExist: true, key: from });
  try {
    // rekey rewrites every page; SQLite3MultipleCiphers refuses it in WAL mode.
    copy.pragma('journal_mode = DELETE');
    rekeyFile(copy, to, newSalt());
  } finally {
    copy.close();
  }
  const check = openKeyed(temp, { fileMustExist: true, key: to });
  try {
    const integrity = integrityOf(check);
    if (integrity !== 'ok') throw new VaultError('BACKUP_FAILED', `The converted copy failed integrity_check (${integrity}); the archive was not changed.`);
    const report = verifyArchive(check);
    if (!report.ok) throw new VaultError('BACKUP_FAILED', `The converted copy does not verify (${report.problems.length} problem(s)); the archive was not changed.`);
    const after = tableCounts(check);
    const differing = [...before.keys()].filter((table) => after.get(table) !== before.get(table));
    if (differing.length > 0 || after.size !== before.size) {
      throw new VaultError('BACKUP_FAILED', `The converted copy's rows differ from the archive's (${differing.join(', ') || 'tables'}); the archive was not changed.`);
    }
    return { rows: [...after.values()].reduce((a, b) => a + b, 0), tables: after.size, seals: report.seals };
  } finally {
    check.close();
  }
}

/** Rows per table (FTS and its shadow tables included: search must find the same things). */
function tableCounts(db: Database.Database): Map<string, number> {
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
  return new Map(
    tables.map((table) => [
      table,
      db
        .prepare<[], number>(`SELECT count(*) FROM "${table.replaceAll('"', '""')}"`)
        .pluck()
        .get() ?? 0,
    ]),
  );
}

/** The archive records the conversion as a sealed event (kind 'audit'), and the lease this run held is released. */
function recordEvent(file: string, key: ArchiveKey | undefined, kind: string, clock: Pick<Clock, 'now'>, details: Record<string, unknown>, lease?: LeaseHolder): void {
  // Opens `file` with `key`, then gives the process back the key it had: a plain copy written by
  // decrypt must not leave the process unable to read the encrypted archive it came from.
  const before = archiveKey();
  useArchiveKey(key);
  let db: Database.Database;
  try {
    db = openArchiveDb(file);
  } catch (error) {
    useArchiveKey(before);
    throw error;
  }
  try {
    const sealer = new Sealer(db);
    const now = clock.now();
    db.transaction(() => {
      const sealId = sealer.open('audit', null, now);
      const event = db.prepare('INSERT INTO archive_events (at, run_id, kind, subject, detail) VALUES (?, NULL, ?, NULL, ?)').run(now, kind, JSON.stringify(details));
      sealer.reseal('archive_events', event.lastInsertRowid);
      sealer.close(sealId, now);
    }).immediate();
    if (lease !== undefined) new LeaseRepo(db, pidIsAlive, clock).release(lease);
  } finally {
    db.close();
    useArchiveKey(before);
  }
}

function byWhom(): { user: string; host: string } {
  return { user: userInfo().username, host: hostname() };
}
