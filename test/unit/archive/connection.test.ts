import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { latestSchemaVersion } from '../../../electron/core/archive/migrations';
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

  it('reports a file that is not SQLite as ARCHIVE_CORRUPT', () => {
    const path = join(tempDir(), 'garbage.sqlite');
    writeFileSync(path, 'this is not a database, just some text '.repeat(200));
    expect(() => openArchiveDb(path, { create: true })).toThrow(expect.objectContaining({ code: 'ARCHIVE_CORRUPT' }));
  });

  it('upgrades an older archive before reading it, then reads it read-only', () => {
    const path = join(tempDir(), 'old.sqlite');
    const old = new Database(path);
    old.exec('CREATE TABLE marker (x)');
    old.close();
    const db = openArchiveDb(path, { readonly: true });
    expect(db.readonly).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
  });
});
