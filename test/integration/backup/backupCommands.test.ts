import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import { canonicalSnapshot } from '../../helpers/archiveCheck';
import { credentialsEnv, lastJson, syncArgs } from '../../helpers/cli';
import { runInProcess } from '../../helpers/inProcessCli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';
import { release, spawnPausedCli } from '../../reliability/pauses';

const vault = (args: string[]) => runInProcess(args, {});
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface BackupJson {
  path: string;
  manifest: { sha256: string; integrity: string; counts: { messages: number } };
  rotation: { kept: string[]; deleted: string[] } | null;
}

describe('backup and restore commands', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('backup writes a verified snapshot, rotates with --keep, and --list shows what is good', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    expect((await syncArchive(archive, connectionTo(sim))).status).toBe('complete');
    const to = tempDir();

    const human = await vault(['backup', '--archive', archive, '--to', to]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Snapshot .*acme-\d{8}T\d{9}Z\.sqlite \([\d.]+ KB, integrity ok\)/);
    expect(human.stdout).toMatch(/last sync #1 complete/);

    const made: BackupJson[] = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await vault(['backup', '--archive', archive, '--to', to, '--keep', '2', '--json']);
      expect(result.code, result.stderr).toBe(0);
      made.push(lastJson(result) as BackupJson);
    }
    const last = made[2];
    expect(last?.manifest.integrity).toBe('ok');
    expect(last?.manifest.sha256).toBe(sha256(last?.path ?? ''));
    expect(last?.rotation?.kept).toHaveLength(2);
    expect(readdirSync(to).filter((f) => f.endsWith('.sqlite'))).toHaveLength(2);

    const list = await vault(['backup', '--list', '--to', to]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/All 2 verified\./);

    // One flipped byte: --list says which one and exits 1.
    const bytes = readFileSync(last?.path ?? '');
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    writeFileSync(last?.path ?? '', bytes);
    const bad = await vault(['backup', '--list', '--to', to, '--json']);
    expect(bad.code).toBe(1);
    const listed = lastJson(bad) as { bad: number; snapshots: { path: string; ok: boolean; problems: string[] }[] };
    expect(listed.bad).toBe(1);
    expect(listed.snapshots.find((s) => s.path === last?.path)?.problems.join()).toMatch(/SHA-256 differs/);
  });

  it('answers bad usage with exit 2, and a missing folder with exit 1 and nothing written', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['backup', '--to', dir], /--archive: is required \(or use --list\)/],
      [['backup', '--archive', 'a.sqlite'], /--to/],
      [['backup', '--archive', 'a.sqlite', '--to', dir, '--keep', '0'], /--keep: must be at least 1/],
      [['backup', '--list', '--to', dir, '--keep', '3'], /--keep: only applies when making a snapshot/],
      [['restore', '--archive', 'a.sqlite'], /--from/],
      [['backup', '--archive', join(dir, 'missing.sqlite'), '--to', dir], /No archive at/],
    ];
    for (const [args, message] of cases) {
      const result = await vault(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    const sim = await simulator({ scale: 'tiny' });
    const archive = join(dir, 'a.sqlite');
    await syncArchive(archive, connectionTo(sim));
    const missing = await vault(['backup', '--archive', archive, '--to', join(dir, 'no', 'such')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/The backup folder .*no\/such does not exist[\s\S]*mkdir -p/);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('restore without --yes says what it would do and changes nothing; with --yes it restores', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    await syncArchive(archive, connectionTo(sim));
    const to = tempDir();
    const snapshot = (lastJson(await vault(['backup', '--archive', archive, '--to', to, '--json'])) as BackupJson).path;
    sim.mutate({ newMessages: 30 });
    await syncArchive(archive, connectionTo(sim));
    const before = canonicalSnapshot(archive);
    expect(before).not.toEqual(canonicalSnapshot(snapshot));

    const dry = await vault(['restore', '--archive', archive, '--from', snapshot]);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toMatch(/verified: manifest, SHA-256, integrity_check and schema are good/);
    expect(dry.stdout).toMatch(/Safety copy: the current archive would be kept in/);
    expect(dry.stdout).toMatch(/Stop the desktop app/);
    expect(dry.stderr).toMatch(/Nothing was changed: add --yes to restore/);
    expect(canonicalSnapshot(archive)).toEqual(before);

    const done = await vault(['restore', '--archive', archive, '--from', snapshot, '--yes']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^Restored .*acme\.sqlite from /);
    const safety = /Safety copy: (\S+)/.exec(done.stdout)?.[1] ?? '';
    expect(safety).toMatch(/acme\.before-restore-\d{8}T\d{9}Z\.sqlite$/);
    expect(canonicalSnapshot(archive)).toEqual(canonicalSnapshot(snapshot));
    expect(canonicalSnapshot(safety)).toEqual(before);

    // The restored archive syncs on as usual and catches up with the org again.
    expect((await syncArchive(archive, connectionTo(sim))).status).toBe('complete');
    expect(canonicalSnapshot(archive).messages).toEqual(before.messages);
  });

  it('restore exits 3 while another process is syncing the archive, and the sync is unharmed', async () => {
    const sim = await simulator({ scale: 'small', latencyMs: 5 });
    const archive = join(tempDir(), 'acme.sqlite');
    await syncArchive(archive, connectionTo(sim));
    const snapshot = (lastJson(await vault(['backup', '--archive', archive, '--to', tempDir(), '--json'])) as BackupJson).path;
    sim.mutate({ newMessages: 200 });

    // The sync holds its lease, stopped just after taking it, until both restores have been tried:
    // a fast sync (or a slow restore) can no longer end the race the other way.
    const go = join(tempDir(), 'release');
    const { child: sync, exited, paused } = spawnPausedCli([...syncArgs(sim, archive), '--full', '--json'], credentialsEnv(sim), 'sync:leased', go);
    expect(await paused, 'the sync ended before it took the lease').toBe('sync:leased#1');
    const refused = await vault(['restore', '--archive', archive, '--from', snapshot, '--yes']);
    const dry = await vault(['restore', '--archive', archive, '--from', snapshot]);
    release(go);
    expect(sync.exitCode).toBeNull();
    const result = await exited;

    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/The archive is being written by another process \(cliq-vault [\d.]+ sync, pid \d+ on /);
    expect(refused.stderr).toMatch(/Nothing was changed/);
    expect(dry.code).toBe(3);
    expect(dry.stderr).toMatch(/The restore would be refused: the archive is being written by another process/);
    expect(result.code, result.stderr).toBe(0);
    expect((lastJson(result) as { status: string }).status).toBe('complete');
    expect(readdirSync(join(archive, '..')).filter((f) => f.includes('before-restore'))).toEqual([]);
  });

  it('the help of restore says to stop the desktop app, and lists the exit codes', async () => {
    const help = await vault(['restore', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Stop the desktop app/);
    expect(help.stdout).toMatch(/3 the archive is in use by another process/);
    expect((await vault(['backup', '--help'])).stdout).toMatch(/--list --to DIR/);
  });
});
