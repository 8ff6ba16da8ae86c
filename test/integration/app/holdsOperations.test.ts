import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestApps } from '../../helpers/appService';
import { useTempDir } from '../../helpers/tempDir';

describe('holds:* through the app service', () => {
  const tempDir = useTempDir('cliq-vault-holds-app-');
  const testApp = useTestApps();

  it('places a hold recording the active profile, lists and shows it, releases it; a read-only served archive refuses writes in words', async () => {
    const dir = tempDir();
    const app = testApp(join(dir, 'app'));
    const { profile } = await app.call('connect:demo', {});
    const done = app.next('sync:done');
    await app.call('sync:start', {});
    expect((await done).report?.status).toBe('complete');
    const [conversation] = await app.call('archive:conversations', { limit: 1 });
    if (!conversation) throw new Error('the demo archive is empty');

    const placed = await app.call('holds:add', { name: 'Matter', conversations: [conversation.chatId], reason: 'counsel' });
    expect(placed).toMatchObject({ name: 'Matter', status: 'active', placedBy: { profile: profile.name } });
    const [listed] = await app.call('holds:list', {});
    // Every message of the conversation, deleted ones too (and a channel's threads').
    expect(listed?.counts.messages).toBeGreaterThanOrEqual(conversation.archivedCount + conversation.deletedCount);
    expect(listed?.counts.messages).toBeGreaterThan(0);
    expect((await app.call('holds:show', { name: 'Matter' })).conversations).toEqual([{ chatId: conversation.chatId, title: conversation.title }]);
    const empty = await app.raw('holds:add', { name: 'Nothing' });
    expect(empty).toMatchObject({
      ok: false,
      error: { code: 'USAGE', ui: { message: 'The hold "Nothing" names nothing to hold.', hint: 'Give at least one custodian, conversation, date or query.' } },
    });

    // The same archive served read-only (no org of its own): read, never written.
    const reader = testApp(join(dir, 'reader'), {}, { archiveOverride: profile.archivePath });
    expect((await reader.call('holds:list', {})).map((h) => h.name)).toEqual(['Matter']);
    const refused = await reader.raw('holds:release', { name: 'Matter', reason: 'settled' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('is open read-only') as string } });
    expect((await reader.raw('holds:add', { name: 'Other', query: 'hello' })).ok).toBe(false);

    expect(await app.call('holds:release', { name: 'Matter', reason: 'settled' })).toMatchObject({ status: 'released', release: { reason: 'settled', by: { profile: profile.name } } });
    expect(await app.call('archive:verify', { files: false })).toMatchObject({ ok: true });
  }, 120_000);
});
