import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration as initial } from '../../../../electron/core/archive/migrations/0010-initial-schema';
import { migration as search } from '../../../../electron/core/archive/migrations/0020-search-scope';
import { migration } from '../../../../electron/core/archive/migrations/0030-seals';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';

describe('migration 0030 seals', () => {
  it('hashes every existing row under a closed genesis seal, and the result verifies', () => {
    const db = new Database(':memory:');
    initial.up(db);
    search.up(db);
    db.exec(`
      INSERT INTO chats (chat_id, kind, title, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at) VALUES ('c1', 'group', 'Ops', '{}', 'h', 0, 0, 0);
      INSERT INTO memberships (chat_id, member_key, user_id, first_seen_at, last_seen_at) VALUES ('c1', 'u1', 'u1', 0, 0);
      INSERT INTO messages (id, chat_id, message_id, time, type, text, content_hash, raw_json, version_seen_at, first_seen_at) VALUES (1024, 'c1', 'm1', 1, 'text', 'hi', 'h', '{}', 0, 0);
    `);
    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(30);
    const unsealed = db
      .prepare('SELECT (SELECT count(*) FROM chats WHERE row_hash IS NULL) + (SELECT count(*) FROM memberships WHERE row_hash IS NULL) + (SELECT count(*) FROM messages WHERE row_hash IS NULL) AS n')
      .get();
    expect(unsealed).toEqual({ n: 0 });
    expect(db.prepare('SELECT kind, state_count, closed_at IS NOT NULL AS closed, prev_hash FROM seals').all()).toEqual([{ kind: 'genesis', state_count: 3, closed: 1, prev_hash: null }]);
    const report = verifyArchive(db);
    expect(report.problems).toEqual([]);
    expect(report.rowsChecked).toBe(3);
  });
});
