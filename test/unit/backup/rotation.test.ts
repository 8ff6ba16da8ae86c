import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSnapshots } from '../../../electron/core/backup/catalog';
import { createSnapshot } from '../../../electron/core/backup/snapshot';
import { useTempDir } from '../../helpers/tempDir';
import { archiveWith, filesIn, minuteClock } from './fixture';

describe('rotation (--keep)', () => {
  const tempDir = useTempDir();

  it('keeps the newest N snapshots of the archive and deletes older ones with their manifests', async () => {
    const archive = archiveWith(tempDir());
    const to = tempDir();
    const clock = minuteClock();
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) made.push(basename((await createSnapshot({ archivePath: archive, toDir: to, keep: 3, clock })).path));
    const last = await createSnapshot({ archivePath: archive, toDir: to, keep: 3, clock });
    expect(last.rotation?.kept).toEqual([basename(last.path), made[4], made[3]]);
    expect(last.rotation?.deleted).toEqual([made[2]]);
    expect(listSnapshots(to).map((s) => s.name)).toEqual([basename(last.path), made[4], made[3]]);
    expect(filesIn(to)).toHaveLength(6);
  });

  it('without --keep, deletes nothing', async () => {
    const archive = archiveWith(tempDir());
    const to = tempDir();
    const clock = minuteClock();
    for (let i = 0; i < 3; i += 1) expect((await createSnapshot({ archivePath: archive, toDir: to, clock })).rotation).toBeNull();
    expect(listSnapshots(to)).toHaveLength(3);
  });

  it('never deletes the last good snapshot: --keep 1 keeps the new one, and a failed backup deletes nothing', async () => {
    const archive = archiveWith(tempDir(), 0, 300);
    const to = tempDir();
    const clock = minuteClock();
    const first = await createSnapshot({ archivePath: archive, toDir: to, keep: 1, clock });
    const controller = new AbortController();
    await expect(createSnapshot({ archivePath: archive, toDir: to, keep: 1, clock, pagesPerStep: 1, signal: controller.signal, onProgress: () => controller.abort() })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(listSnapshots(to).map((s) => s.path)).toEqual([first.path]);
    const second = await createSnapshot({ archivePath: archive, toDir: to, keep: 1, clock });
    expect(listSnapshots(to).map((s) => s.path)).toEqual([second.path]);
  });

  it('keeps the snapshot just made even when an older one claims a later time (clock moved back)', async () => {
    const archive = archiveWith(tempDir());
    const to = tempDir();
    const future = await createSnapshot({ archivePath: archive, toDir: to, clock: { now: () => Date.UTC(2030, 0, 1) } });
    const now = await createSnapshot({ archivePath: archive, toDir: to, keep: 1, clock: { now: () => Date.UTC(2026, 10, 23) } });
    expect(now.rotation?.deleted).toEqual([basename(future.path)]);
    expect(listSnapshots(to).map((s) => s.path)).toEqual([now.path]);
  });

  it("leaves alone other archives' snapshots, safety copies, files without a manifest and unrelated files", async () => {
    const mine = archiveWith(tempDir());
    const other = archiveWith(tempDir());
    const to = tempDir();
    const clock = minuteClock();
    const others = [await createSnapshot({ archivePath: other, toDir: to, clock }), await createSnapshot({ archivePath: other, toDir: to, clock })];
    // A snapshot of mine whose manifest went missing: not provably ours, so never deleted.
    const orphan = await createSnapshot({ archivePath: mine, toDir: to, clock });
    renameSync(orphan.manifestPath, join(to, 'kept-aside.txt'));
    // A restore's safety copy of mine in the same folder.
    const safety = await createSnapshot({ archivePath: mine, toDir: to, clock });
    const safetyManifest = JSON.parse(readFileSync(safety.manifestPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(safety.manifestPath, JSON.stringify({ ...safetyManifest, kind: 'safety-copy' }));
    // Unrelated files, some of them looking a little like ours.
    for (const name of ['notes.txt', 'fixture.sqlite', 'fixture-old.sqlite', 'random.json', 'fixture-20200101T000000000Z.json']) writeFileSync(join(to, name), '{"format":"something else"}');
    const before = filesIn(to);

    const a = await createSnapshot({ archivePath: mine, toDir: to, keep: 1, clock });
    const b = await createSnapshot({ archivePath: mine, toDir: to, keep: 1, clock });
    expect(b.rotation?.deleted).toEqual([basename(a.path)]);
    expect(filesIn(to)).toEqual([...before, basename(b.path), basename(b.manifestPath)].sort());
    for (const snapshot of others) expect(filesIn(to)).toContain(basename(snapshot.path));

    const listed = listSnapshots(to);
    expect(listed.find((s) => s.path === orphan.path)?.problem).toBe('no manifest (.json) beside it');
    expect(listed.map((s) => s.name)).not.toContain('fixture-old.sqlite');
  });
});
