import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { latestSchemaVersion, migrations } from '../../../electron/core/archive/migrations';
import type { VaultError } from '../../../shared/errors';
import { useTempDir } from '../../helpers/tempDir';

describe('openArchiveDb', () => {
  const tempDir = useTempDir();

  it('creates a WAL archive at the latest schema with synchronous=FULL', () => {
    const path = join(tempDir(), 'nested', 'a.sqlite');
    const db = openArchiveDb(path, { create: true });
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses an archive written by a newer version and leaves it untouched', () => {
    const path = join(tempDir(), 'future.sqlite');
    openArchiveDb(path, { create: true }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${latestSchemaVersion + 1000}`);
    raw.close();
    const before = readFileSync(path);
    expect(() => openArchiveDb(path, { create: true })).toThrow(expect.objectContaining({ code: 'ARCHIVE_TOO_NEW' }));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('says clearly when the archive does not exist (read-only commands never create one)', () => {
    expect(() => openArchiveDb(join(tempDir(), 'missing.sqlite'), { readonly: true })).toThrow(expect.objectContaining({ code: 'ARCHIVE_NOT_FOUND' }));
  });

  it('refuses a file that is not an archive as NOT_AN_ARCHIVE, names it, advises checking the path, and changes nothing', () => {
    const dir = tempDir();
    const text = join(dir, 'README.md');
    writeFileSync(text, '# Read me\n\nthis is not a database, just some text\n'.repeat(50));
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const short = join(dir, 'short.sqlite');
    writeFileSync(short, 'SQLite');
    const foreign = join(dir, 'other-app.db');
    const other = new Database(foreign);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine')");
    other.close();
    const versioned = join(dir, 'versioned.db');
    const app = new Database(versioned);
    app.exec('CREATE TABLE settings (k, v)');
    app.pragma('user_version = 20');
    app.close();
    // A database with no tables left: SQLite wrote its header (a database never written is 0 bytes).
    const blank = join(dir, 'blank.db');
    const emptied = new Database(blank);
    emptied.exec('CREATE TABLE t (x); DROP TABLE t');
    emptied.close();
    const folder = join(dir, 'folder.sqlite');
    mkdirSync(folder);
    const cases: [string, string, { create?: boolean; readonly?: boolean }][] = [
      [text, 'it is not an SQLite database', { readonly: true }],
      [text, 'it is not an SQLite database', { create: true }],
      [short, 'it is not an SQLite database', { readonly: true }],
      [empty, 'the file is empty', { readonly: true }],
      [empty, 'the file is empty', {}],
      [foreign, "an SQLite database without Cliq Vault's tables", { readonly: true }],
      [foreign, "an SQLite database without Cliq Vault's tables", { create: true }],
      [versioned, "an SQLite database without Cliq Vault's tables", {}],
      [blank, 'an empty SQLite database', { readonly: true }],
      [folder, 'it is a folder', { readonly: true }],
    ];
    for (const [path, what, options] of cases) {
      const before = statSync(path).isDirectory() ? null : readFileSync(path);
      let thrown: unknown;
      try {
        openArchiveDb(path, options).close();
      } catch (error) {
        thrown = error;
      }
      expect([path, options, thrown]).toEqual([path, options, expect.objectContaining({ code: 'NOT_AN_ARCHIVE', message: `${path} is not a Cliq Vault archive (${what}) — check the path.` })]);
      expect((thrown as VaultError).hint).not.toMatch(/restore|snapshot/i);
      if (before !== null) expect(readFileSync(path).equals(before)).toBe(true);
      expect(existsSync(`${path}-wal`)).toBe(false);
    }
  });

  it('creates an archive in an empty file or a blank database when asked to create one', () => {
    const blankDatabase = (p: string) => {
      const db = new Database(p);
      db.exec('CREATE TABLE t (x); DROP TABLE t');
      db.close();
    };
    for (const make of [(p: string) => writeFileSync(p, ''), blankDatabase]) {
      const path = join(tempDir(), 'new.sqlite');
      make(path);
      const db = openArchiveDb(path, { create: true });
      expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      db.close();
    }
  });

  it('reads a blank database in WAL mode as an archive another process is creating', () => {
    const path = join(tempDir(), 'creating.sqlite');
    const creator = new Database(path);
    creator.pragma('journal_mode = WAL');
    creator.close();
    const db = openArchiveDb(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
  });

  it('keeps the advice to restore a snapshot for a real archive that is damaged', () => {
    const path = join(tempDir(), 'damaged.sqlite');
    openArchiveDb(path, { create: true }).close();
    const bytes = readFileSync(path);
    // Keep SQLite's 100-byte header; garble the rest of page 1 (the schema's root page).
    bytes.fill(0xa5, 100, 4096);
    writeFileSync(path, bytes);
    let thrown: unknown;
    try {
      openArchiveDb(path, { readonly: true }).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(expect.objectContaining({ code: 'ARCHIVE_CORRUPT' }));
    expect((thrown as VaultError).hint).toMatch(/restore the last good snapshot/);
  });

  it('upgrades an older archive before reading it, then reads it read-only', () => {
    const path = join(tempDir(), 'old.sqlite');
    // An archive of the first schema, as the first release left it.
    const old = new Database(path);
    const [first] = migrations;
    if (first === undefined) throw new Error('no migrations');
    old.transaction(() => first.up(old))();
    old.pragma(`user_version = ${first.version}`);
    old.close();
    const db = openArchiveDb(path, { readonly: true });
    expect(db.readonly).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
  });
});
