import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../electron/core/archive/migrations';
import { listSnapshots } from '../../electron/core/backup/catalog';
import { verifySnapshot } from '../../electron/core/backup/verify';
import { syncArchive } from '../../electron/core/createCore';
import type { RunningSimulator } from '../../electron/simulator';
import { canonicalSnapshot } from '../helpers/archiveCheck';
import { credentialsEnv, lastJson, runCli, syncArgs } from '../helpers/cli';
import { connectionTo, useSimulators } from '../helpers/sim';
import { useTempDir } from '../helpers/tempDir';
import { afterRequests, archiveAtSchema, killAt, requestsSeen, seededRandom, spawnPausedCli } from './pauses';

/**
 * Crash and resume (issue 6): the sync process SIGKILLed at 20 instants chosen by a seeded PRNG —
 * mid-request, mid-transaction (inside a unit's savepoint), at a conversation's checkpoint, just
 * before a group commit, during a schema migration step — and backups killed mid-copy, after
 * verification and between their two renames. The pause points are electron/core/util/testPause.ts.
 * After every chain of kills the archive must equal an uninterrupted sync of the same org.
 */

type Instant =
  | { phase: 'migration'; version: number }
  | { phase: 'request'; range: [number, number] }
  | { phase: 'transaction'; range: [number, number] }
  | { phase: 'checkpoint'; range: [number, number] }
  | { phase: 'group-commit' }
  /** Right after a group's COMMIT returned: what it held must be on disk (synchronous=FULL). */
  | { phase: 'committed' }
  | { phase: 'backup'; point: 'backup:copy' | 'backup:verified' | 'backup:rename' };

/** Rows archived so far: conversations, users, messages and files (what a committed group can hold). */
function countRows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const base = db.prepare<[], { n: number }>('SELECT (SELECT count(*) FROM chats) + (SELECT count(*) FROM users) + (SELECT count(*) FROM messages) AS n').get()?.n ?? 0;
    // A run's first commit may hold only its files' progress: a file registered, or one fetched.
    const hasFiles = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'attachments'").get() !== undefined;
    const files = hasFiles ? (db.prepare<[], { n: number }>("SELECT count(*) + count(CASE WHEN status <> 'pending' THEN 1 END) AS n FROM attachments").get()?.n ?? 0) : 0;
    return base + files;
  } finally {
    db.close();
  }
}

const partials = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('.cliq-vault-partial-'));

interface ChainResult {
  /** Kills per phase; `end` counts the fallbacks (a run about to make its final commit). */
  kills: Record<Instant['phase'] | 'end', number>;
  syncKillsAfterRunStart: number;
  runs: number;
}

/** Attempts at one planned instant before the plan is declared unreachable. */
const maxAttempts = 6;

