import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { lookedAtArchive, reviewEntries } from '../../helpers/reviewLog';
import { useTestApps } from '../../helpers/appService';
import { manualTime } from '../../helpers/manualTimers';
import { useTempDir } from '../../helpers/tempDir';

describe('the review log in the app service (serve --archive, read-only)', () => {
  const tempDir = useTempDir('cliq-vault-review-');
  const testApp = useTestApps();

  it('records searches (a typed burst folded), transcript and context reads after the quiet time, off the answer path; the archive verifies', async () => {
    const dir = tempDir();
    const path = lookedAtArchive(dir);
    const time = manualTime();
    const app = testApp(join(dir, 'app'), {}, { archiveOverride: path, reviewTimers: time.timers });
    expect((await app.call('app:info', {})).archiveReadOnly).toBe(true);

    // Search as you type: three keystrokes answered, nothing written yet.
    const hits = [];
    for (const text of ['inv', 'invo', 'invoice']) hits.push((await app.call('archive:search', { text })).hits.length);
    expect(hits).toEqual([0, 0, 3]);
    const page = await app.call('archive:transcript', { chatId: 'CT_100', limit: 50 });
    const key = page.messages[0]?.key ?? 0;
    await app.call('archive:context', { key, around: 5 });
    expect(reviewEntries(path)).toEqual([]);

    // The quiet time comes: one batch, in one seal.
    time.fireAll();
    const log = reviewEntries(path);
    expect(log.map((e) => [e.action, e.shell, e.chatId, e.results, e.refinements])).toEqual([
      ['search', 'serve', null, 3, 2],
      ['transcript_view', 'serve', 'CT_100', 3, 0],
      ['transcript_view', 'serve', 'CT_100', 3, 0],
    ]);
    expect(log[0]?.scope).toMatchObject({ text: 'invoice', earlierTexts: ['inv', 'invo'] });
    expect(log[2]?.scope).toEqual({ around: key, limit: 5 });
    const db = new Database(path, { readonly: true });
    try {
      expect(verifyArchive(db).problems).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('review:log answers a page filtered by action, records its own reading, and close writes what is queued', async () => {
    const dir = tempDir();
    const path = lookedAtArchive(dir);
    const time = manualTime();
    const app = testApp(join(dir, 'app'), {}, { archiveOverride: path, reviewTimers: time.timers });
    await app.call('archive:search', { text: 'paid' });
    await app.call('archive:verify', { files: false });
    time.fireAll();

    const page = await app.call('review:log', { actions: ['verify'] });
    expect(page.entries.map((e) => [e.action, e.outcome])).toEqual([['verify', 'ok']]);
    expect(page.entries[0]?.results).toBeGreaterThan(0);
    const refused = await app.raw('review:log', { actions: ['peek'] });
    expect(refused.ok).toBe(false);

    // A refused search is a look on record too; close writes both without a timer firing.
    expect((await app.raw('archive:search', { text: 'invoice AND', mode: 'advanced' })).ok).toBe(false);
    await app.service.close();
    expect(reviewEntries(path).map((e) => [e.action, e.outcome])).toEqual([
      ['search', 'ok'],
      ['verify', 'ok'],
      ['review_log_view', 'ok'],
      ['search', 'refused'],
    ]);
  });
});
