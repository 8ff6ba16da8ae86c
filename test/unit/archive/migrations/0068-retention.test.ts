import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0068-retention';
import { Sealer } from '../../../../electron/core/archive/sealing/sealer';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';

describe('migration 0068 retention', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 68) db.transaction(() => step.up(db))();
    db.transaction(() => migration.up(db))();
    return db;
  };
  const run = (db: Database.Database) =>
    Number(
      db
        .prepare(
          `INSERT INTO retention_runs (started_at, status, policy_json, cutoff_time, os_user, host, tool_version, purged, kept_held, files_removed)
           VALUES (1, 'running', '{"keepDays":30}', 0, 'ann', 'pc', '1.0', 0, 0, 0)`,
        )
        .run().lastInsertRowid,
    );
  const record = (db: Database.Database, runId: number, messageId: string) =>
    db
      .prepare(
        `INSERT INTO purged_messages (run_id, chat_id, message_id, message_key, time, content_hash, versions, attachments, purged_at)
         VALUES (?, 'c1', ?, 1, 1, 'aa', 0, 0, 2)`,
      )
      .run(runId, messageId).lastInsertRowid;

  it('creates the two sealed tables, each with row_hash and seal_id', () => {
    const db = migrated();
    expect(migration.version).toBe(68);
    for (const table of ['retention_runs', 'purged_messages']) {
      const columns = db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(table)
        .map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(['row_hash', 'seal_id']));
    }
  });

  it('keeps one record per message, never deleted or changed; a run moves on only in its counts and status', () => {
    const db = migrated();
    db.transaction(() => {
      const sealer = new Sealer(db);
      const seal = sealer.open('audit', null, 1);
      const id = run(db);
      sealer.reseal('retention_runs', id);
      sealer.reseal('purged_messages', record(db, id, 'm1'));
      db.prepare("UPDATE retention_runs SET purged = 1, status = 'complete', ended_at = 3 WHERE run_id = ?").run(id);
      sealer.reseal('retention_runs', id);
      sealer.close(seal, 3);
    })();
    expect(verifyArchive(db).problems).toEqual([]);
    expect(() => record(db, 1, 'm1')).toThrow(/UNIQUE constraint failed/);
    expect(() => db.prepare('DELETE FROM purged_messages').run()).toThrow(/never deleted/);
    expect(() => db.prepare('DELETE FROM retention_runs').run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE purged_messages SET content_hash = 'bb'").run()).toThrow(/never changed/);
    expect(() => db.prepare("UPDATE retention_runs SET policy_json = '{}'").run()).toThrow(/never changed/);
    expect(() => db.prepare("UPDATE retention_runs SET status = 'unknown'").run()).toThrow(/CHECK constraint failed/);
  });
});
