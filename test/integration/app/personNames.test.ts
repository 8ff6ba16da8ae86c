import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppService } from '../../../electron/core/app/appService';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import { createAppService } from '../../../electron/core/app/createAppService';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import type { OperationName, RequestOf, ResponseOf } from '../../../shared/contract';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const dana = { id: '7100001', email: 'dana@example.org', name: 'Dana Ruiz' };
const priyaS = { id: '7100011', email: 'priya.s@example.org', name: 'Priya' };
const priyaK = { id: '7100012', email: 'priya.k@example.org', name: 'Priya' };

describe('one display rule for people on every screen', () => {
  const tempDir = useTempDir();
  const services: AppService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  it('names a sender, a member, a picked person and a top sender the same: full name, the e-mail when two share it', async () => {
    const dir = tempDir();
    const at = (m: number) => Date.UTC(2026, 2, 1, 9, m);
    buildArchive(dir, {
      chats: [{ id: 'CT_1', kind: 'channel', title: 'Finance' }],
      users: [dana, priyaS, priyaK],
      members: [dana, priyaS, priyaK].map((u) => ({ chat: 'CT_1', userId: u.id, email: u.email, name: u.name })),
      messages: [
        // Cliq's message carries the sender's name as it chose to write it.
        { chat: 'CT_1', id: '1', time: at(1), text: 'budget note', sender: { id: dana.id, name: 'Ruiz, Dana' } },
        { chat: 'CT_1', id: '2', time: at(2), text: 'budget note', sender: { id: priyaS.id, name: 'Priya' } },
        { chat: 'CT_1', id: '3', time: at(3), text: 'budget note', sender: { id: priyaK.id, name: 'Priya' } },
        { chat: 'CT_1', id: '4', time: at(4), text: 'budget note', sender: { id: '404', name: 'A stranger' } },
      ],
    }).close();
    const service = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'config') }),
      secrets: memorySecretStore(),
      host: { shell: 'browser', defaultArchiveDir: join(dir, 'archives'), runsScheduleInApp: false },
      archiveOverride: join(dir, 'fixture.sqlite'),
    });
    services.push(service);
    const call = async <N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> => {
      const result = await service.dispatch(name, request);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as ResponseOf<N>;
    };
    const expected = new Map([
      [dana.id, 'Dana Ruiz'],
      [priyaS.id, 'Priya (priya.s@example.org)'],
      [priyaK.id, 'Priya (priya.k@example.org)'],
    ]);

    const page = await call('archive:transcript', { chatId: 'CT_1', limit: 10 });
    expect(page.messages.map((m) => m.senderName)).toEqual(['Dana Ruiz', 'Priya (priya.s@example.org)', 'Priya (priya.k@example.org)', 'A stranger']);
    const members = await call('archive:members', { chatId: 'CT_1' });
    expect(new Map(members.map((m) => [m.userId, m.name]))).toEqual(expected);
    const people = await call('archive:people', { text: 'priya', limit: 10 });
    expect(people.map((p) => p.name).sort()).toEqual(['Priya (priya.k@example.org)', 'Priya (priya.s@example.org)']);
    const hits = (await call('archive:search', { text: 'budget', order: 'oldest' })).hits;
    expect(hits.map((h) => h.senderName)).toEqual(['Dana Ruiz', 'Priya (priya.s@example.org)', 'Priya (priya.k@example.org)', 'A stranger']);
    const insights = await call('insights:activity', {});
    expect(new Map(insights.topSenders.filter((s) => s.senderId !== '404').map((s) => [s.senderId, s.name]))).toEqual(expected);
  });
});
