import { describe, expect, it } from 'vitest';
import { listConversations } from '../../../electron/core/app/archiveReads';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

describe("Browse's conversation list", () => {
  const tempDir = useTempDir();

  it("tells each conversation's newest archived message time and lists the newest first, a silent one last", () => {
    const day = (d: number, h = 9) => Date.UTC(2026, 2, d, h);
    const archive = buildArchive(tempDir(), {
      chats: [
        { id: 'CT_old', kind: 'channel', title: 'Old news' },
        { id: 'CT_new', kind: 'group', title: 'Fresh' },
        { id: 'CT_quiet', kind: 'channel', title: 'Nobody spoke' },
      ],
      messages: [
        { chat: 'CT_old', id: '1', time: day(1) },
        { chat: 'CT_old', id: '2', time: day(3, 17) },
        { chat: 'CT_old', id: '3', time: day(2) },
        { chat: 'CT_new', id: '4', time: day(5) },
        { chat: 'CT_new', id: '5', time: day(4) },
      ],
    });
    const rows = listConversations(archive.db, { onlyProblems: false, limit: 10 });
    expect(rows.map((r) => [r.chatId, r.lastMessageAt])).toEqual([
      ['CT_new', day(5)],
      ['CT_old', day(3, 17)],
      ['CT_quiet', null],
    ]);
    // The sync time is its own column: a fixture never completed a sync.
    expect(rows.every((r) => r.lastCompleteAt === null)).toBe(true);
    archive.close();
  });
});
