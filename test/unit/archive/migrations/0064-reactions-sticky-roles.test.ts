import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0064-reactions-sticky-roles';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';
import { keyColumns, laterSealedTables } from '../../../../electron/core/archive/sealing/sealedTables';

const evidence = ['reactions', 'sticky_messages', 'channel_member_roles', 'channel_permissions'] as const;

describe('migration 0064 reactions, sticky messages, channel roles and permissions', () => {
  const upTo = (version: number) => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < version) db.transaction(() => step.up(db))();
    return db;
  };

  it('adds four sealed interval tables with TEXT ids and two check tables, and leaves an archive of rows verifying', () => {
    const db = upTo(30);
    db.exec(`INSERT INTO chats (chat_id, kind, title, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at) VALUES ('c1', 'group', 'Ops', '{}', 'h', 0, 0, 0)`);
    for (const step of migrations) if (step.version >= 30 && step.version < 64) db.transaction(() => step.up(db))();
    const sealsBefore = db.prepare('SELECT count(*) AS n FROM seals').get();
    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(64);
    // New tables start empty: no genesis seal is needed, nothing else is re-hashed.
    expect(db.prepare('SELECT count(*) AS n FROM seals').get()).toEqual(sealsBefore);
    expect(verifyArchive(db).problems).toEqual([]);
    for (const table of evidence) {
      const columns = db.prepare<[string], { name: string; type: string }>('SELECT name, type FROM pragma_table_info(?)').all(table);
      const names = columns.map((c) => c.name);
      expect(names, table).toEqual(expect.arrayContaining(['first_seen_at', 'first_seen_run', 'gone_at', 'gone_run', 'row_hash', 'seal_id']));
      for (const c of columns) if (c.name.endsWith('_id') && c.name !== 'seal_id') expect([table, c.name, c.type]).toEqual([table, c.name, 'TEXT']);
      expect(laterSealedTables).toContain(table);
      for (const key of keyColumns[table]) expect(names, `${table} key ${key}`).toContain(key);
    }
    for (const table of ['reaction_checks', 'conversation_checks'])
      expect(db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table)?.n).toBe(1);
  });

  it('refuses values outside their vocabularies', () => {
    const db = upTo(64);
    db.transaction(() => migration.up(db))();
    expect(() => db.exec("INSERT INTO sticky_messages (chat_id, content_hash, raw_json, first_seen_at, ended_by) VALUES ('c', 'h', '{}', 0, 'forgotten')")).toThrow(/CHECK constraint failed/);
    expect(() => db.exec("INSERT INTO channel_permissions (channel_id, role, permission, allowed, value, first_seen_at) VALUES ('O1', 'guest', 'send_message', 1, 'true', 0)")).toThrow(
      /CHECK constraint failed/,
    );
    expect(() => db.exec("INSERT INTO channel_permissions (channel_id, role, permission, allowed, value, first_seen_at) VALUES ('O1', 'member', 'send_message', 2, 'true', 0)")).toThrow(
      /CHECK constraint failed/,
    );
    expect(() => db.exec("INSERT INTO conversation_checks (chat_id, source, checked_at, status) VALUES ('c', 'calls', 0, 'ok')")).toThrow(/CHECK constraint failed/);
    expect(() => db.exec("INSERT INTO reaction_checks (message_rowid, chat_id, checked_version, checked_at, status) VALUES (1, 'c', 1, 0, 'maybe')")).toThrow(/CHECK constraint failed/);
  });
});
