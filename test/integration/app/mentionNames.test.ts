import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppService } from '../../../electron/core/app/appService';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import { createAppService } from '../../../electron/core/app/createAppService';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import { syncArchive } from '../../../electron/core/createCore';
import type { OperationName, RequestOf, ResponseOf } from '../../../shared/contract';
import { messageSegments, parseMarkup, resolverFromNames, toPlainText } from '../../../shared/markup';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('mentions in the transcript and search hits of a synced simulator archive', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();
  const services: AppService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  it('leaves no raw {@<id>} of a known user: every mention comes with its name', async () => {
    const sim = await simulator({ seed: 3, scale: 'small', clock: 'manual' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const service = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'config') }),
      secrets: memorySecretStore(),
      host: { shell: 'browser', defaultArchiveDir: join(dir, 'archives'), runsScheduleInApp: false },
      archiveOverride: path,
    });
    services.push(service);
    const call = async <N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> => {
      const result = await service.dispatch(name, request);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as ResponseOf<N>;
    };

    const users = new Map(sim.org.users.map((u) => [u.id, u]));
    const rawToken = new RegExp(`\\{@(${[...users.keys()].join('|')})\\}|\\(zohoid:`);
    let mentions = 0;
    let mentioned: string | null = null;
    for (const conversation of await call('archive:conversations', { onlyProblems: false, limit: 1_000 })) {
      const page = await call('archive:transcript', { chatId: conversation.chatId, limit: 1_000 });
      const resolver = resolverFromNames(page.names);
      for (const m of page.messages) {
        const shown = toPlainText(messageSegments(m, resolver));
        expect(shown, m.messageId).not.toMatch(rawToken);
        expect(shown, m.messageId).not.toMatch(/@unknown user|#unknown channel/);
        for (const match of (m.text ?? '').matchAll(/\{@(\d+)\}/g)) {
          expect(shown).toContain(`@${users.get(match[1] ?? '')?.fullName ?? '?'}`);
          mentions += 1;
          mentioned ??= match[1] ?? null;
        }
      }
    }
    expect(mentions).toBeGreaterThan(5);

    // A search for a mentioned user's id: the hit's snippet shows the name, the hit highlighted.
    expect(mentioned).not.toBeNull();
    const id = mentioned ?? '';
    const found = await call('archive:search', { text: id, limit: 20 });
    expect(found.hits.length).toBeGreaterThan(0);
    for (const hit of found.hits) {
      const snippet = hit.snippet.map((s) => s.text).join('');
      const segments = parseMarkup(snippet, { resolver: resolverFromNames(found.names) });
      expect(toPlainText(segments), snippet).toContain(`@${users.get(id)?.fullName ?? '?'}`);
      expect(toPlainText(segments)).not.toContain(`{@${id}}`);
    }
  }, 120_000);
});
