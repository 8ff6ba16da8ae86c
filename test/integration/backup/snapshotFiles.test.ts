import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../../../shared/exitCodes';
import { createSnapshot, type SnapshotResult } from '../../../electron/core/backup';
import type { RestoreReport } from '../../../electron/core/backup/restore';
import { readManifest, sidecarPath } from '../../../electron/core/backup/manifest';
import { verifySnapshot } from '../../../electron/core/backup/verify';
import { openFileStore } from '../../../electron/core/files/store';
import { archiveWithFiles, storedObjects, tamperObject } from '../../helpers/filesArchive';
import { lastJson } from '../../helpers/cli';
import { runInProcess } from '../../helpers/inProcessCli';
import { useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

const vault = (args: string[]) => runInProcess(args, {});
const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function backup(archive: string, to: string, ...extra: string[]): Promise<SnapshotResult> {
  const result = await vault(['backup', '--archive', archive, '--to', to, '--json', ...extra]);
  expect(result.code, result.stderr).toBe(exitCodes.ok);
  return lastJson(result) as SnapshotResult;
}

/** Every object of the store beside `path` (an archive or a snapshot) hashes to its name; returns how many there are. */
async function storeHashesRight(path: string): Promise<number> {
  const store = openFileStore(path);
  let count = 0;
  for await (const sha256 of store.list()) {
    expect(sha256Of(store.pathOf(sha256)), sha256).toBe(sha256);
    count += 1;
  }
  return count;
}

describe('backups keep the file store', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('a snapshot holds every stored file; a restore brings them back and the archive verifies with --files', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    const objects = await archiveWithFiles(sim, archive);
    const totalBytes = objects.reduce((sum, o) => sum + o.bytes, 0);
    const to = tempDir();

    const human = await vault(['backup', '--archive', archive, '--to', to]);
    expect(human.code, human.stderr).toBe(exitCodes.ok);
    expect(human.stdout).toContain(`Files:     ${objects.length} stored file(s)`);
    expect(human.stdout).toContain(`${objects.length} copied`);
    expect(human.stdout).toContain('0 linked from an earlier snapshot');
    const [made] = readdirSync(to).filter((name) => name.endsWith('.sqlite'));
    const snapshot = join(to, made ?? '');

    const read = readManifest(sidecarPath(snapshot));
    if (!('manifest' in read)) throw new Error(read.problem);
    expect(read.manifest.files?.objects).toEqual(objects.map((o) => ({ sha256: o.sha256, size: o.bytes })));
    expect(read.manifest.files?.bytes).toBe(totalBytes);
    expect(read.manifest.files?.unavailable).toEqual([]);
    expect(await storeHashesRight(snapshot)).toBe(objects.length);
    expect((await verifySnapshot(snapshot)).filesChecked).toBe(objects.length);

    // The archive and its store are lost; the snapshot folder alone brings both back elsewhere.
    rmSync(archive);
    rmSync(`${archive}.files`, { recursive: true, force: true });
    const elsewhere = join(tempDir(), 'acme.sqlite');
    const restored = await vault(['restore', '--archive', elsewhere, '--from', snapshot, '--yes', '--json']);
    expect(restored.code, restored.stderr).toBe(exitCodes.ok);
    const report = lastJson(restored) as RestoreReport;
    expect(report.files).toEqual({ files: objects.length, copied: objects.length, bytesCopied: totalBytes, present: 0, damaged: [] });
    expect(await storeHashesRight(elsewhere)).toBe(objects.length);
    const verify = await vault(['verify', '--archive', elsewhere, '--files']);
    expect(verify.code, verify.stdout).toBe(exitCodes.ok);
    expect(verify.stdout).toContain(`Files OK: ${objects.length} stored file(s)`);
  });

  it('a second snapshot links every unchanged file (same inode, no bytes copied); rotating the first away keeps them whole', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    const objects = await archiveWithFiles(sim, archive);
    const totalBytes = objects.reduce((sum, o) => sum + o.bytes, 0);
    const to = tempDir();

    const first = await backup(archive, to);
    expect(first.files).toMatchObject({ files: objects.length, copied: objects.length, bytesCopied: totalBytes, linked: 0, bytesLinked: 0 });
    const second = await backup(archive, to);
    expect(second.files).toMatchObject({ files: objects.length, copied: 0, bytesCopied: 0, linked: objects.length, bytesLinked: totalBytes });
    const firstStore = openFileStore(first.path);
    const secondStore = openFileStore(second.path);
    for (const { sha256 } of objects) {
      const a = statSync(firstStore.pathOf(sha256));
      const b = statSync(secondStore.pathOf(sha256));
      expect(b.ino, sha256).toBe(a.ino);
      expect(b.nlink).toBe(2);
    }

    // An earlier copy of the wrong size is never linked: that file is copied from the archive's store.
    const [odd] = objects.filter((o) => o.bytes > 0);
    if (!odd) throw new Error('the fixture needs a non-empty file');
    for (const store of [firstStore, secondStore]) {
      rmSync(store.pathOf(odd.sha256));
      writeFileSync(store.pathOf(odd.sha256), Buffer.alloc(odd.bytes + 1));
    }
    // A third with --keep 1 deletes both earlier snapshots, the one that copied the bytes included.
    const third = await backup(archive, to, '--keep', '1');
    expect(third.files).toMatchObject({ copied: 1, bytesCopied: odd.bytes, linked: objects.length - 1 });
    expect(third.rotation?.deleted.sort()).toEqual([first.path, second.path].map((p) => p.slice(to.length + 1)).sort());
    expect(existsSync(firstStore.root)).toBe(false);
    expect(existsSync(secondStore.root)).toBe(false);
    const kept = openFileStore(third.path);
    for (const { sha256 } of objects) expect(statSync(kept.pathOf(sha256)).nlink, 'the only name left').toBe(1);
    expect(await storeHashesRight(third.path)).toBe(objects.length);
    const check = await verifySnapshot(third.path);
    expect(check.problems).toEqual([]);
    expect(check.filesChecked).toBe(objects.length);
    const list = await vault(['backup', '--list', '--to', to]);
    expect(list.code).toBe(exitCodes.ok);
    expect(list.stdout).toContain(`${objects.length} stored file(s)`);
  });

  it('backup verify catches a changed or missing file in a snapshot, and restore refuses it', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    const objects = await archiveWithFiles(sim, archive);
    const [changed, gone] = objects.filter((o) => o.bytes > 0);
    if (!changed || !gone) throw new Error('the fixture needs two non-empty files');
    const snapshot = (await backup(archive, tempDir())).path;
    tamperObject(snapshot, changed.sha256);
    rmSync(openFileStore(snapshot).pathOf(gone.sha256));

    const check = await verifySnapshot(snapshot);
    expect(check.ok).toBe(false);
    expect(check.problems).toHaveLength(2);
    expect(check.problems).toContain(`stored file ${changed.sha256} no longer hashes to its name: it changed after the snapshot was made`);
    expect(check.problems).toContain(`stored file ${gone.sha256} is missing from ${openFileStore(snapshot).root}`);
    const restore = await vault(['restore', '--archive', join(tempDir(), 'x.sqlite'), '--from', snapshot, '--yes']);
    expect(restore.code).toBe(exitCodes.failed);
    expect(restore.stderr).toMatch(/cannot be restored: .*stored file/);
  });

  it('a stored file missing from the store at backup time: the snapshot is made without it, says so (exit 5), and the archive is untouched', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    const objects = await archiveWithFiles(sim, archive);
    const [lost, damaged] = objects.filter((o) => o.bytes > 0);
    if (!lost || !damaged) throw new Error('the fixture needs two non-empty files');
    const store = openFileStore(archive);
    rmSync(store.pathOf(lost.sha256));
    tamperObject(archive, damaged.sha256);
    const archiveBytes = sha256Of(archive);
    const to = tempDir();

    const result = await vault(['backup', '--archive', archive, '--to', to]);
    expect(result.code, result.stderr).toBe(exitCodes.partial);
    expect(result.stdout).toContain(`Warning:   2 stored file(s) the archive names are missing from its store or no longer match their hash; the snapshot was made without them`);
    expect(result.stdout).toContain(`missing: ${lost.sha256}`);
    expect(result.stdout).toContain(`changed: ${damaged.sha256}`);
    expect(sha256Of(archive), 'the archive was only read').toBe(archiveBytes);
    expect(existsSync(store.pathOf(damaged.sha256)), 'the damaged object is left where it was').toBe(true);

    const [made] = readdirSync(to).filter((name) => name.endsWith('.sqlite'));
    const snapshot = join(to, made ?? '');
    const check = await verifySnapshot(snapshot);
    expect(check.problems, 'what the snapshot holds is whole').toEqual([]);
    expect(check.manifest?.files?.unavailable.map((u) => [u.sha256, u.reason]).sort()).toEqual(
      [
        [lost.sha256, 'missing'],
        [damaged.sha256, 'changed'],
      ].sort(),
    );
    expect(existsSync(openFileStore(snapshot).pathOf(damaged.sha256)), 'changed bytes never enter a snapshot').toBe(false);
    expect(await storeHashesRight(snapshot)).toBe(objects.length - 2);
    expect(
      readdirSync(to).filter((name) => name.startsWith('.')),
      'no temp left',
    ).toEqual([]);
  });

  it('restore into an archive whose store has some of the files copies only the others and overwrites none', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    const objects = await archiveWithFiles(sim, archive);
    const [removed, damaged, ...rest] = objects.filter((o) => o.bytes > 0);
    if (!removed || !damaged || rest.length === 0) throw new Error('the fixture needs three non-empty files');
    const snapshot = (await backup(archive, tempDir())).path;
    const store = openFileStore(archive);
    rmSync(store.pathOf(removed.sha256));
    tamperObject(archive, damaged.sha256);
    const damagedBytes = readFileSync(store.pathOf(damaged.sha256));
    const keptInode = statSync(store.pathOf(rest[0]?.sha256 ?? '')).ino;

    const restored = await vault(['restore', '--archive', archive, '--from', snapshot, '--yes', '--json']);
    expect(restored.code, restored.stderr).toBe(exitCodes.ok);
    const report = lastJson(restored) as RestoreReport;
    expect(report.files).toEqual({ files: objects.length, copied: 1, bytesCopied: removed.bytes, present: objects.length - 2, damaged: [damaged.sha256] });
    expect(report.notes.join('\n')).toMatch(/1 stored file\(s\) already in the archive's store do not hash to their names; they were kept as found/);
    expect(sha256Of(store.pathOf(removed.sha256))).toBe(removed.sha256);
    expect(readFileSync(store.pathOf(damaged.sha256)), 'never overwritten').toEqual(damagedBytes);
    expect(statSync(store.pathOf(rest[0]?.sha256 ?? '')).ino, 'a right object is kept as it is').toBe(keptInode);
    const verify = await vault(['verify', '--archive', archive, '--files', '--json']);
    expect(verify.code).toBe(exitCodes.failed);
    expect((lastJson(verify) as { files: { changed: number; missing: number } }).files).toMatchObject({ changed: 1, missing: 0 });
  });

  it('a cancel while the files are copied leaves nothing in the backup folder', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    await archiveWithFiles(sim, archive);
    const to = tempDir();
    // Aborted from the moment the snapshot's files folder exists: after its first file, before its last.
    const signal = {
      get aborted() {
        return readdirSync(to).some((name) => name.endsWith('.sqlite.files'));
      },
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    } as unknown as AbortSignal;
    await expect(createSnapshot({ archivePath: archive, toDir: to, signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(to)).toEqual([]);
  });

  it('restores a snapshot made before files were kept (no files in its manifest)', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'acme.sqlite');
    await archiveWithFiles(sim, archive);
    const snapshot = (await backup(archive, tempDir())).path;
    // What an older Cliq Vault wrote: the same manifest without `files`, and no folder of files.
    const manifestPath = sidecarPath(snapshot);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    delete manifest.files;
    chmodSync(manifestPath, 0o644);
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(openFileStore(snapshot).root, { recursive: true });

    expect((await verifySnapshot(snapshot)).ok).toBe(true);
    const target = join(tempDir(), 'acme.sqlite');
    const restored = await vault(['restore', '--archive', target, '--from', snapshot, '--yes', '--json']);
    expect(restored.code, restored.stderr).toBe(exitCodes.ok);
    expect((lastJson(restored) as RestoreReport).files).toBeNull();
    expect(storedObjects(target).length).toBeGreaterThan(0);
    expect(existsSync(openFileStore(target).root)).toBe(false);
  });
});
