import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0065-calls-scheduled-messages';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';

describe('migration 0065 calls and scheduled messages', () => {
  const upTo = (version: number) => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < version) db.transaction(() => step.up(db))();
    return db;
  };
  const kindsOf = (db: Database.Database) => /kind IN \(([^)]*)\)/.exec(db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'entity_history'").get()?.sql ?? '')?.[1];
  const history = (db: Database.Database, kind: string) => db.prepare(`INSERT INTO entity_history (kind, entity_key, source_json, seen_at, superseded_at) VALUES (?, 'k', '{}', 1, 2)`).run(kind);

  it('adds its kinds to entity_history, keeping every row, its id, hash and seal: the archive still verifies', () => {
    const db = upTo(30);
    db.exec(`INSERT INTO entity_history (id, kind, entity_key, source_json, seen_at, superseded_at) VALUES (7, 'user', 'u1', '{"name":"Ann"}', 1, 2)`);
    for (const step of migrations) if (step.version >= 30 && step.version < 65) db.transaction(() => step.up(db))();
    const before = db.prepare('SELECT id, kind, entity_key, source_json, row_hash, seal_id FROM entity_history').all();
    expect(verifyArchive(db).problems).toEqual([]);

    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(65);
    expect(db.prepare('SELECT id, kind, entity_key, source_json, row_hash, seal_id FROM entity_history').all()).toEqual(before);
    expect(verifyArchive(db).problems).toEqual([]);
    // 0063 (the org directory) added its four kinds first: they are kept.
    expect(kindsOf(db)).toBe("'chat', 'channel', 'thread', 'user', 'department', 'designation', 'role', 'team', 'call', 'call_participant', 'scheduled_message'");
    for (const kind of ['call', 'call_participant', 'scheduled_message']) expect(() => history(db, kind)).not.toThrow();
    expect(() => history(db, 'meeting')).toThrow(/CHECK constraint failed/);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'entity_history'").all()).toEqual([{ name: 'entity_history_key' }]);
  });

  it("keeps the kinds an earlier step of the release added to entity_history's list", () => {
    const db = upTo(65);
    // 0063, released beside this one, rebuilt the table (its name now quoted) with the directory's kinds.
    expect(kindsOf(db)).toBe("'chat', 'channel', 'thread', 'user', 'department', 'designation', 'role', 'team'");
    db.transaction(() => migration.up(db))();
    expect(kindsOf(db)).toBe("'chat', 'channel', 'thread', 'user', 'department', 'designation', 'role', 'team', 'call', 'call_participant', 'scheduled_message'");
    for (const kind of ['department', 'team', 'call']) expect(() => history(db, kind)).not.toThrow();
  });

  it('creates the sealed tables, refuses an unknown fate or trigger, and reads call notices from archived messages', () => {
    const db = upTo(65);
    db.transaction(() => migration.up(db))();
    for (const table of ['calls', 'call_participants', 'scheduled_messages']) {
      const columns = db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(table)
        .map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(['row_hash', 'seal_id', 'first_seen_at', 'gone_at', 'source_json']));
    }
    const insert = (fate: string, kind: string) =>
      db
        .prepare(
          `INSERT INTO scheduled_messages (scheduled_id, api_version, schedule_kind, fate, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at)
           VALUES (?, 'v3', ?, ?, '{}', 'h', 0, 0, 0)`,
        )
        .run(`${fate}-${kind}`, kind, fate);
    expect(() => insert('pending', 'time')).not.toThrow();
    expect(db.prepare("SELECT fate FROM scheduled_messages WHERE scheduled_id = 'pending-time'").get()).toEqual({ fate: 'pending' });
    expect(() => insert('lost', 'time')).toThrow(/CHECK constraint failed/);
    expect(() => insert('sent', 'whenever')).toThrow(/CHECK constraint failed/);

    const message = (id: string, content: unknown) =>
      db
        .prepare(
          `INSERT INTO messages (chat_id, message_id, time, sender_id, sender_name, type, subtype, content_hash, raw_json, version_seen_at, first_seen_at)
           VALUES ('c1', ?, 5, 'u1', 'Ann', 'info', ?, 'h', ?, 0, 0)`,
        )
        .run(id, (content as { type?: string }).type ?? null, JSON.stringify({ id, content }));
    message('m1', { type: 'call_notification', data: { status: 'completed', callee: { name: 'Bo', id: 'u2' }, duration: '01:02:03', call_type: 'audio' } });
    message('m2', { type: 'call_notification', data: { status: 'missed', callee: { name: 'Bo', id: 'u2' }, duration: 'n/a', call_type: 'video' } });
    message('m3', { type: 'member_added', data: {} });
    expect(db.prepare('SELECT message_id, status, call_type, duration, duration_seconds, callee_id, callee_name FROM call_notifications ORDER BY message_id').all()).toEqual([
      { message_id: 'm1', status: 'completed', call_type: 'audio', duration: '01:02:03', duration_seconds: 3723, callee_id: 'u2', callee_name: 'Bo' },
      { message_id: 'm2', status: 'missed', call_type: 'video', duration: 'n/a', duration_seconds: null, callee_id: 'u2', callee_name: 'Bo' },
    ]);
  });
});
