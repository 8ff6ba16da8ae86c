import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0063-org-directory';
import { hashedColumns, rowHash } from '../../../../electron/core/archive/sealing/rowHash';

describe('migration 0063 org directory', () => {
  /** An archive at schema 62 with a sealed entity_history row, then migrated. */
  const migrated = () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 63) db.transaction(() => step.up(db))();
    db.prepare(`INSERT INTO entity_history (id, kind, entity_key, source_json, seen_at, superseded_at, row_hash, seal_id) VALUES (7, 'user', 'u1', '{"name":"A"}', 1000, 2000, 'h', 3)`).run();
    db.transaction(() => migration.up(db))();
    return db;
  };

  it('keeps entity_history row for row (ids, hashes, seals) and lets it hold the four directory kinds', () => {
    const db = migrated();
    expect(migration.version).toBe(63);
    expect(db.prepare('SELECT id, kind, entity_key, source_json, seen_at, superseded_at, superseded_run, row_hash, seal_id FROM entity_history').all()).toEqual([
      { id: 7, kind: 'user', entity_key: 'u1', source_json: '{"name":"A"}', seen_at: 1000, superseded_at: 2000, superseded_run: null, row_hash: 'h', seal_id: 3 },
    ]);
    const add = db.prepare("INSERT INTO entity_history (kind, entity_key, source_json, seen_at, superseded_at) VALUES (?, 'k', '{}', 1, 2)");
    for (const kind of ['department', 'designation', 'role', 'team']) add.run(kind);
    expect(() => add.run('reaction'), 'still a closed list').toThrow(/CHECK/);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'entity_history'").pluck().all()).toEqual(['entity_history_key']);
  });

  it('hashes a rebuilt entity_history row as before: the hash covers column names and values only', () => {
    const before = new Database(':memory:');
    for (const step of migrations) if (step.version < 63) before.transaction(() => step.up(before))();
    before.prepare(`INSERT INTO entity_history (id, kind, entity_key, source_json, seen_at, superseded_at) VALUES (7, 'user', 'u1', '{}', 1, 2)`).run();
    const hashOf = (db: Database.Database) => rowHash('entity_history', hashedColumns(db, 'entity_history'), db.prepare('SELECT * FROM entity_history WHERE id = 7').get() as Record<string, unknown>);
    const old = hashOf(before);
    before.transaction(() => migration.up(before))();
    expect(hashOf(before)).toBe(old);
  });

  it('keeps one open interval per (kind, group, person), and the view says where each start comes from', () => {
    const db = migrated();
    const add = db.prepare('INSERT INTO directory_assignments (kind, group_id, user_id, detail_json, first_listing, first_seen_at, last_seen_at, gone_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    db.prepare(
      "INSERT INTO roles (role_id, name, profile_type, is_default, is_custom_admin, is_admin, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at) VALUES ('r1', 'Admin', 'Admin', 1, 0, 1, '{}', 'h', 1, 1, 1)",
    ).run();
    add.run('role', 'r1', 'u1', null, 1, 1_000, 2_000, null);
    add.run('role', 'r1', 'u2', null, 1, 1_000, 1_000, 2_000);
    add.run('role', 'r1', 'u2', null, 0, 3_000, 3_000, null);
    add.run('team', 't1', 'u1', '{"is_moderator":true}', 0, 2_000, 2_000, null);
    expect(() => add.run('role', 'r1', 'u1', null, 0, 3_000, 3_000, null), 'a second open interval').toThrow(/UNIQUE/);
    expect(() => add.run('office', 'o1', 'u1', null, 0, 3_000, 3_000, null)).toThrow(/CHECK/);
    expect(db.prepare('SELECT kind, group_id, group_name, user_id, start_source, started_at, start_noticed_at, end_source, ended_at FROM directory_intervals ORDER BY id').all()).toEqual([
      { kind: 'role', group_id: 'r1', group_name: 'Admin', user_id: 'u1', start_source: 'first_archived', started_at: null, start_noticed_at: 1_000, end_source: null, ended_at: null },
      { kind: 'role', group_id: 'r1', group_name: 'Admin', user_id: 'u2', start_source: 'first_archived', started_at: null, start_noticed_at: 1_000, end_source: 'noticed', ended_at: 2_000 },
      { kind: 'role', group_id: 'r1', group_name: 'Admin', user_id: 'u2', start_source: 'noticed', started_at: 3_000, start_noticed_at: 3_000, end_source: null, ended_at: null },
      { kind: 'team', group_id: 't1', group_name: null, user_id: 'u1', start_source: 'noticed', started_at: 2_000, start_noticed_at: 2_000, end_source: null, ended_at: null },
    ]);
  });
});
