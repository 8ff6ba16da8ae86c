import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestApps } from '../../helpers/appService';
import { manualTime } from '../../helpers/manualTimers';
import { reviewEntries } from '../../helpers/reviewLog';
import { useTempDir } from '../../helpers/tempDir';

describe('reviewSets:* through the app service', () => {
  const tempDir = useTempDir('cliq-vault-review-sets-app-');
  const testApp = useTestApps();

  it('makes and codes a set recording the profile; each coding action is one review-log entry; a read-only served archive refuses writes', async () => {
    const dir = tempDir();
    const time = manualTime();
    const app = testApp(join(dir, 'app'), {}, { reviewTimers: time.timers });
    const { profile } = await app.call('connect:demo', {});
    const done = app.next('sync:done');
    await app.call('sync:start', {});
    expect((await done).report?.status).toBe('complete');
    const [conversation] = await app.call('archive:conversations', { limit: 1 });
    if (!conversation) throw new Error('the demo archive is empty');

    const set = await app.call('reviewSets:create', { name: 'First pass', source: { scope: { conversations: [conversation.chatId] } } });
    expect(set).toMatchObject({ name: 'First pass', owner: { profile: profile.name }, reviewed: 0 });
    expect(set.items).toBeGreaterThan(0);
    const page = await app.call('reviewSets:items', { setId: set.id, limit: 2 });
    const [first, second] = page.items;
    if (!first || !second) throw new Error('the set has fewer than two items');

    await app.call('reviewSets:code', { setId: set.id, chatId: first.chatId, messageId: first.messageId, action: 'tag', tag: 'responsive' });
    await app.call('reviewSets:code', { setId: set.id, chatId: first.chatId, messageId: first.messageId, action: 'note', note: 'call the custodian' });
    const coded = await app.call('reviewSets:code', { setId: set.id, chatId: second.chatId, messageId: second.messageId, action: 'reviewed', reviewed: true });
    expect(coded.record).toMatchObject({ action: 'reviewed', reviewed: true, by: { profile: profile.name } });
    expect(coded.set.reviewed).toBe(2);
    const refused = await app.raw('reviewSets:code', { setId: set.id, chatId: second.chatId, messageId: second.messageId, action: 'untag', tag: 'privileged' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE', ui: { message: 'This message does not carry the tag "privileged".' } } });
    expect((await app.call('reviewSets:history', { setId: set.id })).map((r) => r.action)).toEqual(['reviewed', 'note', 'tag']);
    expect((await app.call('reviewSets:list', {})).map((s) => [s.name, s.reviewed, s.tagCounts])).toEqual([['First pass', 2, { responsive: 1 }]]);

    // One review-log entry per coding action (the refused one too, with why), and one for the set.
    time.fireAll();
    const log = reviewEntries(profile.archivePath).filter((e) => e.action === 'review_code' || e.action === 'review_set_create');
    expect(log.map((e) => [e.action, e.outcome, e.scope.change ?? null])).toEqual([
      ['review_set_create', 'ok', null],
      ['review_code', 'ok', 'tag responsive'],
      ['review_code', 'ok', 'note'],
      ['review_code', 'ok', 'reviewed'],
      ['review_code', 'refused', 'untag privileged'],
    ]);
    expect(log[0]?.results).toBe(set.items);

    // The same archive served read-only (no org of its own): read, never written.
    const reader = testApp(join(dir, 'reader'), {}, { archiveOverride: profile.archivePath });
    expect((await reader.call('reviewSets:list', {})).map((s) => s.name)).toEqual(['First pass']);
    for (const write of [
      reader.raw('reviewSets:create', { name: 'Other', source: { scope: {} } }),
      reader.raw('reviewSets:code', { setId: set.id, chatId: first.chatId, action: 'tag', tag: 'privileged' }),
    ]) {
      expect(await write).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('is open read-only') as string } });
    }
    expect(await app.call('archive:verify', { files: false })).toMatchObject({ ok: true });
  }, 120_000);
});
