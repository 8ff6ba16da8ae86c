import Database from 'better-sqlite3-multiple-ciphers';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { createSyncDeps, syncArchive } from '../../../electron/core/createCore';
import { runSync } from '../../../electron/core/sync/engine';
import { openFileStore } from '../../../electron/core/files/store';
import type { RunningSimulator } from '../../../electron/simulator';
import { canonicalSnapshot, compareWithTruth } from '../../helpers/archiveCheck';
import { cliEntry, credentialsEnv, finished, syncArgs, type CliResult } from '../../helpers/cli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every message archived before, still there with the same content (new ones may have been added). */
function expectNothingLost(before: Record<string, unknown[]>, path: string): void {
  const after = canonicalSnapshot(path);
  const key = (m: unknown) => JSON.stringify(m);
  const now = new Set((after.messages ?? []).map(key));
  expect((before.messages ?? []).filter((m) => !now.has(key(m)))).toEqual([]);
  expect(after.integrity).toEqual([{ integrity_check: 'ok' }]);
}

/**
 * A private, really small disk: the built CLI runs in its own mount namespace (`unshare`, also
 * unprivileged where user namespaces are allowed) with a tmpfs of `sizeKb` on `mountPoint`, so
 * it meets the kernel's own ENOSPC. The mount dies with the process; `before` runs first (to copy
 * an archive in and fill the disk), `after` once the CLI has exited (to copy results out), and
 * the files left on the small disk are listed.
 */
