import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration } from '../../../../electron/core/archive/migrations/0010-initial-schema';

describe('migration 0010 initial schema', () => {
  it('creates every table, view and the FTS index on an empty database', () => {
    const db = new Database(':memory:');
    db.transaction(() => migration.up(db))();
    const names = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name")
      .all()
      .map((r) => r.name);
    for (const name of [
      'meta',
      'sync_runs',
      'chats',
      'channels',
      'threads',
      'users',
      'memberships',
      'messages',
      'message_versions',
      'entity_history',
      'messages_fts',
      'chat_sync_state',
      'walk_seen',
      'rate_locks',
      'writer_lease',
      'archive_events',
      'tombstones',
      'chat_coverage',
    ]) {
      expect(names).toContain(name);
    }
    expect(migration.version).toBe(10);
  });

  it('types ids as TEXT and refuses a kind the schema does not know (STRICT + CHECK)', () => {
    const db = new Database(':memory:');
    migration.up(db);
    const idType = db.prepare<[], { type: string }>("SELECT type FROM pragma_table_info('messages') WHERE name = 'message_id'").get();
    expect(idType?.type).toBe('TEXT');
    expect(() => db.prepare(`INSERT INTO chats (chat_id, kind, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at) VALUES ('1', 'forum', '{}', 'h', 0, 0, 0)`).run()).toThrow(
      /CHECK constraint/,
    );
  });

  it('allows one open membership interval per chat and member', () => {
    const db = new Database(':memory:');
    migration.up(db);
    const insert = db.prepare(`INSERT INTO memberships (chat_id, member_key, first_seen_at, last_seen_at, gone_at) VALUES ('c', 'u', 0, 0, ?)`);
    insert.run(5);
    insert.run(null);
    expect(() => insert.run(null)).toThrow(/UNIQUE/);
  });
});
