import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0071-coverage-per-conversation';

const plan = (db: Database.Database, sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);

describe('migration 0071 coverage per conversation', () => {
  it('gives the same coverage as the view it replaces, and counts one conversation without the others', () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 71) db.transaction(() => step.up(db))();
    db.exec(`
      INSERT INTO chats (chat_id, kind, title, server_message_count, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at, gone_at)
        VALUES ('a', 'group', 'A', 3, '{}', 'h', 0, 0, 0, NULL), ('b', 'direct', 'B', 0, '{}', 'h', 0, 0, 0, NULL), ('c', 'channel', 'C', 1, '{}', 'h', 0, 0, 0, 9);
      INSERT INTO chat_sync_state (chat_id, status, updated_at, error_code) VALUES ('a', 'complete', 0, NULL), ('c', 'forbidden', 0, 'FORBIDDEN');
      INSERT INTO messages (id, chat_id, message_id, time, type, content_hash, raw_json, version_seen_at, first_seen_at, deleted_at)
        VALUES (1024, 'a', 'm1', 1, 'text', 'h', '{}', 0, 0, NULL), (2048, 'a', 'm2', 2, 'text', 'h', '{}', 0, 0, 5),
               (3072, 'a', 'm3', 3, 'text', 'h', '{}', 0, 0, NULL), (4096, 'c', 'm4', 4, 'text', 'h', '{}', 0, 0, 6);
    `);
    const all = 'SELECT * FROM chat_coverage ORDER BY chat_id';
    const before = db.prepare(all).all();
    expect(plan(db, "SELECT archived_count FROM chat_coverage WHERE chat_id = 'a'").join(' ')).toMatch(/SCAN messages/);

    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(71);
    expect(db.prepare(all).all()).toEqual(before);
    expect(before).toEqual([
      expect.objectContaining({ chat_id: 'a', archived_count: 2, deleted_count: 1, sync_status: 'complete', server_message_count: 3 }),
      expect.objectContaining({ chat_id: 'b', archived_count: 0, deleted_count: 0, sync_status: null }),
      expect.objectContaining({ chat_id: 'c', archived_count: 0, deleted_count: 1, sync_status: 'forbidden', error_code: 'FORBIDDEN', gone_at: 9 }),
    ]);
    // One conversation's counts come from its own index ranges, never from a pass over every message.
    const one = plan(db, "SELECT archived_count, deleted_count FROM chat_coverage WHERE chat_id = 'a'");
    expect(one.join(' ')).not.toMatch(/SCAN messages|SCAN m\b/);
    expect(one).toContainEqual(expect.stringMatching(/SEARCH m USING COVERING INDEX messages_chat_time \(chat_id=\?\)/));
    expect(one).toContainEqual(expect.stringMatching(/SEARCH m USING INDEX messages_deleted \(chat_id=\?\)/));
  });
});
