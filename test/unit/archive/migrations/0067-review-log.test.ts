import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0067-review-log';
import { laterSealedTables } from '../../../../electron/core/archive/sealing/sealedTables';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';
import { readReviewLog, writeReviewBatch, type ReviewRecord } from '../../../../electron/core/review';

const look: ReviewRecord = {
  at: 1000,
  action: 'search',
  shell: 'cli',
  profileId: null,
  profileName: null,
  osUser: 'ann',
  host: 'laptop',
  toolVersion: '0.1.0',
  scope: { text: 'fraud' },
  chatId: null,
  results: 3,
  outcome: 'ok',
  detail: null,
  refinements: 0,
  firstAt: null,
};

describe('migration 0067 review log', () => {
  const upTo = (version: number) => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < version) db.transaction(() => step.up(db))();
    return db;
  };

  it('adds a sealed review_log table that accepts the three shells and four outcomes only', () => {
    const db = upTo(67);
    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(67);
    expect(laterSealedTables).toContain('review_log');
    const columns = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('review_log')")
      .all()
      .map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['at', 'action', 'shell', 'profile_id', 'os_user', 'host', 'scope_json', 'results', 'outcome', 'refinements', 'row_hash', 'seal_id']));
    const insert = (shell: string, outcome: string) =>
      db
        .prepare(
          `INSERT INTO review_log (at, action, shell, os_user, host, tool_version, scope_json, outcome, recorded_at)
           VALUES (1, 'search', ?, 'u', 'h', 'v', '{}', ?, 1)`,
        )
        .run(shell, outcome);
    expect(() => insert('serve', 'refused')).not.toThrow();
    expect(() => insert('web', 'ok')).toThrow(/CHECK constraint failed/);
    expect(() => insert('cli', 'partial')).toThrow(/CHECK constraint failed/);
  });

  it('takes a batch under one audit seal: the archive still verifies, and the log reads back newest first', () => {
    const db = upTo(68);
    expect(verifyArchive(db).problems).toEqual([]);
    writeReviewBatch(db, [look, { ...look, at: 2000, action: 'transcript_view', scope: { chatId: 'c1' }, chatId: 'c1', results: 50 }], 5000);
    const seals = db.prepare<[], { kind: string; closed: number }>("SELECT kind, closed_at IS NOT NULL AS closed FROM seals WHERE kind <> 'genesis'").all();
    expect(seals).toEqual([{ kind: 'audit', closed: 1 }]);
    expect(verifyArchive(db).problems).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM review_log WHERE row_hash IS NOT NULL AND seal_id IS NOT NULL').get()).toEqual({ n: 2 });
    const page = readReviewLog(db, { timeZone: 'UTC', limit: 1 });
    expect(page.entries.map((e) => [e.action, e.chatId, e.results, e.recordedAt])).toEqual([['transcript_view', 'c1', 50, 5000]]);
    expect(page.nextBefore).not.toBeNull();
    const next = readReviewLog(db, { timeZone: 'UTC', limit: 10, before: page.nextBefore ?? 0 });
    expect(next.entries.map((e) => e.scope)).toEqual([{ text: 'fraud' }]);
    expect(readReviewLog(db, { timeZone: 'UTC', limit: 10, actions: ['search'] }).entries).toHaveLength(1);
    // Days in the query's zone: 1000 and 2000 ms after the epoch are 1970-01-01 in UTC, 1969-12-31 in Los Angeles.
    expect(readReviewLog(db, { timeZone: 'UTC', limit: 10, from: '1970-01-01', to: '1970-01-01' }).entries).toHaveLength(2);
    expect(readReviewLog(db, { timeZone: 'America/Los_Angeles', limit: 10, from: '1970-01-01' }).entries).toHaveLength(0);
    expect(() => readReviewLog(db, { timeZone: 'Mars/Olympus', limit: 10 })).toThrow(/Unknown time zone/);
    expect(() => readReviewLog(db, { timeZone: 'UTC', limit: 10, from: '2026-02-01', to: '2026-01-01' })).toThrow();

    // An entry changed outside Cliq Vault is found by verify.
    db.prepare('UPDATE review_log SET scope_json = \'{"text":"nothing"}\' WHERE action = \'search\'').run();
    expect(verifyArchive(db).problems.length).toBeGreaterThan(0);
  });
});
