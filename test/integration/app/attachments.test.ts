import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperationName, RequestOf, ResponseOf } from '../../../shared/contract';
import type { AppService } from '../../../electron/core/app/appService';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import { createAppService } from '../../../electron/core/app/createAppService';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import type { AppHost } from '../../../electron/core/app/ports';
import { attachmentsOfMessages, fileCoverageByChat, fileTotals, listAttachments } from '../../../electron/core/archive/attachmentReads';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { fileStoreRoot } from '../../../electron/core/files/store';
import { buildFilesArchive, exeBytes, hostileHtmlName, htmlBytes, pngBytes, svgBytes } from '../../helpers/attachmentsFixture';
import { useTempDir } from '../../helpers/tempDir';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the app service: attachments (coverage, transcript, list, preview, save, open)', () => {
  const tempDir = useTempDir();
  const services: AppService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  function appOn(dir: string, archivePath: string, desktop: Partial<AppHost> = {}) {
    const service = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'config') }),
      secrets: memorySecretStore(),
      host: { shell: desktop.saveFile ? 'electron' : 'browser', defaultArchiveDir: join(dir, 'archives'), runsScheduleInApp: false, ...desktop },
      archiveOverride: archivePath,
    });
    services.push(service);
    return async <N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> => {
      const result = await service.dispatch(name, request);
      if (!result.ok) throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), { shape: result.error });
      return result.value as ResponseOf<N>;
    };
  }

  it('counts files referenced / stored / unavailable per conversation and in the stats totals', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const call = appOn(dir, path);
    const rows = await call('archive:conversations', {});
    const byId = new Map(rows.map((r) => [r.chatId, r]));
    expect(byId.get('CT_1')?.files).toEqual({ referenced: 5, stored: 4, unavailable: 1, skipped: 0, pending: 0, unavailableBy: { forbidden: 1 } });
    // A file no sync has registered yet still counts as referenced, and as pending.
    expect(byId.get('CT_2')?.files).toEqual({ referenced: 1, stored: 0, unavailable: 0, skipped: 0, pending: 1, unavailableBy: {} });
    const stats = await call('archive:stats', {});
    expect(stats?.files).toMatchObject({ referenced: 6, stored: 4, unavailable: 1, pending: 1, skipped: 0, unavailableBy: { forbidden: 1 } });
    // The store's bytes, each object once.
    expect(stats?.files?.bytesStored).toBe(pngBytes.length + exeBytes.length + htmlBytes.length + svgBytes.length);
  });

  it('gives each file message of a transcript page its attachment: name as data, size, status, preview by magic bytes, open refusal', async () => {
    const dir = tempDir();
    const { path, sha } = await buildFilesArchive(dir);
    const call = appOn(dir, path);
    const page = await call('archive:transcript', { chatId: 'CT_1' });
    const byId = new Map(page.messages.map((m) => [m.messageId, m.attachment]));
    expect(byId.get('m1')).toEqual({ fileId: 'file-m1', fileName: 'scan.pdf', size: pngBytes.length, status: 'stored', reason: null, sha256: sha.png, image: true, openRefusal: null });
    expect(byId.get('m2')).toMatchObject({ status: 'stored', image: false, openRefusal: expect.stringMatching(/\.exe can run programs.*Save as/) as unknown });
    // The web page's hostile name comes back exactly as Cliq gave it (it is shown as text), never a preview.
    expect(byId.get('m3')).toMatchObject({ fileName: hostileHtmlName, image: false, openRefusal: expect.stringMatching(/\.html/) as unknown });
    // SVG bytes declared image/png and named .png: no preview (only raster magic bytes count).
    expect(byId.get('m4')).toMatchObject({ fileName: 'logo.png', image: false, openRefusal: null });
    expect(byId.get('m5')).toMatchObject({ status: 'forbidden', reason: 'FORBIDDEN: 403 from Cliq', sha256: null, image: false });
    expect(byId.get('m6')).toBeUndefined();
    const context = await call('archive:context', { key: page.messages[0]?.key ?? 0, around: 2 });
    expect(context.messages.find((m) => m.messageId === 'm1')?.attachment?.status).toBe('stored');
  });

  it('lists a conversation’s attachments with sender and time, one of them by message and file', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const call = appOn(dir, path);
    const list = await call('archive:attachments', { chatId: 'CT_1' });
    expect(list.map((r) => [r.messageId, r.status])).toEqual([
      ['m1', 'stored'],
      ['m2', 'stored'],
      ['m3', 'stored'],
      ['m4', 'stored'],
      ['m5', 'forbidden'],
    ]);
    expect(list[0]).toMatchObject({ chatId: 'CT_1', senderName: 'Dana Ruiz', time: Date.UTC(2026, 0, 5, 9, 0) + 1_000 });
    expect(await call('archive:attachments', { chatId: 'CT_1', messageId: 'm3', fileId: 'file-m3' })).toHaveLength(1);
    expect(await call('archive:attachments', { chatId: 'CT_1', messageId: 'm3', fileId: 'file-m1' })).toEqual([]);
    expect(await call('archive:attachments', { chatId: 'CT_2' })).toEqual([]);
  });

  it('makes a data: URL preview only of raster image bytes up to 2 MB', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const call = appOn(dir, path);
    expect(await call('archive:thumbnail', { chatId: 'CT_1', messageId: 'm1', fileId: 'file-m1' })).toEqual({ dataUrl: `data:image/png;base64,${pngBytes.toString('base64')}` });
    for (const messageId of ['m2', 'm3', 'm4', 'm5']) {
      expect(await call('archive:thumbnail', { chatId: 'CT_1', messageId, fileId: `file-${messageId}` }), messageId).toEqual({ dataUrl: null });
    }
    expect(await call('archive:thumbnail', { chatId: 'CT_1', messageId: 'nope', fileId: 'nope' })).toEqual({ dataUrl: null });
  });

  it('saves a copy where the save dialog says, with the exact bytes and a safe default name; cancel writes nothing', async () => {
    const dir = tempDir();
    const { path, sha } = await buildFilesArchive(dir);
    const asked: { title: string; defaultPath: string }[] = [];
    let answer: string | null = join(dir, 'out', 'copy.pdf');
    const call = appOn(dir, path, {
      saveFile: (options) => {
        asked.push(options);
        return Promise.resolve(answer);
      },
      openPath: () => Promise.resolve(),
    });
    mkdirSync(join(dir, 'out'));
    expect(await call('files:save', { chatId: 'CT_1', messageId: 'm1', fileId: 'file-m1' })).toEqual({ available: true, path: join(dir, 'out', 'copy.pdf') });
    expect(sha256(readFileSync(join(dir, 'out', 'copy.pdf')))).toBe(sha.png);
    // The dialog's default is the name made safe: no separators, controls or bidi marks.
    await call('files:save', { chatId: 'CT_1', messageId: 'm3', fileId: 'file-m3' });
    expect(asked[1]?.defaultPath).toBe('_img src=x onerror=alert(1)__; filename=evil.exegnp.html');
    // Replacing a file is the dialog's to confirm: what it answered is written over.
    expect(sha256(readFileSync(join(dir, 'out', 'copy.pdf')))).not.toBe(sha.png);
    answer = null;
    expect(await call('files:save', { chatId: 'CT_1', messageId: 'm2', fileId: 'file-m2' })).toEqual({ available: true, path: null });
    // Nothing left beside the copy (no temp files).
    expect(readdirSync(join(dir, 'out'))).toEqual(['copy.pdf']);
  });

  it('refuses to save over the archive or into its file store, and refuses a file the archive does not hold', async () => {
    const dir = tempDir();
    const { path, sha } = await buildFilesArchive(dir);
    let answer = path;
    const call = appOn(dir, path, { saveFile: () => Promise.resolve(answer), openPath: () => Promise.resolve() });
    const ref = { chatId: 'CT_1', messageId: 'm1', fileId: 'file-m1' };
    await expect(call('files:save', ref)).rejects.toMatchObject({ shape: { code: 'USAGE', message: expect.stringMatching(/over the archive or into its file store/) as unknown } });
    answer = join(fileStoreRoot(path), 'sha256', 'x.pdf');
    await expect(call('files:save', ref)).rejects.toMatchObject({ shape: { code: 'USAGE' } });
    await expect(call('files:save', { chatId: 'CT_1', messageId: 'm5', fileId: 'file-m5' })).rejects.toMatchObject({
      shape: { code: 'NOT_FOUND', message: expect.stringMatching(/"secret.pdf" is not in the archive \(unavailable: Cliq refused access/) as unknown, hint: 'FORBIDDEN: 403 from Cliq' },
    });
    await expect(call('files:save', { chatId: 'CT_1', messageId: 'm9', fileId: 'file-m9' })).rejects.toMatchObject({ shape: { code: 'NOT_FOUND' } });
    const db = new Database(path, { readonly: true });
    expect(verifyArchive(db).ok, 'nothing archived changed').toBe(true);
    db.close();
    expect(existsSync(join(fileStoreRoot(path), 'sha256', sha.png.slice(0, 2), sha.png.slice(2, 4), sha.png))).toBe(true);
  });

  it('opens a read-only copy in a per-session temp folder, and refuses programs, scripts and web pages (offering Save as)', async () => {
    const dir = tempDir();
    const { path, sha } = await buildFilesArchive(dir);
    const opened: string[] = [];
    const call = appOn(dir, path, {
      saveFile: () => Promise.resolve(null),
      openPath: (p) => {
        opened.push(p);
        return Promise.resolve();
      },
    });
    expect(await call('files:open', { chatId: 'CT_1', messageId: 'm1', fileId: 'file-m1' })).toEqual({ available: true, opened: true, refusal: null });
    expect(opened).toHaveLength(1);
    const copy = opened[0] ?? '';
    expect(basename(copy)).toBe('scan.pdf');
    expect(basename(dirname(dirname(copy)))).toMatch(/^cliq-vault-open-/);
    expect(sha256(readFileSync(copy))).toBe(sha.png);
    expect(statSync(copy).mode & 0o777).toBe(0o400);
    for (const messageId of ['m2', 'm3']) {
      const answer = await call('files:open', { chatId: 'CT_1', messageId, fileId: `file-${messageId}` });
      expect(answer, messageId).toMatchObject({ available: true, opened: false, refusal: expect.stringMatching(/Save as/) as unknown });
    }
    expect(opened).toHaveLength(1);
    // Closing the service removes the session's copies.
    await services.splice(0).at(0)?.close();
    expect(existsSync(copy)).toBe(false);
  });

  it('answers available: false for Save as and Open where the shell has no desktop (serve)', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const call = appOn(dir, path);
    expect(await call('files:save', { chatId: 'CT_1', messageId: 'm1', fileId: 'file-m1' })).toEqual({ available: false, path: null });
    expect(await call('files:open', { chatId: 'CT_1', messageId: 'm1', fileId: 'file-m1' })).toEqual({ available: false, opened: false, refusal: null });
  });

  it('reads an archive without the attachments table: no file information, no failure', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const db = new Database(path);
    db.exec('DROP TABLE attachments');
    expect(fileCoverageByChat(db).size).toBe(0);
    expect(fileTotals(db)).toBeUndefined();
    expect(listAttachments(db, 'CT_1', { limit: 10 })).toEqual([]);
    expect(attachmentsOfMessages(db, [1, 2, 3]).size).toBe(0);
    db.close();
  });
});
