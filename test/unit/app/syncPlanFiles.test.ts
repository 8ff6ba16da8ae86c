import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { planSync } from '../../../electron/core/app/syncPlan';
import type { Connection } from '../../../electron/core/createCore';
import { archiveWithFiles } from '../../helpers/attachmentsFixture';
import { useTempDir } from '../../helpers/tempDir';

const connection: Connection = {
  endpoints: { apiBase: 'http://127.0.0.1:1', accountsBase: 'http://127.0.0.1:1', dataCentre: 'custom', network: undefined },
  credentials: { clientId: 'c', clientSecret: 's', refreshToken: 'r' },
};
const noCheck = () => Promise.reject(new Error('the archive knows its conversations: no admin check'));

describe('the sync plan counts the files the lane will ask for', () => {
  const tempDir = useTempDir();

  it('new files and refusals whose wait is over, not stored or vanished ones; none under files: none', async () => {
    const path = await archiveWithFiles(tempDir(), [
      { message: 'm1', name: 'stored.pdf', bytes: Buffer.from('kept') },
      { message: 'm2', name: 'refused.pdf', failure: { status: 'forbidden', reason: '403' } },
      { message: 'm3', name: 'new.pdf' },
      { message: 'm4', name: 'gone.pdf', failure: { status: 'not_found', reason: '404' } },
    ]);
    const db = new Database(path, { readonly: true });
    try {
      const all = await planSync(db, connection, noCheck, { policy: { fetch: 'all', maxMb: null }, now: Date.UTC(2026, 5, 1) });
      // not_found is recorded without a retry time here (fixture): only the status keeps it out.
      expect(all.filesDue).toBe(2);
      expect(all.budget.some((line) => line.startsWith('Files'))).toBe(true);
      const none = await planSync(db, connection, noCheck, { policy: { fetch: 'none', maxMb: null }, now: Date.UTC(2026, 5, 1) });
      expect(none.filesDue).toBeNull();
    } finally {
      db.close();
    }
  });
});
