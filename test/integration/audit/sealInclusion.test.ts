import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../../shared/audit';
import { useTestApps, type TestApp } from '../../helpers/appService';
import { useTempDir } from '../../helpers/tempDir';

/** `verify --bundle B --archive A` in the app: a bundle's seal and rows against an archive's chain. */
describe('seal inclusion: a bundle against an archive', () => {
  const tempDir = useTempDir('cliq-vault-inclusion-');
  const testApp = useTestApps();

  async function sync(app: TestApp): Promise<void> {
    const done = app.next('sync:done');
    await app.call('sync:start', {});
    expect((await done).report?.status).toBe('complete');
  }

  async function exported(app: TestApp, dir: string): Promise<AuditResult> {
    const done = app.next('audit:done');
    await app.call('audit:export', { scope: {}, destination: join(dir, 'bundles') });
    const { result, error } = await done;
    if (!result) throw new Error(error?.message ?? 'no bundle');
    return result;
  }

  async function syncedWithBundle() {
    const dir = tempDir();
    const app = testApp(dir, {}, { demoDays: true });
    await app.call('connect:demo', {});
    await sync(app);
    const bundle = await exported(app, dir);
    return { dir, app, bundle };
  }

  it('passes after later syncs changed the org: the seal links to the new head, changed rows are named', async () => {
    const { app, bundle } = await syncedWithBundle();
    // The demo org's next day: edits, deletions, joins; each sync closes a later seal.
    await sync(app);
    await sync(app);
    const report = await app.call('audit:inclusion', { id: 1 });
    expect(report.problems).toEqual([]);
    expect(report.included).toBe(true);
    expect(report.seal.linked).toBe(true);
    expect(report.seal.detail).toMatch(/linked to this archive's head .* through \d+ later seal/);
    expect(report.rows.matched).toBeGreaterThan(0);
    expect(report.rows.missing).toBe(0);
    expect(report.rows.changed).toBeGreaterThan(0);
    expect(report.changed[0]?.detail).toMatch(/^Changed later by sync run \d+ \(seal \d+\)/);
    // By folder too, as the CLI asks.
    expect((await app.call('audit:inclusion', { bundlePath: bundle.bundlePath })).included).toBe(true);
    const seals = await app.call('audit:seals', {});
    expect(seals[0]?.chainPos).toBeGreaterThan(seals[1]?.chainPos ?? Infinity);
    expect(seals.map((s) => s.kind)).toContain('audit');
  });

  it('fails, in words, against another archive', async () => {
    const { bundle } = await syncedWithBundle();
    const other = testApp(tempDir());
    await other.call('connect:demo', {});
    await sync(other);
    const report = await other.call('audit:inclusion', { bundlePath: bundle.bundlePath });
    expect(report.included).toBe(false);
    expect(report.seal.linked).toBe(false);
    expect(report.problems[0]).toMatch(/^This bundle was exported from another archive \(archive id .+\); this archive's id is /);
  });

  it('passes after a retention purge of bundled messages, naming the run and policy of each', async () => {
    const { app } = await syncedWithBundle();
    const purge = await app.call('retention:apply', { keepDays: 1 });
    expect(purge.purge).toBeGreaterThan(0);
    const report = await app.call('audit:inclusion', { id: 1 });
    expect(report.included).toBe(true);
    // The purged messages and the earlier versions that went with them.
    const archivePath = (await app.call('app:info', {})).archivePath ?? '';
    const db = new Database(archivePath, { readonly: true });
    const versions = db.prepare('SELECT coalesce(sum(versions), 0) FROM purged_messages').pluck().get() as number;
    db.close();
    expect(report.rows.purged).toBe(purge.purge + versions);
    expect(report.purged[0]?.table).toBe('messages');
    expect(report.purged[0]?.detail).toMatch(/^Purged by retention run \d+ on .* under the policy \{.*"keepDays":1/);
  });

  it('fails when the seal hash recorded in the bundle manifest was tampered with', async () => {
    const { app, bundle } = await syncedWithBundle();
    const path = join(bundle.bundlePath, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { archive: { integrityHead: { hash: string } } };
    manifest.archive.integrityHead.hash = `${manifest.archive.integrityHead.hash.slice(0, -1)}${manifest.archive.integrityHead.hash.endsWith('0') ? '1' : '0'}`;
    writeFileSync(path, JSON.stringify(manifest, null, 2));
    const report = await app.call('audit:inclusion', { id: 1 });
    expect(report.included).toBe(false);
    expect(report.seal.linked).toBe(false);
    expect(report.problems[0]).toMatch(/the bundle recorded .*: the bundle's manifest or the archive was altered/);
  });

  it('fails when a bundled row is gone from the archive with no purge on record (deleted outside Cliq Vault)', async () => {
    const { app } = await syncedWithBundle();
    const archivePath = (await app.call('app:info', {})).archivePath ?? '';
    const db = new Database(archivePath);
    const user = db.prepare<[], { user_id: string }>('SELECT user_id FROM users ORDER BY user_id LIMIT 1').get();
    db.prepare('DELETE FROM users WHERE user_id = ?').run(user?.user_id);
    db.close();
    const report = await app.call('audit:inclusion', { id: 1 });
    expect(report.included).toBe(false);
    expect(report.rows.missing).toBe(1);
    expect(report.missing).toEqual([{ table: 'users', key: { user_id: user?.user_id }, detail: 'Not in this archive, and no retention run purged it.' }]);
    expect(report.problems).toContain('1 bundled row(s) are not in this archive and no retention run purged them.');
  });

  it('checks earlier versions and earlier states too: one deleted outside Cliq Vault is missing, named by its key', async () => {
    const dir = tempDir();
    const app = testApp(dir, {}, { demoDays: true });
    await app.call('connect:demo', {});
    // Two days of the demo org: edits and renames leave earlier versions and states to bundle.
    await sync(app);
    await sync(app);
    const bundle = await exported(app, dir);
    const first = (name: string) => JSON.parse(readFileSync(join(bundle.bundlePath, 'data', `${name}.jsonl`), 'utf8').split('\n')[0] ?? '{}') as Record<string, string | number>;
    const version = first('message-versions');
    const state = first('metadata-history');
    expect(version.row_hash).toBeDefined();
    expect(state.row_hash).toBeDefined();
    const archivePath = (await app.call('app:info', {})).archivePath ?? '';
    const db = new Database(archivePath);
    db.prepare('DELETE FROM message_versions WHERE row_hash = ?').run(version.row_hash);
    db.prepare('DELETE FROM entity_history WHERE row_hash = ?').run(state.row_hash);
    db.close();
    const report = await app.call('audit:inclusion', { id: 1 });
    expect(report.included).toBe(false);
    expect(report.rows.missing).toBe(2);
    expect(report.missing).toEqual([
      { table: 'message_versions', key: { chat_id: version.chat_id, message_id: version.message_id, version: String(version.version) }, detail: 'Not in this archive, and no retention run purged it.' },
      { table: 'entity_history', key: { kind: state.kind, entity_key: state.entity_key, seen_at: String(state.seen_at) }, detail: 'Not in this archive, and no retention run purged it.' },
    ]);
  });
});
