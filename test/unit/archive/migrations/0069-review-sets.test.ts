import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0069-review-sets';
import { Sealer } from '../../../../electron/core/archive/sealing/sealer';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';

describe('migration 0069 review sets', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 69) db.transaction(() => step.up(db))();
    db.transaction(() => migration.up(db))();
    return db;
  };
  const set = (db: Database.Database, name: string) =>
    Number(
      db
        .prepare(
          `INSERT INTO review_sets (name, created_at, os_user, host, tool_version, source_json, source_text, items)
           VALUES (?, 1, 'ann', 'pc', '1.0', '{"hold":"h"}', 'hold: h', 1)`,
        )
        .run(name).lastInsertRowid,
    );
  const item = (db: Database.Database, setId: number, position: number, messageId: string) =>
    db.prepare(`INSERT INTO review_set_items (set_id, position, chat_id, message_id, message_key, time, content_hash) VALUES (?, ?, 'c1', ?, 1, 1, 'aa')`).run(setId, position, messageId)
      .lastInsertRowid;
  const coding = (db: Database.Database, setId: number, action: string, tag: string | null, note: string | null, reviewed: number | null) =>
    db
      .prepare(`INSERT INTO review_codings (set_id, chat_id, message_id, action, tag, note, reviewed, at, os_user, host) VALUES (?, 'c1', 'm1', ?, ?, ?, ?, 2, 'ann', 'pc')`)
      .run(setId, action, tag, note, reviewed).lastInsertRowid;

  it('creates the three sealed tables, each with row_hash and seal_id', () => {
    const db = migrated();
    expect(migration.version).toBe(69);
    for (const table of ['review_sets', 'review_set_items', 'review_codings']) {
      const columns = db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(table)
        .map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(['row_hash', 'seal_id']));
    }
  });

  it('keeps sets, items and codings as written: never deleted or changed, names unique, actions well formed', () => {
    const db = migrated();
    db.transaction(() => {
      const sealer = new Sealer(db);
      const seal = sealer.open('audit', null, 1);
      const id = set(db, 'first');
      sealer.reseal('review_sets', id);
      sealer.reseal('review_set_items', item(db, id, 1, 'm1'));
      sealer.reseal('review_codings', coding(db, id, 'tag', 'responsive', null, null));
      sealer.reseal('review_codings', coding(db, id, 'reviewed', null, null, 1));
      sealer.close(seal, 3);
    })();
    expect(verifyArchive(db).problems).toEqual([]);
    expect(() => set(db, 'first')).toThrow(/UNIQUE constraint failed/);
    expect(() => item(db, 1, 1, 'm2')).toThrow(/UNIQUE constraint failed/);
    expect(() => item(db, 1, 2, 'm1')).toThrow(/UNIQUE constraint failed/);
    for (const table of ['review_sets', 'review_set_items', 'review_codings']) {
      expect(() => db.prepare(`DELETE FROM ${table}`).run()).toThrow(/never deleted/);
    }
    expect(() => db.prepare("UPDATE review_sets SET name = 'other'").run()).toThrow(/never changed/);
    expect(() => db.prepare("UPDATE review_set_items SET content_hash = 'bb'").run()).toThrow(/never changed/);
    expect(() => db.prepare("UPDATE review_codings SET tag = 'privileged'").run()).toThrow(/never changed/);
    expect(() => coding(db, 1, 'erase', null, null, null)).toThrow(/CHECK constraint failed/);
    expect(() => coding(db, 1, 'tag', null, null, null)).toThrow(/CHECK constraint failed/);
    expect(() => coding(db, 1, 'note', 'responsive', null, null)).toThrow(/CHECK constraint failed/);
  });
});
