import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { revokeRefreshToken } from '../../../electron/core/cliq/oauth';
import { syncArchive } from '../../../electron/core/createCore';
import type { RunningSimulator } from '../../../electron/simulator';
import { canonicalSnapshot } from '../../helpers/archiveCheck';
import { credentialsEnv, lastJson, runCli, syncArgs } from '../../helpers/cli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';
import { useTestApps } from '../../helpers/appService';

/** Every request the simulator counted (API and accounts), by family, leaving out the zeros. */
function requestsMade(sim: RunningSimulator): Record<string, number> {
  return Object.fromEntries(Object.entries(sim.stats().requests).filter(([, n]) => n > 0));
}

/**
 * Authorisation faults as a user meets them: the built CLI's exit code and words, the archive left
 * as it was, and the accounts server asked once — never a storm of refreshes.
 * (401 → exactly one refresh is proven in test/integration/sync/oauth.test.ts.)
 */
describe('authorisation faults (the built CLI)', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('a revoked refresh token: exit 4, "re-authorise" said, one token request, the archive untouched', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const before = canonicalSnapshot(path);
    await revokeRefreshToken({ accountsBase: sim.accountsBase, refreshToken: sim.admin.refreshToken });
    sim.resetStats();

    const result = await runCli(syncArgs(sim, path), credentialsEnv(sim));
    expect(result.code).toBe(4);
    const said = result.stdout + result.stderr;
    expect(said).toMatch(/Zoho refused the refresh token/);
    expect(said).toMatch(/Re-authorise/);
    expect(said).toMatch(/cliq-vault auth exchange/);
    // One refresh attempt, and no API call without a token.
    expect(requestsMade(sim)).toEqual({ 'oauth.token': 1 });
    expect(canonicalSnapshot(path)).toEqual(before);

    // Running again (a scheduler retrying) costs one more request each time, not a storm.
    const again = await runCli([...syncArgs(sim, path), '--json'], credentialsEnv(sim));
    expect(again.code).toBe(4);
    expect(lastJson(again)).toMatchObject({ status: 'failed', errors: [{ code: 'AUTH_INVALID_GRANT' }] });
    expect(requestsMade(sim)).toEqual({ 'oauth.token': 2 });
    const db = new Database(path, { readonly: true });
    const runs = db.prepare('SELECT status FROM sync_runs ORDER BY id').all();
    db.close();
    expect(runs).toEqual([{ status: 'complete' }, { status: 'failed' }, { status: 'failed' }]);
  });

  it('a throttled refresh (HTTP 200 "Access Denied"): exit 1, says wait, one token request, nothing else sent', async () => {
    const sim = await simulator({ scale: 'tiny', refreshThrottle: { max: 1, windowMs: 600_000 } });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const before = canonicalSnapshot(path);
    sim.resetStats();

    const result = await runCli(syncArgs(sim, path), credentialsEnv(sim));
    expect(result.code).toBe(1);
    const said = result.stdout + result.stderr;
    expect(said).toMatch(/throttling token requests/);
    expect(said).toMatch(/Wait a few minutes/);
    expect(requestsMade(sim)).toEqual({ 'oauth.token': 1 });
    expect(canonicalSnapshot(path)).toEqual(before);
  });

  it('a non-admin account: exit 4, the reason, nothing of the org written, no retries of the refused export', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    const result = await runCli(syncArgs(sim, path), credentialsEnv(sim, 'member'));
    expect(result.code).toBe(4);
    expect(result.stdout + result.stderr).toMatch(/not an organization admin/);
    const made = requestsMade(sim);
    // Each Maintenance listing is refused once: a 403 is an answer, not a failure to retry.
    for (const family of ['maint.chats', 'maint.channels', 'maint.members', 'maint.messages'] as const) expect(made[family] ?? 0).toBeLessThanOrEqual(1);
    expect(made['oauth.token']).toBe(1);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM chats').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
    db.close();
  });

  it('credentials for another data centre (the token unknown there): exit 4, the archive as it was', async () => {
    const home = await simulator({ scale: 'tiny', seed: 1 });
    const elsewhere = await simulator({ scale: 'tiny', seed: 1 });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(home))).status).toBe('complete');
    const before = canonicalSnapshot(path);
    const result = await runCli(syncArgs(elsewhere, path), credentialsEnv(home));
    expect(result.code).toBe(4);
    expect(result.stdout + result.stderr).toMatch(/Re-authorise/);
    expect(requestsMade(elsewhere)).toEqual({ 'oauth.token': 1 });
    expect(canonicalSnapshot(path)).toEqual(before);
  });
});

describe('authorisation faults (the app service)', () => {
  const tempDir = useTempDir('cliq-vault-app-');
  const testApp = useTestApps();

  it('a revoked refresh token: the sync job ends failed with AUTH_INVALID_GRANT and the re-authorise hint, after one token request', async () => {
    const app = testApp(tempDir());
    await app.call('connect:demo', {});
    const sim = app.sim();
    expect(sim).toBeDefined();
    if (!sim) return;
    await revokeRefreshToken({ accountsBase: sim.accountsBase, refreshToken: sim.admin.refreshToken });
    sim.resetStats();
    const done = app.next('sync:done');
    await app.call('sync:start', {});
    const finished = await done;
    expect(finished.report?.status).toBe('failed');
    expect(finished.report?.fatal).toMatchObject({ code: 'AUTH_INVALID_GRANT', hint: expect.stringMatching(/Re-authorise.*Connect screen/) as unknown });
    expect(requestsMade(sim)).toEqual({ 'oauth.token': 1 });
  });
});
