import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0072-search-prefix-index';

const words = ['document', 'docket', 'dock', 'review', 'revision', 'do', 'd', 'budget'];

describe('migration 0072 search prefix index', () => {
  it('rebuilds both search indexes with prefix indexes: the same answers, a bigger index, intact', () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 72) db.transaction(() => step.up(db))();
    const insert = db.prepare(
      `INSERT INTO messages (id, chat_id, message_id, time, type, text, file_name, content_hash, raw_json, version_seen_at, first_seen_at, search_scope)
       VALUES (?, 'c', ?, ?, 'text', ?, ?, 'h', '{}', 0, 0, 'cabc ttext')`,
    );
    for (let i = 0; i < 300; i += 1) {
      const text = `${words[i % words.length] ?? ''} ${words[(i * 7) % words.length] ?? ''} note ${i}`;
      insert.run(1024 * (i + 1), `m${i}`, i, text, i % 10 === 0 ? `docs-${i}.pdf` : null);
    }
    db.prepare(
      `INSERT INTO message_versions (message_rowid, version, content_hash, raw_json, text, seen_at, superseded_at) VALUES (1024, 1, 'h', '{}', 'an old revision draft', 0, 1)`,
    ).run();
    db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild'); INSERT INTO versions_fts (versions_fts) VALUES ('rebuild');");

    const queries = ['doc*', 'do*', 'rev*', 'revi*', 'd*', 'docum*', '"budget" AND do*', 'file_name : docs*', 'search_scope : cab*'];
    const answer = (q: string) => db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC').pluck().all(q);
    const versions = () => db.prepare("SELECT rowid FROM versions_fts WHERE versions_fts MATCH 'rev*'").pluck().all();
    const indexBytes = () => db.prepare('SELECT sum(length(block)) FROM messages_fts_data').pluck().get() as number;
    const before = queries.map(answer);
    const bytesBefore = indexBytes();
    expect(before.every((rows) => rows.length > 0)).toBe(true);
    expect(versions()).toEqual([1]);

    db.transaction(() => migration.up(db))();

    expect(migration.version).toBe(72);
    expect(queries.map(answer)).toEqual(before);
    expect(versions()).toEqual([1]);
    for (const table of ['messages_fts', 'versions_fts']) {
      expect(db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(table)).toMatch(/prefix = '2 3 4'/);
      // FTS5 checks its index, prefix entries included, against the content table.
      expect(() => db.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`)).not.toThrow();
    }
    // The prefix entries are stored: 2, 3 and 4 characters of every token.
    expect(indexBytes()).toBeGreaterThan(bytesBefore * 1.5);
  });
});
