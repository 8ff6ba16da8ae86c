import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { keyFloor } from '../../../../electron/core/archive/messageKey';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0070-messages-insertion-order';
import { Sealer } from '../../../../electron/core/archive/sealing/sealer';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';

/** Schema 69 with messages stored out of time order (as a sync stores them), sealed, indexed and versioned. */
function archiveAt69(): Database.Database {
  const db = new Database(':memory:');
  for (const step of migrations) if (step.version < 70) db.transaction(() => step.up(db))();
  db.transaction(() => {
    const sealer = new Sealer(db);
    const seal = sealer.open('sync', null, 1);
    const insert = db.prepare(
      `INSERT INTO messages (id, chat_id, message_id, time, sender_id, type, text, content_hash, raw_json, version, version_seen_at, first_seen_at, search_scope)
       VALUES (?, ?, ?, ?, 'u1', 'text', ?, ?, ?, ?, 1, 1, 'c1')`,
    );
    // Conversation by conversation, each spanning the whole time range: keys arrive out of order.
    const stored = [
      ['c2', '1000000000000000003', 3_000, 'third word apple'],
      ['c1', '1000000000000000001', 1_000, 'first word banana'],
      ['c1', '1000000000000000004', 4_000, 'fourth word apple'],
      ['c2', '1000000000000000002', 2_000, 'second word cherry'],
    ] as const;
    for (const [chat, id, time, text] of stored) {
      insert.run(keyFloor(time), chat, id, time, text, `hash-${id}`, JSON.stringify({ id, text }), id.endsWith('4') ? 2 : 1);
      db.prepare('INSERT INTO messages_fts (rowid, text, file_name, extra_text, search_scope) VALUES (?, ?, NULL, NULL, ?)').run(keyFloor(time), text, 'c1');
      sealer.reseal('messages', keyFloor(time));
    }
    const version = db
      .prepare("INSERT INTO message_versions (message_rowid, version, content_hash, raw_json, text, seen_at, superseded_at) VALUES (?, 1, 'old', '{}', 'fourth word', 1, 2)")
      .run(keyFloor(4_000)).lastInsertRowid;
    sealer.reseal('message_versions', version);
    db.prepare("INSERT INTO reaction_checks (message_rowid, chat_id, checked_version, checked_at, status) VALUES (?, 'c1', 1, 1, 'ok')").run(keyFloor(1_000));
    sealer.close(seal, 2);
  })();
  return db;
}

/** As migrate() runs it (archive/connection.ts): foreign keys off, checked before commit. */
function migrate(db: Database.Database): void {
  expect(migration.rebuildsReferencedTable).toBe(true);
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    migration.up(db);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  })();
  db.pragma('foreign_keys = ON');
}

const everyRow = (db: Database.Database) => db.prepare('SELECT * FROM messages ORDER BY id').all();
const search = (db: Database.Database, words: string) =>
  db
    .prepare<[string], { message_id: string }>('SELECT m.message_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ? ORDER BY f.rowid')
    .all(words)
    .map((r) => r.message_id);
const indexNames = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((r) => r.name);

describe('migration 0070 messages insertion order', () => {
  it('keeps every row, column for column, its search index and its seals', () => {
    const db = archiveAt69();
    const before = everyRow(db);
    const indexesBefore = indexNames(db);
    expect(search(db, 'apple')).toEqual(['1000000000000000003', '1000000000000000004']);

    migrate(db);

    expect(migration.version).toBe(70);
    expect(everyRow(db)).toEqual(before);
    expect(indexNames(db)).toEqual([...indexesBefore, 'messages_key'].sort());
    expect(search(db, 'apple')).toEqual(['1000000000000000003', '1000000000000000004']);
    expect(search(db, 'word')).toHaveLength(4);
    expect(() => db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run()).not.toThrow();
    expect(verifyArchive(db).problems).toEqual([]);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    // The references to messages still name messages (not the table renamed aside).
    const schema = db
      .prepare<[], { sql: string }>('SELECT sql FROM sqlite_master WHERE sql IS NOT NULL')
      .all()
      .map((r) => r.sql)
      .join('\n');
    expect(schema).not.toContain('messages_before_70');
    expect(db.prepare('SELECT count(*) FROM message_versions v JOIN messages m ON m.id = v.message_rowid').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM tombstones').pluck().get()).toBe(0);
  });

  it('lays existing rows out in key order, then appends new ones whatever their key', () => {
    const db = archiveAt69();
    migrate(db);
    const byRowid = () =>
      db
        .prepare<[], { id: number }>('SELECT id FROM messages ORDER BY rowid')
        .all()
        .map((r) => r.id);
    expect(byRowid()).toEqual([1_000, 2_000, 3_000, 4_000].map(keyFloor));
    // id is no longer the rowid.
    expect(db.prepare('SELECT count(*) FROM messages WHERE rowid = id').pluck().get()).toBe(0);

    db.prepare(
      `INSERT INTO messages (id, chat_id, message_id, time, type, content_hash, raw_json, version_seen_at, first_seen_at)
       VALUES (?, 'c1', '1000000000000000000', 500, 'text', 'h', '{}', 3, 3)`,
    ).run(keyFloor(500));
    expect(byRowid()).toEqual([1_000, 2_000, 3_000, 4_000, 500].map(keyFloor));
    expect(() =>
      db
        .prepare(
          `INSERT INTO messages (id, chat_id, message_id, time, type, content_hash, raw_json, version_seen_at, first_seen_at)
           VALUES (?, 'c1', '1000000000000000009', 500, 'text', 'h', '{}', 3, 3)`,
        )
        .run(keyFloor(500)),
    ).toThrow('UNIQUE constraint failed: messages.id');
  });

  it('lets the sealer name a message by its key', () => {
    const db = archiveAt69();
    migrate(db);
    db.transaction(() => {
      const sealer = new Sealer(db);
      const seal = sealer.open('sync', null, 3);
      db.prepare("UPDATE messages SET text = 'edited', version = version + 1 WHERE id = ?").run(keyFloor(2_000));
      sealer.reseal('messages', keyFloor(2_000));
      sealer.close(seal, 4);
    })();
    expect(verifyArchive(db).problems).toEqual([]);
    db.prepare("UPDATE messages SET text = 'tampered' WHERE id = ?").run(keyFloor(3_000));
    expect(verifyArchive(db).problems).toEqual([expect.objectContaining({ kind: 'row_changed', table: 'messages' })]);
  });
});
