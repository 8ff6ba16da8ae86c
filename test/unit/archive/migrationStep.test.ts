import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { applyMigrationStep } from '../../../electron/core/archive/connection';
import type { Migration } from '../../../electron/core/archive/migrations/types';
import { VaultError } from '../../../shared/errors';

/** A parent table with a child that references it, at schema 1. */
function parentAndChild(): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
           CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent(id));
           INSERT INTO parent VALUES (1, 'a'), (2, 'b');
           INSERT INTO child VALUES (1), (2);
           PRAGMA user_version = 1;`);
  return db;
}

/** Rebuilds `parent` with `id` as a plain UNIQUE column, keeping the rows `where` selects. */
const rebuild = (where: string): Migration => ({
  version: 2,
  name: 'rebuild parent',
  rebuildsReferencedTable: true,
  up(db) {
    db.exec(`CREATE TABLE parent_new (id INTEGER NOT NULL UNIQUE, name TEXT);
             INSERT INTO parent_new SELECT id, name FROM parent WHERE ${where};
             DROP TABLE parent;
             ALTER TABLE parent_new RENAME TO parent;`);
  },
});

describe('a migration step that rebuilds a referenced table', () => {
  it('runs with foreign keys off, and turns them back on', () => {
    const db = parentAndChild();
    applyMigrationStep(db, rebuild('1'), 1);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT count(*) FROM child JOIN parent ON parent.id = child.parent_id').pluck().get()).toBe(2);
    expect(() => db.prepare('INSERT INTO child VALUES (9)').run()).toThrow('FOREIGN KEY constraint failed');
  });

  it('is refused whole when a reference no longer resolves, and leaves the archive as it was', () => {
    const db = parentAndChild();
    let error: unknown;
    try {
      applyMigrationStep(db, rebuild('id = 1'), 1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe('MIGRATION_FAILED');
    expect((error as VaultError).message).toContain('left at schema 1');
    expect(((error as VaultError).cause as Error).message).toContain('1 rows of child reference a missing parent row');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id FROM parent ORDER BY id').pluck().all()).toEqual([1, 2]);
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'parent'").pluck().get()).toContain('INTEGER PRIMARY KEY');
  });

  it('keeps foreign keys on for every other step', () => {
    const db = parentAndChild();
    const step: Migration = { version: 2, name: 'delete a parent', up: (d) => d.exec('DELETE FROM parent WHERE id = 2') };
    expect(() => applyMigrationStep(db, step, 1)).toThrow(/Schema migration 2 \(delete a parent\) failed/);
    expect(db.prepare('SELECT count(*) FROM parent').pluck().get()).toBe(2);
  });
});
