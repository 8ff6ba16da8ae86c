import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0060-attachments';

describe('migration 0060 attachments', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 60) db.transaction(() => step.up(db))();
    db.transaction(() => migration.up(db))();
    return db;
  };
  const insert = (db: Database.Database, values: Record<string, unknown>) =>
    db
      .prepare(
        `INSERT INTO attachments (chat_id, message_id, file_id, message_key, status, sha256, bytes, first_seen_at)
         VALUES (@chat, @message, @file, 1024, @status, @sha256, @bytes, 0)`,
      )
      .run({ chat: 'c', message: 'm', file: 'f', status: 'pending', sha256: null, bytes: null, ...values });

  it('adds a sealed attachments table keyed by (chat, message, file) with TEXT ids', () => {
    const db = migrated();
    expect(migration.version).toBe(60);
    const columns = db.prepare<[], { name: string; type: string; pk: number }>("SELECT name, type, pk FROM pragma_table_info('attachments')").all();
    expect(columns.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'chat_id',
        'message_id',
        'file_id',
        'message_key',
        'file_name',
        'declared_size',
        'declared_type',
        'content_type',
        'served_name',
        'status',
        'reason',
        'sha256',
        'bytes',
        'first_attempt_at',
        'last_attempt_at',
        'attempts',
        'next_attempt_at',
        'first_seen_run',
        'row_hash',
        'seal_id',
      ]),
    );
    expect(columns.filter((c) => c.pk > 0).map((c) => [c.name, c.type])).toEqual([
      ['chat_id', 'TEXT'],
      ['message_id', 'TEXT'],
      ['file_id', 'TEXT'],
    ]);
    insert(db, {});
    expect(() => insert(db, {}), 'one row per (chat, message, file)').toThrow(/UNIQUE/);
    insert(db, { file: 'g' });
    expect(db.prepare("SELECT attempts, status FROM attachments WHERE file_id = 'g'").get()).toEqual({ attempts: 0, status: 'pending' });
  });

  it('refuses unknown statuses, hashes that are not lowercase hex SHA-256, and a stored row without its hash', () => {
    const db = migrated();
    const hash = 'ab'.repeat(32);
    expect(() => insert(db, { status: 'downloading' })).toThrow(/CHECK/);
    expect(() => insert(db, { file: 'u', sha256: hash.toUpperCase() })).toThrow(/CHECK/);
    expect(() => insert(db, { file: 's', sha256: hash.slice(1) })).toThrow(/CHECK/);
    expect(() => insert(db, { file: 'x', status: 'stored' })).toThrow(/CHECK/);
    insert(db, { file: 'ok', status: 'stored', sha256: hash, bytes: 3 });
    for (const status of ['pending', 'forbidden', 'not_found', 'too_large', 'skipped', 'failed']) insert(db, { file: status, status });
    expect(db.prepare('SELECT count(*) AS n FROM attachments').get()).toEqual({ n: 7 });
  });

  it('answers "what to fetch next" and "which messages carry files" from indexes', () => {
    const db = migrated();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan("SELECT file_id FROM attachments WHERE status = 'failed' AND next_attempt_at <= 5")).toMatch(/attachments_due/);
    expect(plan("SELECT id FROM messages WHERE chat_id = 'c' AND file_id IS NOT NULL")).toMatch(/messages_files/);
  });
});
