import { describe, expect, it } from 'vitest';
import { buildFilesArchive, exeBytes, htmlBytes, pngBytes, svgBytes } from '../../helpers/attachmentsFixture';
import { runInProcess } from '../../helpers/inProcessCli';
import { useTempDir } from '../../helpers/tempDir';

describe('cliq-vault stats: file coverage', () => {
  const tempDir = useTempDir();

  it('prints the archive’s files in total and, with --conversations, each conversation’s stored / referenced', async () => {
    const { path } = await buildFilesArchive(tempDir());
    const text = await runInProcess(['stats', '--archive', path, '--conversations', '--tz', 'UTC']);
    expect(text.code, text.stderr).toBe(0);
    const bytes = pngBytes.length + exeBytes.length + htmlBytes.length + svgBytes.length;
    expect(text.stdout).toContain(`  Files:          4 of 6 files stored; 1 unavailable (1 refused access); 1 not fetched yet, ${bytes} B in the file store`);
    expect(text.stdout).toMatch(/CT_1 .* files 4\/5 \(1 unavailable \(1 refused access\)\)\n/);
    expect(text.stdout).toMatch(/CT_2 .* files 0\/1 \(1 not fetched yet\)\n/);

    const json = await runInProcess(['stats', '--archive', path, '--conversations', '--json']);
    const parsed = JSON.parse(json.stdout) as { files: Record<string, unknown>; conversations: { chatId: string; files?: Record<string, unknown> }[] };
    expect(parsed.files).toEqual({ referenced: 6, stored: 4, unavailable: 1, skipped: 0, pending: 1, unavailableBy: { forbidden: 1 }, bytesStored: bytes });
    expect(parsed.conversations.find((c) => c.chatId === 'CT_1')?.files).toEqual({ referenced: 5, stored: 4, unavailable: 1, skipped: 0, pending: 0, unavailableBy: { forbidden: 1 } });
  });
});
