import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { buildArchive } from '../../helpers/archiveFixture';
import { runInProcess } from '../../helpers/inProcessCli';
import { useTempDir } from '../../helpers/tempDir';

/** A small real archive: one group, two messages. */
function archiveIn(dir: string): string {
  const archive = buildArchive(dir, {
    chats: [{ id: 'g1', kind: 'group', title: 'Finance' }],
    messages: [
      { chat: 'g1', id: 'm1', time: Date.UTC(2026, 0, 5, 12), text: 'Quarterly budget review', sender: { id: '71', name: 'Dana Ruiz' } },
      { chat: 'g1', id: 'm2', time: Date.UTC(2026, 0, 6, 12), text: 'The budget is approved', sender: { id: '72', name: 'Kofi Mensah' } },
    ],
  });
  archive.close();
  return join(dir, 'fixture.sqlite');
}

describe('searches that can only find nothing are refused with the reason', () => {
  const tempDir = useTempDir();

  it('--from after --to: the CLI names both flags and their values (search and audit), exit 2', async () => {
    const path = archiveIn(tempDir());
    const out = join(tempDir(), 'bundle');
    for (const args of [
      ['search', '--archive', path, '--from', '2026-02-01', '--to', '2026-01-01', 'budget'],
      ['audit', '--archive', path, '--out', out, '--from', '2026-02-01', '--to', '2026-01-01'],
    ]) {
      const result = await runInProcess(args);
      expect([args[0], result.code]).toEqual([args[0], 2]);
      expect(result.stderr).toContain('cliq-vault: --from (2026-02-01) is after --to (2026-01-01).');
      expect(result.stdout).toBe('');
    }
    expect(existsSync(out)).toBe(false);
    // In the zone given: 2026-01-06T00:30+01:00 is still 2026-01-05 in UTC, inside the day --to names.
    const zoned = await runInProcess(['search', '--archive', path, '--from', '2026-01-06T00:30:00+01:00', '--to', '2026-01-05', '--json']);
    expect(zoned.code, zoned.stderr).toBe(0);
    const late = await runInProcess(['search', '--archive', path, '--from', '2026-01-06', '--to', '2026-01-05T23:00:00Z', '--tz', 'America/New_York']);
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('--from (2026-01-06) is after --to (2026-01-05T23:00:00Z).');
  });

  it('a start after the end reaches the core (the screens) as words without flags, and no bundle is written', async () => {
    const path = archiveIn(tempDir());
    const out = join(tempDir(), 'bundle');
    await expect(createAuditBundle({ archivePath: path, outDir: out, scope: { from: '2026-02-01', to: '2026-01-01' } })).rejects.toMatchObject({
      code: 'USAGE',
      message: 'The start date (2026-02-01) is after the end date (2026-01-01).',
    });
    expect(existsSync(out)).toBe(false);
  });

  it('a query of punctuation alone says why it finds nothing, exit 2; beside words, punctuation is ignored', async () => {
    const path = archiveIn(tempDir());
    for (const text of ['"', '***', '(']) {
      const result = await runInProcess(['search', '--archive', path, text]);
      expect([text, result.code]).toEqual([text, 2]);
      expect(result.stderr).toContain(`cliq-vault: The query “${text}” has no words to search for: punctuation and symbols are ignored.`);
      expect(result.stdout).not.toContain('No messages match');
    }
    const audit = await runInProcess(['audit', '--archive', path, '--out', join(tempDir(), 'b'), '--query', '***']);
    expect(audit.code).toBe(2);
    expect(audit.stderr).toContain('has no words to search for');
    const mixed = await runInProcess(['search', '--archive', path, 'approved', '***', '--json']);
    expect(mixed.code, mixed.stderr).toBe(0);
    expect((JSON.parse(mixed.stdout) as { hits: { messageId: string }[] }).hits.map((h) => h.messageId)).toEqual(['m2']);
  });
});
