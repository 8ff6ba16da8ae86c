import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../../shared/archive';
import { exitCodes } from '../../../shared/exitCodes';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { openFileStore } from '../../../electron/core/files/store';
import { verifyArchiveWithFiles } from '../../../electron/core/files/verifyFiles';
import { sha256Hex } from '../../../electron/core/util/sha256';
import { archiveWithFiles, tamperObject } from '../../helpers/filesArchive';
import { runInProcess } from '../../helpers/inProcessCli';
import { useSimulators } from '../../helpers/sim';
import { archiveAtSchema } from '../../reliability/pauses';
import { useTempDir } from '../../helpers/tempDir';

const vault = (args: string[]) => runInProcess(args, {});

async function verify(archive: string, rehash: boolean, signal?: AbortSignal): Promise<VerifyReport> {
  const db = openArchiveDb(archive, { readonly: true });
  try {
    return await verifyArchiveWithFiles(db, archive, { rehash, ...(signal ? { signal } : {}) });
  } finally {
    db.close();
  }
}

describe('verify: the file store against the sealed attachments', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('passes a clean archive with its counts, plain and with --files, from the CLI (exit 0) and the core', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'a.sqlite');
    const objects = await archiveWithFiles(sim, archive);
    const totalBytes = objects.reduce((sum, o) => sum + o.bytes, 0);
    const attachments = objects.reduce((sum, o) => sum + o.attachments, 0);

    const plain = await verify(archive, false);
    expect(plain.ok).toBe(true);
    expect(plain.files).toEqual({ rehashed: false, attachments, filesChecked: objects.length, bytesHashed: 0, missing: 0, changed: 0, added: 0, findings: [] });
    const full = await verify(archive, true);
    expect(full.ok).toBe(true);
    expect(full.files).toMatchObject({ rehashed: true, filesChecked: objects.length, bytesHashed: totalBytes, missing: 0, changed: 0, added: 0 });

    const human = await vault(['verify', '--archive', archive, '--files']);
    expect(human.code, human.stderr).toBe(exitCodes.ok);
    expect(human.stdout).toContain(`Files OK: ${objects.length} stored file(s) of ${attachments} attachment(s) re-hashed`);
    const usage = await vault(['verify', '--bundle', tempDir(), '--files']);
    expect(usage.code).toBe(exitCodes.usage);
    expect(usage.stderr).toContain('--files re-hashes the stored files of an archive: add --archive <path>.');
    const json = await vault(['verify', '--archive', archive, '--json']);
    expect(json.code).toBe(exitCodes.ok);
    expect((JSON.parse(json.stdout) as VerifyReport).files?.filesChecked).toBe(objects.length);
  });

  it('catches a same-size tampered file only with --files; a deleted one with both; a planted one as added (kept)', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'a.sqlite');
    const objects = await archiveWithFiles(sim, archive);
    const [tampered, deleted] = objects.filter((o) => o.bytes > 0);
    if (!tampered || !deleted) throw new Error('the fixture needs two non-empty files');
    const store = openFileStore(archive);

    tamperObject(archive, tampered.sha256);
    const plainAfterTamper = await verify(archive, false);
    expect(plainAfterTamper.ok, 'the size did not change: a stat cannot see it').toBe(true);
    const fullAfterTamper = await verify(archive, true);
    expect(fullAfterTamper.ok).toBe(false);
    expect(fullAfterTamper.problems, 'the database itself is intact').toEqual([]);
    expect(fullAfterTamper.files?.findings).toEqual([expect.objectContaining({ code: 'file_changed', sha256: tampered.sha256, expectedBytes: tampered.bytes, actualBytes: tampered.bytes })]);
    const cli = await vault(['verify', '--archive', archive, '--files']);
    expect(cli.code).toBe(exitCodes.failed);
    expect(cli.stdout).toContain('OK: every sealed row, seal and link checks out.');
    expect(cli.stdout).toContain('FILES ALTERED: 0 missing, 1 changed, 0 added');
    expect(cli.stdout).toContain(`[file_changed] The bytes of the stored file ${tampered.sha256}`);
    expect((await vault(['verify', '--archive', archive])).code, 'plain verify passes a same-size change').toBe(exitCodes.ok);

    rmSync(store.pathOf(deleted.sha256));
    for (const rehash of [false, true]) {
      const report = await verify(archive, rehash);
      expect(report.ok).toBe(false);
      expect(report.files?.missing).toBe(1);
      expect(report.files?.findings).toContainEqual(expect.objectContaining({ code: 'file_missing', sha256: deleted.sha256, actualBytes: null }));
    }
    expect((await vault(['verify', '--archive', archive])).code).toBe(exitCodes.failed);

    const plantedBytes = Buffer.from('not from Cliq');
    const planted = sha256Hex(plantedBytes);
    const plantedPath = store.pathOf(planted);
    mkdirSync(dirname(plantedPath), { recursive: true });
    writeFileSync(plantedPath, plantedBytes);
    const withPlant = await verify(archive, true);
    expect(withPlant.files).toMatchObject({ missing: 1, changed: 1, added: 1 });
    expect(withPlant.files?.findings).toContainEqual(expect.objectContaining({ code: 'file_added', sha256: planted, actualBytes: plantedBytes.length, attachments: 0 }));
    expect(await store.has(planted), 'reported, never deleted').toBe(true);
    const json = await vault(['verify', '--archive', archive, '--files', '--json']);
    expect(json.code).toBe(exitCodes.failed);
    expect((JSON.parse(json.stdout) as VerifyReport).files).toMatchObject({ missing: 1, changed: 1, added: 1 });
  });

  it('catches a size change without --files, and a re-hash stops at a cancel', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'a.sqlite');
    const objects = await archiveWithFiles(sim, archive);
    const victim = objects.find((o) => o.bytes > 0);
    if (!victim) throw new Error('the fixture needs a non-empty file');
    const path = openFileStore(archive).pathOf(victim.sha256);
    rmSync(path);
    writeFileSync(path, Buffer.alloc(victim.bytes + 1));
    const report = await verify(archive, false);
    expect(report.files?.findings).toEqual([expect.objectContaining({ code: 'file_size_changed', actualBytes: victim.bytes + 1 })]);

    const controller = new AbortController();
    controller.abort();
    await expect(verify(archive, true, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('verifies an archive from before the attachments table as before (no file check)', async () => {
    const archive = join(tempDir(), 'old.sqlite');
    archiveAtSchema(archive, 50);
    const db = new Database(archive, { readonly: true });
    try {
      const report = await verifyArchiveWithFiles(db, archive, { rehash: true });
      expect(report).toMatchObject({ ok: true, problems: [], files: null });
    } finally {
      db.close();
    }
    // The CLI upgrades the archive before reading it: then there is a table, with nothing stored.
    const cli = await vault(['verify', '--archive', archive, '--files']);
    expect(cli.code, cli.stdout).toBe(exitCodes.ok);
    expect(cli.stdout).toContain('Files OK: 0 stored file(s) of 0 attachment(s)');
  });
});
