import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../../electron/core/archive/migrations';
import { syncArchive } from '../../../electron/core/createCore';
import { canonicalSnapshot, compareWithTruth } from '../../helpers/archiveCheck';
import { credentialsEnv, lastJson, runCli, syncArgs } from '../../helpers/cli';
import { SharedVirtualClock, connectionTo, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Folds the WAL into the file and closes: the archive is then one file, as a user copies it. */
function checkpoint(path: string): void {
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * Overwrites 4 KiB in the middle of the file with a pattern (a bad sector, a torn copy): SQLite
 * still opens the file, and only reading the damaged pages finds it.
 */
/**
 * Overwrites one leaf page of the messages table, from the middle of it, with garbage: data every
 * reading command meets (stats counts the messages row by row, a bundle writes them). A page picked
 * by its offset alone once landed in an index of an empty table after a migration added tables, and
 * no reader met it.
 */
function damageMessagesPage(path: string): void {
  const db = new Database(path, { readonly: true });
  const pages = db.prepare<[], number>("SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf' ORDER BY pageno").pluck().all();
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const page = pages[Math.floor(pages.length / 2)];
  if (page === undefined) throw new Error('the archive has no messages page to damage');
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('the archive file itself (the built CLI)', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('an archive from a newer version: sync and stats refuse it (ARCHIVE_TOO_NEW, exit 1), not one byte changed, no request sent', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const raw = new Database(path);
    raw.pragma(`user_version = ${latestSchemaVersion + 10}`);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const hash = sha256(path);
    sim.resetStats();

    for (const args of [syncArgs(sim, path), ['stats', '--archive', path]]) {
      const result = await runCli(args, credentialsEnv(sim));
      expect(result.code, args[0]).toBe(1);
      expect(result.stderr).toMatch(/was written by a newer Cliq Vault \(schema \d+; this version knows up to \d+\)/);
      expect(result.stderr).toMatch(/Update Cliq Vault to open this archive\. It was not changed\./);
    }
    expect(sha256(path)).toBe(hash);
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
    expect(Object.values(sim.stats().requests).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('a corrupted archive: detected at open with a hint to restore, sync writes nothing, restore from a snapshot works', async () => {
    const sim = await simulator({ scale: 'tiny', seed: 3 });
    const dir = tempDir();
    const path = join(dir, 'acme.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const good = canonicalSnapshot(path);
    const backups = tempDir();
    const backup = await runCli(['backup', '--archive', path, '--to', backups, '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    const snapshot = (lastJson(backup) as { path: string }).path;

    checkpoint(path);
    damageMessagesPage(path);
    const damaged = sha256(path);
    sim.resetStats();

    const sync = await runCli(syncArgs(sim, path), credentialsEnv(sim));
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/is damaged|is not a readable Cliq Vault archive/);
    expect(sync.stderr).toMatch(/restore/i);
    expect(sync.stderr).toMatch(/cliq-vault restore/);
    // Refused before anything was written or asked of Cliq.
    expect(sha256(path)).toBe(damaged);
    expect(Object.values(sim.stats().requests).reduce((a, b) => a + b, 0)).toBe(0);

    // Read-only commands meet the damage when they read it (these two read every table), and say
    // the same, never "internal error" with a stack.
    for (const args of [
      ['stats', '--archive', path],
      ['audit', '--archive', path, '--out', join(dir, 'bundle')],
    ]) {
      const read = await runCli(args);
      expect(read.code, args[0]).toBe(1);
      expect(read.stderr, args[0]).toMatch(/damaged[\s\S]*cliq-vault restore/);
      expect(read.stderr, args[0]).not.toMatch(/SqliteError/);
    }
    expect(sha256(path)).toBe(damaged);

    // Restore is offered, and works: the archive is the snapshot again, and syncs on.
    const restore = await runCli(['restore', '--archive', path, '--from', snapshot, '--yes']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(canonicalSnapshot(path)).toEqual(good);
    const resumed = await runCli(syncArgs(sim, path), credentialsEnv(sim));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });
});

describe('the system clock jumping between runs', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('back a day, then forward a year: nothing lost, checkpoints still good, runs recorded in order', async () => {
    const serverClock = new SharedVirtualClock();
    const sim = await simulator({ scale: 'tiny', seed: 6, clock: serverClock });
    const path = join(tempDir(), 'a.sqlite');
    // The client's clock is its own (the machine's), the server's goes on undisturbed.
    const at = (offsetMs: number) => ({ ...virtualRuntime(serverClock), clock: { now: () => serverClock.now() + offsetMs, sleep: (ms: number) => serverClock.sleep(ms) } });

    const first = await syncArchive(path, connectionTo(sim), {}, at(0));
    expect(first.status).toBe('complete');
    const afterFirst = canonicalSnapshot(path);

    sim.mutate({ seed: 1, newMessages: 12, editMessages: 2, deleteMessages: 1 });
    const back = await syncArchive(path, connectionTo(sim), {}, at(-86_400_000));
    expect(back.status).toBe('complete');
    expect(back.counts.messagesNew).toBe(12);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);

    // Nothing changed at Cliq: the checkpoints written with the clock a day back still say so.
    sim.resetStats();
    const same = await syncArchive(path, connectionTo(sim), {}, at(-86_400_000));
    expect(same.status).toBe('complete');
    expect(sim.stats().requests['maint.messages']).toBe(0);

    sim.mutate({ seed: 2, newMessages: 7 });
    const forward = await syncArchive(path, connectionTo(sim), {}, at(365 * 86_400_000));
    expect(forward.status).toBe('complete');
    expect(forward.counts.messagesNew).toBe(7);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);

    // Every message archived after the first run is still there, with its content.
    const now = canonicalSnapshot(path);
    const key = (m: unknown) => `${(m as { chat_id: string }).chat_id}/${(m as { message_id: string }).message_id}`;
    const kept = new Set(now.messages?.map(key));
    expect(afterFirst.messages?.filter((m) => !kept.has(key(m)))).toEqual([]);
    expect(now.integrity).toEqual([{ integrity_check: 'ok' }]);

    // Runs are numbered in the order they ran, whatever their clock said; each one ended.
    const db = new Database(path, { readonly: true });
    const runs = db.prepare('SELECT id, status, started_at <= ended_at AS ordered FROM sync_runs ORDER BY id').all();
    db.close();
    expect(runs).toEqual([1, 2, 3, 4].map((id) => ({ id, status: 'complete', ordered: 1 })));
  });
});