async function onSmallDisk(mountPoint: string, sizeKb: number, cli: string[], env: NodeJS.ProcessEnv, steps: { before?: string; after?: string } = {}): Promise<CliResult & { left: string[] }> {
  mkdirSync(mountPoint, { recursive: true });
  const script = [
    'mount -t tmpfs -o size="$SMALL_DISK_KB"k tmpfs "$SMALL_DISK" || exit 99',
    steps.before ?? ':',
    '"$NODE" "$CLI" "$@"; rc=$?',
    steps.after ?? ':',
    'echo "::left::"; ls -A "$SMALL_DISK"',
    'exit $rc',
  ].join('\n');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CLIQ_')));
  const child = spawn('unshare', ['-rm', 'sh', '-c', script, 'small-disk', ...cli], {
    env: { ...clean, ...env, SMALL_DISK: mountPoint, SMALL_DISK_KB: String(sizeKb), NODE: process.execPath, CLI: cliEntry },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = await finished(child);
  const [stdout = '', listing = ''] = result.stdout.split('::left::\n');
  return { ...result, stdout, left: listing.split('\n').filter((l) => l !== '') };
}

/** Whether this machine lets a process mount a tmpfs in its own namespace. */
const canMountSmallDisk = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt']).status === 0;

async function syncedArchive(sim: RunningSimulator, dir: string): Promise<string> {
  const path = join(dir, 'acme.sqlite');
  expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
  return path;
}

describe('disk full, and a destination that vanishes', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('during a sync (SQLITE_FULL): the run fails with a clear IO error and hint, the archive stays intact, the next run completes', async () => {
    const sim = await simulator({ scale: 'tiny', seed: 8, clock: 'manual' });
    const path = await syncedArchive(sim, tempDir());
    const before = canonicalSnapshot(path);
    sim.advance(60_000);
    sim.mutate({ seed: 3, newMessages: 400, editMessages: 5 });

    // A real SQLITE_FULL: the connection may not grow the file by more than a few pages.
    const archive = openArchive(path);
    const pages = archive.db.pragma('page_count', { simple: true }) as number;
    archive.db.pragma(`max_page_count = ${pages + 3}`);
    let report;
    try {
      report = await runSync(createSyncDeps(archive, connectionTo(sim)));
    } finally {
      archive.close();
    }
    expect(report.status).toBe('failed');
    expect(report.fatal).toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringMatching(/disk holding the archive is full.*SQLITE_FULL/) as unknown,
      hint: expect.stringMatching(/Free some space.*nothing archived was lost/) as unknown,
    });
    // It stopped at the first failure instead of trying every conversation against a full disk.
    expect(report.errors.filter((e) => e.code === 'IO_ERROR')).toHaveLength(1);
    expectNothingLost(before, path);

    const next = await syncArchive(path, connectionTo(sim));
    expect(next.status).toBe('complete');
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    const db = new Database(path, { readonly: true });
    const runs = db.prepare('SELECT status FROM sync_runs ORDER BY id').pluck().all();
    db.close();
    expect(runs).toEqual(['complete', 'failed', 'complete']);
  });

  it('during an audit export (ENOSPC): IO_ERROR with the disk-full hint, no bundle and no temp folder, the archive intact', async () => {
    const sim = await simulator({ scale: 'tiny', seed: 8 });
    const path = await syncedArchive(sim, tempDir());
    const before = canonicalSnapshot(path);
    const parent = tempDir();
    const out = join(parent, 'bundle');
    let armed = false;
    const failure = await createAuditBundle({
      archivePath: path,
      outDir: out,
      scope: {},
      // Once the first data file is done, the next document the export writes lands on a full
      // device: a real ENOSPC from the kernel (Linux's /dev/full), in the export's own folder.
      onProgress: () => {
        if (armed) return;
        armed = true;
        const temp = readdirSync(parent).find((name) => name.startsWith('.bundle.partial-'));
        expect(temp).toBeDefined();
        symlinkSync('/dev/full', join(parent, temp ?? '', 'data-dictionary.csv'));
      },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(armed).toBe(true);
    expect(failure).toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('ENOSPC') as unknown, hint: expect.stringMatching(/disk is full/i) as unknown });
    expect(readdirSync(parent)).toEqual([]);
    expect(canonicalSnapshot(path)).toEqual(before);
    // Only the audit log says the export was tried.
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT status FROM audit_log').pluck().all()).toEqual(['failed']);
    db.close();
  });

  it('the export destination removed mid-write: IO_ERROR, nothing recreated or left, the archive intact, the failure recorded', async () => {
    const sim = await simulator({ scale: 'tiny', seed: 8 });
    const path = await syncedArchive(sim, tempDir());
    const before = canonicalSnapshot(path);
    const parent = join(tempDir(), 'exports');
    mkdirSync(parent);
    const out = join(parent, 'bundle');
    let removed = false;
    const failure = await createAuditBundle({
      archivePath: path,
      outDir: out,
      scope: {},
      onProgress: () => {
        if (removed) return;
        removed = true;
        // Someone deletes the folder (an unmounted share, a clean-up script) while files are open.
        rmSync(parent, { recursive: true, force: true });
      },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(removed).toBe(true);
    expect(failure).toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining('ENOENT') as unknown,
      hint: expect.stringMatching(/Check the destination folder\. Nothing was left behind\./) as unknown,
    });
    expect(existsSync(parent)).toBe(false);
    expect(canonicalSnapshot(path)).toEqual(before);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT status FROM audit_log').pluck().all()).toEqual(['failed']);
    db.close();
  });

  describe.runIf(canMountSmallDisk)('on a really full disk (the built CLI, a tmpfs in its own mount namespace)', () => {
    it('backup: exit 1, BACKUP_FAILED says the disk is full, no snapshot or temp file left, the archive byte for byte the same', async () => {
      const sim = await simulator({ scale: 'tiny', seed: 8 });
      const path = await syncedArchive(sim, tempDir());
      const hash = sha256(path);
      const disk = join(tempDir(), 'disk');
      // A quarter of the archive's size: the copy cannot fit.
      const result = await onSmallDisk(disk, Math.max(64, Math.floor(statSync(path).size / 4096)), ['backup', '--archive', path, '--to', disk], {});
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/Could not write a snapshot of .* \(SQLITE_FULL\)/);
      expect(result.stderr).toMatch(/The disk is full .*free some space and try again\. Nothing was left behind\./);
      expect(result.left).toEqual([]);
      expect(sha256(path)).toBe(hash);
    });

    it('audit export: exit 1, IO_ERROR (ENOSPC) with the disk-full hint, no bundle and no temp folder left, the archive intact', async () => {
      const sim = await simulator({ scale: 'tiny', seed: 8 });
      const path = await syncedArchive(sim, tempDir());
      const before = canonicalSnapshot(path);
      const disk = join(tempDir(), 'disk');
      const result = await onSmallDisk(disk, 64, ['audit', '--archive', path, '--out', join(disk, 'bundle')], {});
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/Could not write the bundle \(ENOSPC\)/);
      expect(result.stderr).toMatch(/The disk is full: free space and export again\. Nothing was left behind\./);
      expect(result.left).toEqual([]);
      expect(canonicalSnapshot(path)).toEqual(before);
    });

    it('lossless JSONL export: exit 1, IO_ERROR (ENOSPC) with the disk-full hint, no file and no temp file left', async () => {
      const sim = await simulator({ scale: 'tiny', seed: 8 });
      const path = await syncedArchive(sim, tempDir());
      const before = canonicalSnapshot(path);
      const disk = join(tempDir(), 'disk');
      const result = await onSmallDisk(disk, 64, ['export', '--archive', path, '--what', 'messages', '--out', join(disk, 'messages.jsonl')], {});
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/Could not write .*messages\.jsonl \(ENOSPC\)/);
      expect(result.stderr).toMatch(/The disk is full; free some space and export again\./);
      expect(result.left).toEqual([]);
      expect(canonicalSnapshot(path)).toEqual(before);
    });

    it('export --all: exit 1, IO_ERROR (ENOSPC) with the disk-full hint, no folder and no hidden partial folder left', async () => {
      const sim = await simulator({ scale: 'tiny', seed: 8 });
      const path = await syncedArchive(sim, tempDir());
      const before = canonicalSnapshot(path);
      const disk = join(tempDir(), 'disk');
      const result = await onSmallDisk(disk, 64, ['export', '--archive', path, '--all', '--out', join(disk, 'all')], {});
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/Could not write .*all \(ENOSPC\)/);
      expect(result.stderr).toMatch(/The disk is full; free some space and export again\./);
      expect(result.left).toEqual([]);
      expect(canonicalSnapshot(path)).toEqual(before);
    });

    it('sync: exit 1, the disk-full message and hint, the archive intact with everything it had, and the next sync completes', async () => {
      const sim = await simulator({ scale: 'tiny', seed: 8, clock: 'manual' });
      const dir = tempDir();
      const path = await syncedArchive(sim, dir);
      const before = canonicalSnapshot(path);
      sim.advance(60_000);
      sim.mutate({ seed: 3, newMessages: 600, editMessages: 5 });
      const disk = join(tempDir(), 'disk');
      const onDisk = join(disk, 'acme.sqlite');
      const out = join(dir, 'after');
      mkdirSync(out);
      const sizeKb = Math.ceil(statSync(path).size / 1024) + 512;
      // The archive on a disk with ~200 KB free: far less than 600 new messages need. Files left
      // out: this is the database's disk-full path (the file store's is the next test's).
      const result = await onSmallDisk(disk, sizeKb, syncArgs(sim, onDisk, '--files', 'none'), credentialsEnv(sim), {
        before: `cp "${path}" "$SMALL_DISK/" && head -c ${(sizeKb - Math.ceil(statSync(path).size / 1024) - 200) * 1024} /dev/zero > "$SMALL_DISK/filler"`,
        after: `rm "$SMALL_DISK/filler"; cp "$SMALL_DISK"/acme.sqlite* "${out}/"`,
      });
      expect(result.code, result.stderr).toBe(1);
      const said = result.stdout + result.stderr;
      expect(said).toMatch(/disk holding the archive is full/);
      expect(said).toMatch(/What to do: .*Free (some|disk) space/);
      expect(said).not.toMatch(/SqliteError|at .*\.mjs:\d+/);
      const kept = join(out, 'acme.sqlite');
      expectNothingLost(before, kept);

      // With room again, the same archive file catches up with Cliq.
      const next = await syncArchive(kept, connectionTo(sim));
      expect(next.status).toBe('complete');
      expect(compareWithTruth(kept, sim.truth()).missing).toEqual([]);
    });

    it('sync storing files: exit 1, the files disk-full message, no partial file, the messages kept, and the next sync stores the rest', async () => {
      const sim = await simulator({ scale: 'tiny', seed: 8, fileSizes: { emptyShare: 0, largeShare: 1, largeMinBytes: 400_000, largeMaxBytes: 600_000 } });
      const dir = tempDir();
      const path = join(dir, 'acme.sqlite');
      expect((await syncArchive(path, connectionTo(sim), { files: 'none' })).status).toBe('complete');
      const before = canonicalSnapshot(path);
      const disk = join(tempDir(), 'disk');
      const out = join(dir, 'after');
      mkdirSync(out);
      // Room for the database's growth and a file or two, not for the 2.5 MB or so of them all.
      const sizeKb = Math.ceil(statSync(path).size / 1024) + 1_200;
      const result = await onSmallDisk(disk, sizeKb, syncArgs(sim, join(disk, 'acme.sqlite')), credentialsEnv(sim), {
        before: `cp "${path}" "$SMALL_DISK/"`,
        after: `cp -r "$SMALL_DISK"/acme.sqlite* "${out}/"`,
      });
      expect(result.code, result.stdout + result.stderr).toBe(1);
      const said = result.stdout + result.stderr;
      // Whichever write meets the full disk first, a file's or the database's, says so plainly.
      expect(said, said).toMatch(/The disk holding the archive(?:'s files)? is full \((?:ENOSPC|SQLITE_FULL)\)|The disk holding the archive is full: database or disk is full \(SQLITE_FULL\)/);
      expect(said).toMatch(/Free some space/);
      expect(said).not.toMatch(/SqliteError|at .*\.mjs:\d+/);
      const kept = join(out, 'acme.sqlite');
      expectNothingLost(before, kept);
      const store = openFileStore(kept);
      expect(existsSync(join(store.root, 'tmp')) ? readdirSync(join(store.root, 'tmp')) : [], 'no partial download').toEqual([]);
      const objects = async () => {
        const found: string[] = [];
        for await (const hash of store.list()) found.push(hash);
        return found;
      };
      const stored = () => {
        const db = new Database(kept, { readonly: true });
        try {
          return db
            .prepare<[], { sha256: string }>("SELECT sha256 FROM attachments WHERE status = 'stored'")
            .all()
            .map((r) => r.sha256);
        } finally {
          db.close();
        }
      };
      const fitted = await objects();
      expect(fitted.length, 'some files fitted').toBeGreaterThan(0);
      // Every object is whole. Every file recorded as stored is there; an object may lack its
      // record when the database could not commit it on the full disk (the next sync records it).
      for (const hash of fitted) expect((await store.verify(hash)).ok, hash).toBe(true);
      for (const hash of stored()) expect(fitted).toContain(hash);

      // With room again, the same archive stores the files it could not, and records every object.
      const next = await syncArchive(kept, connectionTo(sim));
      expect(next.status).toBe('complete');
      const after = new Database(kept, { readonly: true });
      expect(after.prepare("SELECT count(*) AS n FROM attachments WHERE status NOT IN ('stored', 'forbidden')").get()).toEqual({ n: 0 });
      after.close();
      expect(new Set(await objects())).toEqual(new Set(stored()));
    });
  });
});
