import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { planSync } from '../../../electron/core/app/syncPlan';
import type { Connection } from '../../../electron/core/createCore';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const connection: Connection = {
  endpoints: { apiBase: 'http://127.0.0.1:1', accountsBase: 'http://127.0.0.1:1', dataCentre: 'custom', network: undefined },
  credentials: { clientId: 'c', clientSecret: 's', refreshToken: 'r' },
};
const noFiles = { policy: { fetch: 'none' as const, maxMb: null }, now: Date.UTC(2026, 5, 1) };

describe('the sync plan paces each family on its own quota', () => {
  const tempDir = useTempDir();

  it('after a run, each family of its calls at its own pace: 100 C3 checks take one minute, not ten', async () => {
    const archive = buildArchive(tempDir(), { chats: [{ id: '1901318000001615007', kind: 'group', title: 'Evidence' }], messages: [] });
    const path = archive.path;
    const id = archive.runs.start(Date.UTC(2026, 4, 1), 'test', {}, 1, 'h');
    const calls = { 'maint.chats': 1, 'maint.channels': 1, 'users.list': 1, 'channels.list': 1, 'channels.members': 100, 'maint.members': 3, 'maint.messages': 5, 'files.get': 40 };
    archive.runs.finish(id, { now: Date.UTC(2026, 4, 1, 0, 5), status: 'complete', counts: {}, calls, rateLimited: {}, errors: [] });
    archive.close();
    const db = new Database(path, { readonly: true });
    try {
      const plan = await planSync(db, connection, () => Promise.reject(new Error('no admin check once a run exists')), noFiles);
      // 100 C3 calls at 100 a minute set the pace (one minute); the old plan counted them as M3
      // exports at 10 a minute. The last run's downloads are not counted again (files: none).
      expect(plan.estimatedMs).toBe(60_000);
      expect(plan.estimatedCalls).toBe(112);
      expect(plan.budget).toContain('Channels: members: 100 requests a minute');
      expect(plan.firstSync).toBe(false);
    } finally {
      db.close();
    }
  });

  it('before the first sync, one members and one messages export per conversation plus the listings', async () => {
    const plan = await planSync(null, connection, () => Promise.resolve({ ok: true, sampleConversations: 30 } as never), noFiles);
    expect(plan.estimatedCalls).toBe(30 * 2 + 4);
    // 30 exports at 10 a minute: three minutes.
    expect(plan.estimatedMs).toBe(180_000);
    expect(plan.firstSync).toBe(true);
  });
});
