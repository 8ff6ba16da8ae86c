import { describe, expect, it } from 'vitest';
import { resolveScope } from '../../../electron/core/audit/scope';
import { auditScopeSchema } from '../../../shared/audit';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const tempDir = useTempDir();
const sender = { id: '7100001', name: 'Dana Ruiz' };

/**
 * A channel-month of a large archive is a few thousand keys in temp.scope_messages. Without
 * statistics on the temp tables SQLite guessed them as large as messages and read every message
 * to join them (2.5 s at 1M messages, growing with the archive): the resolved scope must leave
 * the planner knowing their sizes, so the datasets' joins start from the scope.
 */
describe('a resolved audit scope', () => {
  it('leaves the planner reading the scope first, not every message', () => {
    const day = (n: number) => Date.parse('2026-01-01T12:00:00Z') + n * 86_400_000;
    const archive = buildArchive(tempDir(), {
      chats: [
        { id: 'c1', kind: 'channel', title: 'General' },
        { id: 'c2', kind: 'group', title: 'Other' },
      ],
      messages: Array.from({ length: 400 }, (_, i) => ({ chat: i % 4 === 0 ? 'c1' : 'c2', id: `m${i}`, time: day(i % 90), text: `note ${i}`, sender })),
    });
    const { scope, plan } = archive.db.transaction(() => {
      const resolved = resolveScope(archive.db, auditScopeSchema.parse({ conversations: ['c1'], from: '2026-01-01', to: '2026-01-31' }));
      const detail = archive.db.prepare('EXPLAIN QUERY PLAN SELECT DISTINCT m.sender_id FROM messages m JOIN temp.scope_messages s ON s.key = m.id WHERE m.sender_id IS NOT NULL').all() as {
        detail: string;
      }[];
      return { scope: resolved, plan: detail.map((r) => r.detail) };
    })();
    expect(scope).toMatchObject({ scoped: true, chats: 1, users: 1 });
    expect(scope.messages).toBe(Array.from({ length: 400 }, (_, i) => i).filter((i) => i % 4 === 0 && i % 90 <= 30).length);
    expect(plan[0]).toMatch(/^SCAN s\b/);
    expect(plan).toContainEqual(expect.stringMatching(/^SEARCH m USING INDEX messages_key \(id=\?\)/));
  });
});
