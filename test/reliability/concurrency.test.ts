import Database from 'better-sqlite3-multiple-ciphers';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../electron/core/archive/migrations';
import { verifySnapshot } from '../../electron/core/backup/verify';
import { shellScript } from '../../electron/core/schedule/jobScripts';
import { scheduleSettingsSchema } from '../../shared/scheduleSettings';
import { canonicalSnapshot } from '../helpers/archiveCheck';
import { cliEntry, credentialsEnv, finished, runCli, syncArgs, type CliResult } from '../helpers/cli';
import { useTestApps } from '../helpers/appService';
import { useSimulators } from '../helpers/sim';
import { useTempDir } from '../helpers/tempDir';
import { archiveAtSchema, release, spawnPausedCli } from './pauses';

/**
 * Concurrency (issue 6): two writers meet on one archive — a second CLI, the desktop app, the
 * scheduled `sync` + `backup` job, two upgrades of an old archive. One writes; the other exits 3
 * (ARCHIVE_LOCKED) without crashing on SQLITE_BUSY and without spending a token refresh (Zoho
 * throttles them); backups taken meanwhile are consistent.
 */

const crashWords = /SQLITE_BUSY|database is locked|MIGRATION_FAILED|INTERNAL/i;

function expectLocked(result: CliResult): void {
  expect(result.code, result.stdout + result.stderr).toBe(3);
  expect(result.stderr).toMatch(/being written by another process|locked/i);
  expect(result.stdout + result.stderr).not.toMatch(crashWords);
}

