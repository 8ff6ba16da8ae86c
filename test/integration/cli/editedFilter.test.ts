import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArchive, fixtureRow, type FixtureMessage } from '../../helpers/archiveFixture';
import { lastJson, runCli } from '../../helpers/cli';
import { useTempDir } from '../../helpers/tempDir';

const day = (d: string) => Date.parse(`${d}T12:00:00Z`);
const dana = { id: '7100001', name: 'Dana Ruiz' };

describe('--edited / --no-edited on search and audit', () => {
  const tempDir = useTempDir();

  it('select the messages with earlier versions, or those never edited, the same in a search and in a bundle', async () => {
    const dir = tempDir();
    const messages: FixtureMessage[] = [
      { chat: 'g1', id: 'm1', time: day('2026-01-05'), text: 'budget draft', sender: dana },
      { chat: 'g1', id: 'm2', time: day('2026-01-06'), text: 'budget final', sender: dana },
      { chat: 'g1', id: 'm3', time: day('2026-01-07'), text: 'lunch?', sender: dana },
    ];
    const archive = buildArchive(dir, { chats: [{ id: 'g1', kind: 'group', title: 'Finance' }], users: [{ id: dana.id, email: 'dana@acme.test', name: dana.name }], messages });
    archive.transaction(() => archive.messages.upsert([fixtureRow({ ...(messages[1] as FixtureMessage), text: 'budget final, signed' })], { runId: 1, now: day('2026-02-01') }));
    archive.close();
    const path = join(dir, 'fixture.sqlite');

    const ids = async (args: string[]) => {
      const run = await runCli(['search', '--archive', path, '--json', ...args]);
      expect(run.code, run.stderr).toBe(0);
      return (lastJson(run) as { hits: { messageId: string }[] }).hits.map((h) => h.messageId);
    };
    expect(await ids(['--edited'])).toEqual(['m2']);
    expect(await ids(['budget', '--no-edited'])).toEqual(['m1']);

    const out = join(tempDir(), 'bundle');
    const audit = await runCli(['audit', '--archive', path, '--out', out, '--no-edited', '--format', 'jsonl']);
    expect(audit.code, audit.stderr).toBe(0);
    const exported = readFileSync(join(out, 'data', 'messages.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => (JSON.parse(l) as { message_id: string }).message_id);
    expect(exported.sort()).toEqual(['m1', 'm3']);
  });
});
