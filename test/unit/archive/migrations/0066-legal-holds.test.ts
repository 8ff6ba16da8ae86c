import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0066-legal-holds';
import { Sealer } from '../../../../electron/core/archive/sealing/sealer';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';

describe('migration 0066 legal holds', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 66) db.transaction(() => step.up(db))();
    db.transaction(() => migration.up(db))();
    return db;
  };
  const hold = (db: Database.Database, name: string) =>
    Number(db.prepare("INSERT INTO legal_holds (name, placed_at, os_user, host, tool_version, time_zone, query_mode) VALUES (?, 1, 'ann', 'pc', '1.0', 'UTC', 'simple')").run(name).lastInsertRowid);
  const release = (db: Database.Database, id: number, reason = 'settled') =>
    db.prepare("INSERT INTO legal_hold_releases (hold_id, released_at, os_user, host, tool_version, reason) VALUES (?, 2, 'ann', 'pc', '1.0', ?)").run(id, reason);

  it('creates the four sealed tables, each with row_hash and seal_id', () => {
    const db = migrated();
    expect(migration.version).toBe(66);
    for (const table of ['legal_holds', 'legal_hold_custodians', 'legal_hold_chats', 'legal_hold_releases']) {
      const columns = db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(table)
        .map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(['row_hash', 'seal_id']));
    }
  });

  it('keeps a name unique among active holds only', () => {
    const db = migrated();
    const first = hold(db, 'matter');
    expect(() => hold(db, 'matter')).toThrow(/already in use by an active hold/);
    release(db, first);
    expect(() => hold(db, 'matter')).not.toThrow();
    expect(() => release(db, hold(db, 'other'), ' ')).toThrow(/CHECK constraint failed/);
  });

  it('refuses to delete or change a record, but lets the sealer write its hash: the archive verifies', () => {
    const db = migrated();
    db.transaction(() => {
      const sealer = new Sealer(db);
      const seal = sealer.open('audit', null, 1);
      const id = hold(db, 'matter');
      sealer.reseal('legal_holds', id);
      sealer.reseal('legal_hold_chats', db.prepare("INSERT INTO legal_hold_chats (hold_id, chat_id, given) VALUES (?, 'c1', 'Alpha')").run(id).lastInsertRowid);
      sealer.reseal('legal_hold_custodians', db.prepare("INSERT INTO legal_hold_custodians (hold_id, given, user_id, email) VALUES (?, 'u1', 'u1', NULL)").run(id).lastInsertRowid);
      release(db, id);
      sealer.reseal('legal_hold_releases', id);
      sealer.close(seal, 2);
    })();
    expect(verifyArchive(db).problems).toEqual([]);
    for (const table of ['legal_holds', 'legal_hold_custodians', 'legal_hold_chats', 'legal_hold_releases']) {
      expect(() => db.prepare(`DELETE FROM ${table}`).run()).toThrow(/never deleted/);
    }
    expect(() => db.prepare("UPDATE legal_holds SET name = 'renamed'").run()).toThrow(/never changed/);
    expect(() => db.prepare("UPDATE legal_hold_chats SET chat_id = 'c2'").run()).toThrow(/never changed/);
    expect(() => db.prepare("UPDATE legal_hold_custodians SET user_id = 'u2'").run()).toThrow(/never changed/);
    expect(() => db.prepare("UPDATE legal_hold_releases SET reason = 'other'").run()).toThrow(/never changed/);
  });
});
