import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { syncArchive } from '../../../electron/core/createCore';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('tamper evidence', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  async function syncedTwice(): Promise<{ path: string; runs: number[] }> {
    const sim = await simulator({ seed: 6, scale: 'tiny', clock: 'manual' });
    const path = join(tempDir(), 'a.sqlite');
    const first = await syncArchive(path, connectionTo(sim));
    sim.advance(60_000);
    sim.mutate({ seed: 1, editMessages: 2, newMessages: 3, membersLeave: 1 });
    const second = await syncArchive(path, connectionTo(sim));
    return { path, runs: [first.runId, second.runId] };
  }

  const verify = (path: string) => {
    const db = openArchiveDb(path, { readonly: true });
    try {
      return verifyArchive(db);
    } finally {
      db.close();
    }
  };
  const tamper = (path: string, sql: string, ...params: unknown[]) => {
    const db = new Database(path);
    db.prepare(sql).run(...params);
    db.close();
  };

  it('a synced archive verifies: one chain of seals, one per run, every row accounted for', async () => {
    const { path, runs } = await syncedTwice();
    const report = verify(path);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.openSeals).toEqual([]);
    expect(report.seals).toBe(3); // genesis + two sync runs
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
    expect(report.rowsChecked).toBeGreaterThan(100);
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT run_id FROM seals WHERE kind = 'sync' ORDER BY id").all()).toEqual(runs.map((run_id) => ({ run_id })));
    db.close();
  });

  it('an edited message is reported with the run that last wrote it', async () => {
    const { path, runs } = await syncedTwice();
    const db = new Database(path, { readonly: true });
    const target = db.prepare('SELECT m.chat_id, m.message_id, s.run_id FROM messages m JOIN seals s ON s.id = m.seal_id WHERE s.run_id = ? LIMIT 1').get(runs[0]) as {
      chat_id: string;
      message_id: string;
      run_id: number;
    };
    db.close();
    tamper(path, "UPDATE messages SET text = text || '!' WHERE chat_id = ? AND message_id = ?", target.chat_id, target.message_id);
    const report = verify(path);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'row_changed', table: 'messages', key: { chat_id: target.chat_id, message_id: target.message_id }, runId: runs[0] }));
    expect(report.firstBad?.runId).toBe(runs[0]);
  });

  it('a deleted membership row, a forged user, an edited run record and a doctored digest are each detected', async () => {
    const { path, runs } = await syncedTwice();
    const cases: [string, (p: string) => void, string][] = [
      ['removed row', (p) => tamper(p, 'DELETE FROM memberships WHERE id = (SELECT min(id) FROM memberships)'), 'rows_added_or_removed'],
      [
        'forged row',
        (p) =>
          tamper(
            p,
            `INSERT INTO users (user_id, email, name, display_name, status, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at) VALUES ('666', 'x@y.z', 'Forged', 'Forged', 'active', '{}', 'h', 0, 0, 0)`,
          ),
        'unsealed_row',
      ],
      ['edited run', (p) => tamper(p, `UPDATE sync_runs SET counts_json = '{"messagesNew":0}' WHERE id = ?`, runs[0]), 'chain_broken'],
      [
        'hidden deletion',
        (p) => {
          const db = new Database(p);
          // Remove a row and rewrite its seal's digest and count to match: the chained state catches it.
          const row = db.prepare('SELECT id, seal_id FROM memberships ORDER BY id LIMIT 1').get() as { id: number; seal_id: number };
          db.prepare('DELETE FROM memberships WHERE id = ?').run(row.id);
          db.prepare("UPDATE seal_live SET row_count = row_count - 1, digest = '00' WHERE seal_id = ? AND table_name = 'memberships'").run(row.seal_id);
          db.close();
        },
        'state_mismatch',
      ],
    ];
    for (const [name, doIt, kind] of cases) {
      const copy = join(tempDir(), `${name.replace(/\s/g, '-')}.sqlite`);
      copyFileSync(path, copy);
      doIt(copy);
      const report = verify(copy);
      expect(report.ok, name).toBe(false);
      expect(
        report.problems.map((p) => p.kind),
        name,
      ).toContain(kind);
    }
  });

  it('detects 100 of 100 random single-character tamperings of archived rows', async () => {
    const { path } = await syncedTwice();
    const db = new Database(path, { readonly: true });
    const targets = {
      messages: db.prepare('SELECT rowid AS rid FROM messages').all() as { rid: number }[],
      memberships: db.prepare('SELECT id AS rid FROM memberships').all() as { rid: number }[],
      users: db.prepare('SELECT rowid AS rid FROM users').all() as { rid: number }[],
    };
    db.close();
    const textColumns = { messages: ['text', 'raw_json', 'sender_name', 'chat_id', 'message_id'], memberships: ['name', 'email', 'user_id'], users: ['email', 'name', 'source_json'] } as const;
    let detected = 0;
    let n = 0;
    fc.assert(
      fc.property(fc.constantFrom('messages', 'memberships', 'users'), fc.nat(), fc.nat(), fc.nat(), (table, rowPick, columnPick, charPick) => {
        const rows = targets[table];
        const rid = rows[rowPick % rows.length]?.rid ?? 0;
        const columns = textColumns[table];
        const column = columns[columnPick % columns.length] ?? 'text';
        const copy = join(tempDir(), `t${n++}.sqlite`);
        copyFileSync(path, copy);
        const tdb = new Database(copy);
        const value = (tdb.prepare(`SELECT ${column} AS v FROM ${table} WHERE rowid = ?`).get(rid) as { v: string | null }).v ?? '';
        const at = value.length === 0 ? 0 : charPick % value.length;
        const changed = value.length === 0 ? 'x' : `${value.slice(0, at)}${value[at] === 'a' ? 'b' : 'a'}${value.slice(at + 1)}`;
        tdb.prepare(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`).run(changed, rid);
        tdb.close();
        if (!verify(copy).ok) detected += 1;
      }),
      { numRuns: 100, seed: 20261123 },
    );
    expect(detected).toBe(100);
  });

  it('a run killed mid-way leaves an open seal; the next run closes it and the archive verifies', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny', latencyMs: 3 });
    const path = join(tempDir(), 'a.sqlite');
    const controller = new AbortController();
    let pages = 0;
    // Cancel (the closest in-process stand-in for a kill): the run ends partial, its seal closed.
    await syncArchive(path, connectionTo(sim), { signal: controller.signal, onProgress: (p) => (p.messagesStored > 0 && ++pages === 3 ? controller.abort() : undefined) });
    // Simulate a process that died with its seal open, then a new run.
    tamper(path, "INSERT INTO seals (kind, run_id, opened_at) VALUES ('sync', NULL, 1)");
    expect(verify(path).openSeals).toHaveLength(1);
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const report = verify(path);
    expect(report.openSeals).toEqual([]);
    expect(report.problems).toEqual([]);
  });
});