/** Plays the instants against one archive, then resumes it to the end; returns what happened. */
async function playChain(sim: RunningSimulator, path: string, backupDir: string, instants: Instant[], seed: number): Promise<ChainResult> {
  const random = seededRandom(seed);
  const pick = ([lo, hi]: [number, number]) => lo + Math.floor(random() * (hi - lo + 1));
  const env = credentialsEnv(sim);
  const kills: ChainResult['kills'] = { migration: 0, request: 0, transaction: 0, checkpoint: 0, 'group-commit': 0, committed: 0, backup: 0, end: 0 };
  let syncKillsAfterRunStart = 0;
  let runs = 0;

  /**
   * Kills a sync at the n-th pass of `point`. A run with less left to do than planned is stopped
   * instead just before its final commit (`sync:end`: its last second of units is lost, so work is
   * left), killed there, and the instant is tried again with n halved.
   */
  const killSyncAt = async (point: string, n: number, fallback = true): Promise<boolean> => {
    for (let k = n, attempt = 0; attempt < maxAttempts; k = Math.ceil(k / 2), attempt += 1) {
      runs += 1;
      const { killedAt, result } = await killAt(syncArgs(sim, path), env, fallback ? `${point}#${k},sync:end` : `${point}#${k}`);
      expect(killedAt, result.stderr).toBeDefined();
      if (killedAt?.startsWith(`${point}#`)) return true;
      kills.end += 1;
      syncKillsAfterRunStart += 1;
    }
    return false;
  };

  /** Kills a sync while its k-th request is in flight (the simulator delays every answer), with the same fallback. */
  const killSyncAtRequest = async (n: number): Promise<boolean> => {
    for (let k = n, attempt = 0; attempt < maxAttempts; k = Math.ceil(k / 2), attempt += 1) {
      runs += 1;
      const run = spawnPausedCli(syncArgs(sim, path), env, 'sync:end');
      const end = { reached: false };
      const stopped = run.paused.then(() => (end.reached = true));
      await afterRequests(sim, requestsSeen(sim) + k, stopped);
      const fellBack = end.reached;
      run.child.kill('SIGKILL');
      const result = await run.exited;
      expect(result.signal, result.stderr).toBe('SIGKILL');
      if (!fellBack) return true;
      kills.end += 1;
      syncKillsAfterRunStart += 1;
    }
    return false;
  };

  const killBackupAt = async (point: string): Promise<boolean> => {
    const before = canonicalSnapshot(path);
    const { killedAt } = await killAt(['backup', '--archive', path, '--to', backupDir, '--json'], {}, point);
    // A killed backup leaves no snapshot that is not whole, and the archive exactly as it was.
    expect(listSnapshots(backupDir).filter((entry) => entry.problem !== undefined)).toEqual([]);
    const list = await runCli(['backup', '--list', '--to', backupDir, '--json']);
    expect(list.code, list.stdout + list.stderr).toBe(0);
    expect(canonicalSnapshot(path)).toEqual(before);
    return killedAt !== undefined;
  };

  for (const instant of instants) {
    let killed: boolean;
    switch (instant.phase) {
      case 'migration':
        killed = await killSyncAt(`migration:${instant.version}`, 1, false);
        // The step in flight rolled back whole: the archive is at the step before, and sound.
        {
          const db = new Database(path, { readonly: true });
          // Steps are not evenly spaced (0060, then 0062): the step before is the previous in the list.
          const before = migrations[migrations.findIndex((m) => m.version === instant.version) - 1]?.version ?? 0;
          expect(db.pragma('user_version', { simple: true })).toBe(before);
          expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          db.close();
        }
        break;
      case 'request':
        killed = await killSyncAtRequest(pick(instant.range));
        break;
      case 'transaction':
        killed = await killSyncAt('archive:unit', pick(instant.range));
        break;
      case 'checkpoint':
        killed = await killSyncAt('sync:checkpoint', pick(instant.range));
        break;
      case 'group-commit':
        // The first commit of the run (a timed one, or its last if it ends sooner): always reached.
        killed = await killSyncAt('archive:group-commit', 1, false);
        break;
      case 'committed': {
        // The kill comes after COMMIT returned: what the commit held is on disk, so the archive
        // holds more than before the run. A run's first commit may hold only its bookkeeping (a
        // loaded machine: the timer fired before the inventory's answer came), which no count of
        // rows shows; the next run's first commit is tried then, each an interrupted run.
        killed = false;
        for (let attempt = 0; attempt < maxAttempts && !killed; attempt += 1) {
          const before = countRows(path);
          if (!(await killSyncAt('archive:committed', 1, false))) break;
          if (attempt > 0) syncKillsAfterRunStart += 1;
          killed = countRows(path) > before;
        }
        break;
      }
      case 'backup':
        killed = await killBackupAt(instant.point);
        break;
    }
    expect(killed, JSON.stringify(instant)).toBe(true);
    kills[instant.phase] += 1;
    if (instant.phase !== 'migration' && instant.phase !== 'backup') syncKillsAfterRunStart += 1;
  }

  // What the resume finds is a part-archived org (the committed kill guarantees it), not an empty one.
  expect(countRows(path)).toBeGreaterThan(0);
  runs += 1;
  const resumed = await runCli(syncArgs(sim, path, '--json'), env);
  expect(resumed.code, resumed.stderr).toBe(0);
  return { kills, syncKillsAfterRunStart, runs };
}

