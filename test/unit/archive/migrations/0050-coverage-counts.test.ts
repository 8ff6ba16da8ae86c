import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0050-coverage-counts';

describe('migration 0050 coverage counts', () => {
  it('gives the same coverage as the view it replaces, with deleted messages and empty chats', () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 50) db.transaction(() => step.up(db))();
    db.exec(`
      INSERT INTO chats (chat_id, kind, title, server_message_count, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at)
        VALUES ('a', 'group', 'A', 3, '{}', 'h', 0, 0, 0), ('b', 'direct', 'B', 0, '{}', 'h', 0, 0, 0);
      INSERT INTO chat_sync_state (chat_id, status, updated_at) VALUES ('a', 'complete', 0);
      INSERT INTO messages (id, chat_id, message_id, time, type, content_hash, raw_json, version_seen_at, first_seen_at, deleted_at)
        VALUES (1024, 'a', 'm1', 1, 'text', 'h', '{}', 0, 0, NULL), (2048, 'a', 'm2', 2, 'text', 'h', '{}', 0, 0, 5), (3072, 'a', 'm3', 3, 'text', 'h', '{}', 0, 0, NULL);
    `);
    const before = db.prepare('SELECT * FROM chat_coverage ORDER BY chat_id').all();
    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(50);
    expect(db.prepare('SELECT * FROM chat_coverage ORDER BY chat_id').all()).toEqual(before);
    expect(before).toEqual([
      expect.objectContaining({ chat_id: 'a', archived_count: 2, deleted_count: 1, sync_status: 'complete' }),
      expect.objectContaining({ chat_id: 'b', archived_count: 0, deleted_count: 0, sync_status: null }),
    ]);
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL AND chat_id = 'a'").all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toMatch(/messages_deleted/);
  });
});
