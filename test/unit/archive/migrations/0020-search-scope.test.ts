import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration as initial } from '../../../../electron/core/archive/migrations/0010-initial-schema';
import { migration } from '../../../../electron/core/archive/migrations/0020-search-scope';
import { hasFileToken, scopeToken, typeToken } from '../../../../electron/core/search/scope';

describe('migration 0020 search scope', () => {
  it('backfills the scope of existing messages and rebuilds the index with it; versions get their own index', () => {
    const db = new Database(':memory:');
    initial.up(db);
    const insert = db.prepare(
      `INSERT INTO messages (id, chat_id, message_id, time, sender_id, type, text, file_name, file_id, content_hash, raw_json, version_seen_at, first_seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'h', '{}', 0, 0)`,
    );
    insert.run(1024, 'CT_1_2-T-3', 'm1', 1, '7100001', 'text', 'quarterly numbers', null, null);
    insert.run(2048, 'CT_9_2', 'm2', 2, '7100002', 'file', null, 'q3.pdf', 'f1d');
    db.prepare(`INSERT INTO message_versions (message_rowid, version, content_hash, raw_json, text, seen_at, superseded_at) VALUES (1024, 1, 'h0', '{}', 'draft numbers', 0, 1)`).run();
    db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')");

    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(20);
    const scope = db.prepare("SELECT search_scope FROM messages WHERE message_id = 'm2'").get() as { search_scope: string };
    expect(scope.search_scope.split(' ').sort()).toEqual([scopeToken('chat', 'CT_9_2'), typeToken('file'), scopeToken('sender', '7100002'), hasFileToken].sort());
    const match = (q: string) => (db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid').all(q) as { rowid: number }[]).map((r) => r.rowid);
    expect(match(`numbers AND search_scope : ${scopeToken('chat', 'CT_1_2-T-3')}`)).toEqual([1024]);
    expect(match(`search_scope : ${hasFileToken}`)).toEqual([2048]);
    expect(match('q3')).toEqual([2048]);
    expect(db.prepare("SELECT rowid FROM versions_fts WHERE versions_fts MATCH 'draft'").all()).toEqual([{ rowid: 1 }]);
    expect(() => db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")).not.toThrow();
  });
});
