import { describe, expect, it } from 'vitest';
import { archiveMentionResolver, mentionNamesOf } from '../../../electron/core/archive/mentionResolver';
import { parseMarkup, resolverFromNames, toPlainText } from '../../../shared/markup';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const dana = { id: '2224919568806253528', email: 'dana@example.org', name: 'Dana Ruiz' };
const priyaS = { id: '7100011', email: 'priya.s@example.org', name: 'Priya' };
const priyaK = { id: '7100012', email: 'priya.k@example.org', name: 'Priya' };

function setup(dir: string) {
  const archive = buildArchive(dir, {
    chats: [{ id: 'CT_1647_9', kind: 'channel', title: '#incidents' }],
    users: [dana, priyaS, priyaK],
    messages: [],
  });
  const ctx = { runId: 1, now: Date.UTC(2026, 0, 2) };
  archive.transaction(() => {
    const channel = { rest_channel_id: 'O1647000000000000001', chat_id: 'CT_1647_9', name: '#incidents', unique_name: 'incidents', description: null, level: 'organization', status: 'created' };
    const rest = { role: null, creator_id: null, created_at: null, last_modified: null, participant_count: 3, server_message_count: null };
    archive.entities.channels.upsert({ key: '1647000000000000001', values: { ...channel, ...rest }, sourceJson: '{}', sourceHash: 'c' }, ctx);
    archive.directory.groups.team.upsert({ key: '99001', values: { name: 'Legal', description: null, is_active: 1, participant_count: 2, created_at: null }, sourceJson: '{}', sourceHash: 't' }, ctx);
  });
  return archive;
}

describe('mentions resolved from the archive', () => {
  const tempDir = useTempDir();

  it('names users by id and e-mail with the display rule, channels by REST or export id, and teams', () => {
    const archive = setup(tempDir());
    const resolver = archiveMentionResolver(archive.db);
    expect(resolver.user(dana.id)).toEqual({ name: 'Dana Ruiz', email: dana.email });
    expect(resolver.user(priyaS.id)).toEqual({ name: 'Priya (priya.s@example.org)', email: priyaS.email });
    expect(resolver.userByEmail('PRIYA.K@example.org')).toEqual({ name: 'Priya (priya.k@example.org)', email: priyaK.email });
    expect(resolver.user('404')).toBeNull();
    expect(resolver.channel('O1647000000000000001')).toBe('incidents');
    expect(resolver.channel('1647000000000000001')).toBe('incidents');
    expect(resolver.channel('O404')).toBeNull();
    expect(resolver.team('99001')).toBe('Legal');
    expect(resolver.team('1')).toBeNull();
    archive.close();
  });

  it('sends a page only the names its texts mention, enough to render them', () => {
    const archive = setup(tempDir());
    const texts = ['{@2224919568806253528} see {#O1647000000000000001}', '[P](zohoid:7100012) {@G99001} {@404}', null];
    const names = mentionNamesOf(archive.db, texts);
    expect(Object.keys(names.users).sort()).toEqual([dana.id, priyaK.id].sort());
    expect(names.channels).toEqual({ O1647000000000000001: 'incidents' });
    expect(names.teams).toEqual({ '99001': 'Legal' });
    const shown = texts.map((t) => toPlainText(parseMarkup(t ?? '', { resolver: resolverFromNames(names) })));
    expect(shown).toEqual(['@Dana Ruiz see #incidents', '@Priya (priya.k@example.org) @Legal @unknown user 404', '']);
    archive.close();
  });
});