describe('two writers on one archive (issue 6: concurrency)', () => {
  const tempDir = useTempDir('cliq-vault-concurrency-');
  const simulator = useSimulators();
  const testApp = useTestApps();

  it('a second CLI sync while one holds the archive exits 3 without refreshing a token', async () => {
    const sim = await simulator({ seed: 3, scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    const go = join(dir, 'go');
    const first = spawnPausedCli(syncArgs(sim, path, '--json'), credentialsEnv(sim), 'sync:leased', go);
    expect(await first.paused).toBe('sync:leased#1');

    expectLocked(await runCli(syncArgs(sim, path, '--json'), credentialsEnv(sim)));
    expect(sim.stats().refreshes).toBe(0);

    release(go);
    const done = await first.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(sim.stats().refreshes).toBe(1);
  });

  it('two syncs started at once on a new archive: both create and migrate it, one archives, the other waits or exits 3 unrefreshed', async () => {
    const sim = await simulator({ seed: 4, scale: 'small', latencyMs: 12 });
    const path = join(tempDir(), 'new.sqlite');
    const results = await Promise.all([0, 1].map(() => runCli(syncArgs(sim, path, '--json'), credentialsEnv(sim))));
    const codes = results.map((r) => r.code).sort();
    // The second waits for SQLite's write lock (busy_timeout) while the first group-commits: it gets
    // the lease once the first is done (0), or gives up with ARCHIVE_LOCKED (3). Never both writing.
    expect(
      [
        [0, 0],
        [0, 3],
      ],
      results.map((r) => r.stderr).join('\n'),
    ).toContainEqual(codes);
    for (const r of results) expect(r.stdout + r.stderr).not.toMatch(crashWords);
    // Only a process that got the lease refreshed a token.
    expect(sim.stats().refreshes).toBe(codes.filter((code) => code === 0).length);
    expect(canonicalSnapshot(path).integrity).toEqual([{ integrity_check: 'ok' }]);
  });

  it('two processes upgrading an old archive at once: the second finds the steps done, nothing fails', async () => {
    const sim = await simulator({ seed: 5, scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'old.sqlite');
    archiveAtSchema(path, 20);

    // The first stops inside step 30 (its write lock held); the second reads schema 20 meanwhile.
    const goFirst = join(dir, 'go-first');
    const goSecond = join(dir, 'go-second');
    const first = spawnPausedCli(syncArgs(sim, path, '--json'), credentialsEnv(sim), 'migration:30', goFirst);
    expect(await first.paused).toBe('migration:30#1');
    const second = spawnPausedCli(syncArgs(sim, path, '--json'), credentialsEnv(sim), 'migration:pending', goSecond);
    expect(await second.paused).toBe('migration:pending#1');
    release(goSecond);
    release(goFirst);

    const [a, b] = await Promise.all([first.exited, second.exited]);
    for (const r of [a, b]) expect(r.stdout + r.stderr).not.toMatch(crashWords);
    // Both upgrade without failing; then whichever takes the lease first syncs, and the other
    // either meets its lease (3) or comes after it (0). Which one wins is the scheduler's choice.
    const codes = [a.code, b.code].sort();
    expect(
      [
        [0, 0],
        [0, 3],
      ],
      `${a.stderr}\n${b.stderr}`,
    ).toContainEqual(codes);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
    expect(check.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    check.close();
  });

  it('the scheduled sync + backup while a frozen writer holds the write lock: sync exits 3, the backup is the committed state', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'org.sqlite');
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    expect((await runCli(syncArgs(sim, path), credentialsEnv(sim))).code).toBe(0);
    sim.mutate({ newMessages: 40 });

    // A writer stopped inside a unit of its group commit: the lease and SQLite's write lock held.
    const go = join(dir, 'go');
    const writer = spawnPausedCli(syncArgs(sim, path), credentialsEnv(sim), 'archive:unit#3', go);
    expect(await writer.paused).toBe('archive:unit#3');
    const committed = canonicalSnapshot(path);
    const refreshes = sim.stats().refreshes;

    const settings = scheduleSettingsSchema.parse({ archivePath: path, backupDir: backups, keep: 3, endpoints: { apiBase: sim.apiBase, accountsBase: sim.accountsBase } });
    const script = shellScript(
      'nightly',
      settings,
      { node: process.execPath, cli: cliEntry, workdir: process.cwd() },
      {
        configDir: dir,
        script: join(dir, 'nightly.sh'),
        envFile: join(dir, 'nightly.env'),
        logFile: join(dir, 'nightly.log'),
        systemdDir: dir,
        launchAgentsDir: dir,
      },
    );
    const job = await finished(spawn('sh', ['-c', script], { env: { ...process.env, ...credentialsEnv(sim) }, stdio: ['ignore', 'pipe', 'pipe'] }));
    expectLocked(job);
    expect(sim.stats().refreshes).toBe(refreshes);

    const snapshots = readdirSync(backups).filter((name) => name.endsWith('.sqlite'));
    expect(snapshots).toHaveLength(1);
    const snapshot = join(backups, snapshots[0] ?? '');
    expect((await verifySnapshot(snapshot)).problems).toEqual([]);
    expect(canonicalSnapshot(snapshot)).toEqual(committed);

    release(go);
    const done = await writer.exited;
    expect(done.code, done.stderr).toBe(0);
  }, 60_000);

  it('the desktop app syncing while a CLI holds the archive gets ARCHIVE_LOCKED, spends no refresh, and syncs once it is free', async () => {
    const app = testApp(tempDir());
    const connected = await app.call('connect:demo', {});
    const sim = app.sim();
    if (!sim) throw new Error('connect:demo started no simulator');
    const path = connected.profile.archivePath;
    const go = join(app.dir, 'go');
    const cli = spawnPausedCli(syncArgs(sim, path, '--json'), credentialsEnv(sim), 'sync:leased', go);
    expect(await cli.paused).toBe('sync:leased#1');

    const refreshes = sim.stats().refreshes;
    const locked = app.next('sync:done');
    await app.call('sync:start', {});
    expect((await locked).error).toMatchObject({ code: 'ARCHIVE_LOCKED' });
    expect(sim.stats().refreshes).toBe(refreshes);

    release(go);
    expect((await cli.exited).code).toBe(0);
    const synced = app.next('sync:done');
    await app.call('sync:start', {});
    expect((await synced).report?.status).toBe('complete');
  });
});
