import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { madeAgainstSimulator } from '../../../electron/core/app/archiveOrigin';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTestApps, type TestApp } from '../../helpers/appService';
import { useTempDir } from '../../helpers/tempDir';

/** A demo archive as `npm run demo` leaves it: the demo org synced once, by another app with its own settings. */
async function demoArchive(testApp: ReturnType<typeof useTestApps>, dir: string): Promise<string> {
  const maker = testApp(join(dir, 'maker'));
  const { profile } = await maker.call('connect:demo', {});
  const done = maker.next('sync:done');
  await maker.call('sync:start', {});
  expect((await done).report?.status).toBe('complete');
  return profile.archivePath;
}

async function sync(app: TestApp) {
  const done = app.next('sync:done');
  await app.call('sync:start', {});
  return (await done).report;
}

describe('serve --archive with no org connected', () => {
  const tempDir = useTempDir('cliq-vault-serve-archive-');
  const testApp = useTestApps();

  it('names the archive, reads it, shows its runs, refuses to sync it with words, and syncs the demo again on request', async () => {
    const dir = tempDir();
    const path = await demoArchive(testApp, dir);
    const app = testApp(join(dir, 'reader'), {}, { archiveOverride: path });

    const info = await app.call('app:info', {});
    expect(info).toMatchObject({ activeProfile: null, archivePath: path, archiveExists: true, archiveReadOnly: true, archiveFromSimulator: true });
    expect((await app.call('archive:conversations', { onlyProblems: false, limit: 1_000 })).length).toBeGreaterThan(0);
    const runs = await app.call('sync:runs', { limit: 20 });
    expect(runs.map((r) => r.status)).toEqual(['complete']);

    const refused = await app.raw('sync:start', {});
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('USAGE');
    expect(refused.error.message).toBe(`No org is connected to ${path}: it is open read-only, so it cannot be synced here.`);
    expect(refused.error.hint).toMatch(/Connect the org on the Connect screen/);
    expect(await app.call('sync:runs', { limit: 20 })).toHaveLength(1);

    // "Sync the demo org again": the demo profile now keeps this archive, and the next run continues it.
    const { profile } = await app.call('connect:demo', { openArchive: true });
    expect(profile.archivePath).toBe(path);
    expect(await app.call('app:info', {})).toMatchObject({ archivePath: path, archiveReadOnly: false, archiveFromSimulator: true });
    expect((await sync(app))?.status).toBe('complete');
    expect(app.demoDayAsked()).toBe(1);
    expect((await app.call('sync:runs', { limit: 20 })).map((r) => r.status)).toEqual(['complete', 'complete']);
  }, 120_000);

  it('keeps an archive read-only while the active org syncs into another one', async () => {
    const dir = tempDir();
    const path = await demoArchive(testApp, dir);
    const app = testApp(join(dir, 'other'), {}, { archiveOverride: join(dir, 'elsewhere.sqlite') });
    await app.call('connect:demo', {});
    const info = await app.call('app:info', {});
    expect(info.activeProfile?.archivePath).not.toBe(info.archivePath);
    expect(info).toMatchObject({ archiveReadOnly: true, archiveExists: false, archiveFromSimulator: false });
    const refused = await app.raw('sync:start', {});
    expect(refused.ok ? null : refused.error.code).toBe('USAGE');
    // Asked to sync the demo into an archive nobody opened: refused, nothing changed.
    const plain = testApp(join(dir, 'plain'));
    const wrong = await plain.raw('connect:demo', { openArchive: true });
    expect(wrong.ok ? null : wrong.error.message).toBe('No archive was opened to read: the demo org keeps its own.');
    expect(path).not.toBe('');
  }, 120_000);

  it("tells a simulator archive from one with no recorded endpoints or a run against Cliq's own", () => {
    const archive = buildArchive(tempDir(), { chats: [{ id: 'CT_1', kind: 'channel', title: 'Finance' }], messages: [] });
    expect(madeAgainstSimulator(archive.db)).toBe(false);
    archive.db.prepare('UPDATE sync_runs SET options_json = ?').run(JSON.stringify({ endpoints: { apiBase: 'http://127.0.0.1:41234', dataCentre: 'custom' } }));
    expect(madeAgainstSimulator(archive.db)).toBe(true);
    archive.runs.start(3, 'test', { endpoints: { apiBase: 'https://cliq.zoho.eu', dataCentre: 'eu' } }, 1, 'host');
    expect(madeAgainstSimulator(archive.db)).toBe(false);
    archive.close();
  });
});