/** What must hold of an archive after a chain: equal to the reference, verified, runs closed, backups clean. */
async function expectWhole(path: string, reference: string, backupDir: string, chain: ChainResult): Promise<void> {
  const killed = canonicalSnapshot(path);
  expect(killed.integrity).toEqual([{ integrity_check: 'ok' }]);
  expect(killed).toEqual(canonicalSnapshot(reference));

  const verify = await runCli(['verify', '--archive', path, '--json']);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  expect(lastJson(verify)).toMatchObject({ ok: true, openSeals: [] });

  const stats = await runCli(['stats', '--archive', path, '--runs', '100', '--json']);
  const runs = (lastJson(stats) as { lastRuns: { status: string; errors: { code: string }[] }[] }).lastRuns;
  expect(runs.filter((r) => r.status === 'running')).toEqual([]);
  expect(runs.filter((r) => r.errors.some((e) => e.code === 'INTERRUPTED')).length).toBe(chain.syncKillsAfterRunStart);

  // The next backup cleans up after the killed ones and is whole.
  const left = partials(backupDir);
  const backup = await runCli(['backup', '--archive', path, '--to', backupDir, '--json']);
  expect(backup.code, backup.stderr).toBe(0);
  const result = lastJson(backup) as { path: string; removedPartials: string[] };
  expect([...result.removedPartials].sort()).toEqual(left.sort());
  expect(partials(backupDir)).toEqual([]);
  const entries = listSnapshots(backupDir);
  expect(entries.filter((entry) => entry.problem !== undefined)).toEqual([]);
  for (const entry of entries) expect((await verifySnapshot(entry.path)).problems).toEqual([]);
  expect(canonicalSnapshot(result.path)).toEqual(killed);
}

describe('SIGKILL at 20 seeded instants, then resume (issue 6: crash and resume)', () => {
  const tempDir = useTempDir('cliq-vault-crash-');
  const simulator = useSimulators();

  it.each([
    {
      mode: 'single-shot',
      windowed: false,
      seed: 8,
      schema: 10,
      instants: [
        { phase: 'migration', version: 20 },
        { phase: 'migration', version: 40 },
        { phase: 'request', range: [80, 130] },
        { phase: 'checkpoint', range: [5, 40] },
        { phase: 'transaction', range: [2, 120] },
        { phase: 'group-commit' },
        { phase: 'backup', point: 'backup:copy' },
        { phase: 'request', range: [3, 60] },
        { phase: 'committed' },
        { phase: 'backup', point: 'backup:rename' },
      ],
    },
    {
      mode: 'windowed',
      windowed: true,
      seed: 9,
      schema: 20,
      instants: [
        { phase: 'migration', version: 30 },
        { phase: 'migration', version: 50 },
        { phase: 'request', range: [60, 140] },
        { phase: 'group-commit' },
        { phase: 'transaction', range: [40, 120] },
        { phase: 'checkpoint', range: [5, 30] },
        { phase: 'backup', point: 'backup:verified' },
        { phase: 'request', range: [3, 60] },
        { phase: 'checkpoint', range: [2, 30] },
        { phase: 'committed' },
      ],
    },
  ] satisfies { mode: string; windowed: boolean; seed: number; schema: number; instants: Instant[] }[])(
    'a $mode org: 10 kills from schema $schema, then the archive equals an uninterrupted sync',
    async ({ windowed, seed, schema, instants }) => {
      // Latency keeps a request in flight when its count is reached: those kills land mid-request.
      const sim = await simulator({ seed, scale: 'small', maintenanceHonorsTimeWindow: windowed, latencyMs: 12 });
      const reference = join(tempDir(), 'reference.sqlite');
      expect((await syncArchive(reference, connectionTo(sim))).status).toBe('complete');

      const dir = tempDir();
      const path = join(dir, 'killed.sqlite');
      const backupDir = join(dir, 'backups');
      mkdirSync(backupDir);
      archiveAtSchema(path, schema);
      const chain = await playChain(sim, path, backupDir, instants, seed);
      // Every planned instant was killed (fallback kills at `end` come on top of them).
      const planned = Object.entries(chain.kills).filter(([phase]) => phase !== 'end');
      expect(planned.reduce((n, [, count]) => n + count, 0)).toBe(instants.length);
      await expectWhole(path, reference, backupDir, chain);
    },
    180_000,
  );
});
