import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { exportChats } from '../../../electron/core/cliq/maintenance';
import { exchangeGrantCode, revokeRefreshToken } from '../../../electron/core/cliq/oauth';
import { createSyncDeps, syncArchive } from '../../../electron/core/createCore';
import { VirtualClock } from '../../helpers/virtualClock';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('OAuth against the simulated accounts server', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('an access token that expires mid-run costs exactly one refresh, however many requests need it', async () => {
    const sim = await simulator({ scale: 'tiny', clock: 'manual', accessTokenTtlMs: 3_600_000 });
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    // The client's own clock stands still, so it believes its token is fresh: only the server's
    // 401 can tell it otherwise — the case of a token revoked or expired early.
    const deps = createSyncDeps(archive, connectionTo(sim), { clock: new VirtualClock() });
    await exportChats(deps.http);
    expect(deps.tokens.refreshes).toBe(1);
    sim.advance(3_600_001);
    const before = sim.stats().requests['oauth.token'];
    const results = await Promise.all([exportChats(deps.http), exportChats(deps.http), exportChats(deps.http)]);
    expect(results.every((rows) => rows.length === sim.truth().chats.length)).toBe(true);
    expect(deps.tokens.refreshes).toBe(2);
    expect(sim.stats().requests['oauth.token'] - before).toBe(1);
    archive.close();
  });

  it('a revoked refresh token fails the run with "re-authorise" after one attempt: no retry storm', async () => {
    const sim = await simulator({ scale: 'tiny' });
    await revokeRefreshToken({ accountsBase: sim.accountsBase, refreshToken: sim.admin.refreshToken });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    expect(report.status).toBe('failed');
    expect(report.fatal?.code).toBe('AUTH_INVALID_GRANT');
    expect(sim.stats().requests['oauth.token']).toBe(1);
    expect(report.callsTotal).toBe(1);
  });

  it("Zoho's refresh throttle (HTTP 200, Access Denied) is reported as such", async () => {
    const sim = await simulator({ scale: 'tiny', refreshThrottle: { max: 1, windowMs: 600_000 } });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const second = await syncArchive(path, connectionTo(sim));
    expect(second.status).toBe('failed');
    expect(second.fatal).toMatchObject({ code: 'AUTH_REFRESH_THROTTLED', message: expect.stringMatching(/throttling/i) as unknown });
  });

  it('a non-admin account is refused clearly and nothing of the org is written', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim, { credentials: sim.member }));
    expect(report.status).toBe('failed');
    expect(report.fatal?.code).toBe('NOT_ORG_ADMIN');
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM chats').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT status FROM sync_runs').all()).toEqual([{ status: 'failed' }]);
    db.close();
  });

  it('a self-client grant code exchanges once for a working refresh token; a reused code is refused', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const code = sim.issueGrantCode();
    const client = { clientId: sim.admin.clientId, clientSecret: sim.admin.clientSecret };
    const granted = await exchangeGrantCode({ accountsBase: sim.accountsBase, credentials: client, code });
    const report = await syncArchive(join(tempDir(), 'a.sqlite'), connectionTo(sim, { credentials: { ...client, refreshToken: granted.refreshToken } }));
    expect(report.status).toBe('complete');
    await expect(exchangeGrantCode({ accountsBase: sim.accountsBase, credentials: client, code })).rejects.toMatchObject({ code: 'AUTH_INVALID_GRANT' });
  });

  it('an archive of one org refuses another org, before writing anything', async () => {
    const first = await simulator({ seed: 1, scale: 'tiny' });
    const other = await simulator({ seed: 2, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(first))).status).toBe('complete');
    const report = await syncArchive(path, connectionTo(other));
    expect(report.fatal?.code).toBe('ARCHIVE_ORG_MISMATCH');
    const db = new Database(path, { readonly: true });
    const chats = db.prepare('SELECT chat_id FROM chats ORDER BY chat_id').all();
    db.close();
    expect(chats).toHaveLength(first.truth().chats.length + first.truth().channels.length + first.truth().threads.length);
  });
});

describe('networks', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('puts /network/{name} before REST v2 paths only, and an unknown network is a clear failure', async () => {
    const sim = await simulator({ scale: 'tiny', networks: ['partners'] });
    const inNetwork = connectionTo(sim);
    inNetwork.endpoints = { ...inNetwork.endpoints, network: 'partners' };
    const report = await syncArchive(join(tempDir(), 'a.sqlite'), inNetwork);
    // Maintenance exports have no /network prefix (they would 404 here); REST reads do.
    expect(report.status).toBe('complete');
    expect(report.calls['users.list']).toBeGreaterThan(0);

    const wrong = connectionTo(sim);
    wrong.endpoints = { ...wrong.endpoints, network: 'nope' };
    const failed = await syncArchive(join(tempDir(), 'b.sqlite'), wrong);
    expect(failed.status).toBe('failed');
    expect(failed.fatal).toMatchObject({ code: 'USAGE', message: expect.stringContaining('network "nope"') as unknown });
  });
});
