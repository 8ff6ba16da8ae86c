import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../helpers/tempDir';
import { useTestApps } from '../../helpers/appService';

describe('the reactionsPerRun setting, through the app service', () => {
  const tempDir = useTempDir('cliq-vault-reactions-');
  const testApp = useTestApps();

  it('caps the reaction checks of the app’s syncs (0: none), and refuses what is not a whole number of 0 or more', async () => {
    const app = testApp(tempDir());
    await app.call('connect:demo', {});
    expect((await app.call('settings:get', {})).reactionsPerRun).toBe(200);

    const saved = await app.call('settings:update', { reactionsPerRun: 0 });
    expect(saved.reactionsPerRun).toBe(0);
    let done = app.next('sync:done');
    await app.call('sync:start', {});
    const off = (await done).report;
    expect(off?.status).toBe('complete');
    expect(off?.calls['messages.reactions'] ?? 0).toBe(0);
    expect((await app.call('archive:stats', {}))?.extras).toMatchObject({ messagesChecked: 0 });

    await app.call('settings:update', { reactionsPerRun: 5 });
    done = app.next('sync:done');
    await app.call('sync:start', {});
    const capped = (await done).report;
    expect(capped?.status).toBe('complete');
    expect(capped?.calls['messages.reactions']).toBe(5);
    expect((await app.call('archive:stats', {}))?.extras).toMatchObject({ messagesChecked: 5 });

    for (const bad of [-1, 2.5, 2_000_000, '10']) {
      const refused = await app.raw('settings:update', { reactionsPerRun: bad });
      expect(refused, String(bad)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
      if (!refused.ok) expect(refused.error.message).toMatch(/reactionsPerRun/);
    }
    expect((await app.call('settings:get', {})).reactionsPerRun).toBe(5);
  });
});
