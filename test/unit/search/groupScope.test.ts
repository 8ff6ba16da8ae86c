import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/archive';
import type { ListedMember } from '../../../electron/core/archive/directoryRepo';
import { resolveScope } from '../../../electron/core/audit/scope';
import { closeNames } from '../../../electron/core/search/groupScope';
import { matchingMessageKeys, searchMessages } from '../../../electron/core/search/search';
import { auditScopeSchema } from '../../../shared/audit';
import type { SearchQueryInput } from '../../../shared/search';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';
import { vaultFailure } from '../../helpers/vaultFailure';

const day = (d: string, h = 12) => Date.parse(`${d}T${String(h).padStart(2, '0')}:00:00Z`);
const dana = { id: '7100001', name: 'Dana Ruiz' };
const kofi = { id: '7100002', name: 'Kofi Mensah' };
const lee = { id: '7100003', name: 'Lee Park' };

/**
 * Legal (d1) is first listed on Jan 10 with Dana (member when first archived: start unknown); on
 * Feb 10 a listing notices Kofi; on Mar 10 one notices Dana gone. Lee is in Finance (d2) and is an
 * Admin (role r1) noticed on Feb 10. Each message's id says whether Legal should select it.
 */
function setup(dir: string): Archive {
  const archive = buildArchive(dir, {
    chats: [{ id: 'g1', kind: 'group', title: 'General' }],
    users: [
      { id: dana.id, email: 'dana@example.org', name: dana.name },
      { id: kofi.id, email: 'kofi@example.org', name: kofi.name },
      { id: lee.id, email: 'lee@example.org', name: lee.name },
    ],
    messages: [
      { chat: 'g1', id: 'dana-before-first-listing', time: day('2025-06-01'), text: 'old note', sender: dana },
      { chat: 'g1', id: 'dana-while-held', time: day('2026-03-09'), text: 'memo', sender: dana },
      { chat: 'g1', id: 'dana-at-end', time: day('2026-03-10'), text: 'memo', sender: dana },
      { chat: 'g1', id: 'dana-after-end', time: day('2026-03-11'), text: 'memo', sender: dana },
      { chat: 'g1', id: 'kofi-before-noticed', time: day('2026-02-10') - 1, text: 'memo', sender: kofi },
      { chat: 'g1', id: 'kofi-at-noticed', time: day('2026-02-10'), text: 'memo', sender: kofi },
      { chat: 'g1', id: 'lee-january', time: day('2026-01-15'), text: 'memo', sender: lee },
      { chat: 'g1', id: 'lee-march', time: day('2026-03-15'), text: 'memo', sender: lee },
    ],
  });
  const runId = archive.runs.start(1, 'directory', {}, 1, 'h');
  archive.transaction(() => archive.sealer.open('sync', runId, 1));
  const write = (now: number, steps: (ctx: { runId: number; now: number }) => void) => archive.transaction(() => steps({ runId, now }));
  const department = (id: string, name: string, ctx: { runId: number; now: number }) =>
    archive.directory.groups.department.upsert(
      { key: id, values: { name, parent_department_id: null, lead_user_id: null, members_count: 1, is_default: 0 }, sourceJson: JSON.stringify({ id, name }), sourceHash: `${id}${name}` },
      ctx,
    );
  const role = (ctx: { runId: number; now: number }) =>
    archive.directory.groups.role.upsert(
      {
        key: 'r1',
        values: { name: 'Admin', profile_type: 'Admin', description: null, is_default: 0, is_custom_admin: 0, is_admin: 1, permissions_json: null, created_at: null, last_modified: null },
        sourceJson: '{"id":"r1"}',
        sourceHash: 'r1',
      },
      ctx,
    );
  const members = (...ids: string[]): ListedMember[] => ids.map((userId) => ({ userId, detailJson: null }));
  write(day('2026-01-10'), (ctx) => {
    department('d1', 'Legal', ctx);
    department('d2', 'Finance', ctx);
    department('d3', 'Legal', ctx); // a second department with the same name: a name names both
    role(ctx);
    archive.directory.recordListing('department', 'd1', members(dana.id), ctx);
    archive.directory.recordListing('department', 'd2', members(lee.id), ctx);
    archive.directory.recordListing('department', 'd3', [], ctx);
    archive.directory.recordListing('role', 'r1', [], ctx);
  });
  write(day('2026-02-10'), (ctx) => {
    archive.directory.recordListing('department', 'd1', members(dana.id, kofi.id), ctx);
    archive.directory.recordListing('role', 'r1', members(lee.id), ctx);
  });
  write(day('2026-03-10'), (ctx) => archive.directory.recordListing('department', 'd1', members(kofi.id), ctx));
  return archive;
}

describe('search and audit scoped by the org directory', () => {
  const tempDir = useTempDir();
  const ids = (archive: Archive, q: SearchQueryInput) =>
    searchMessages(archive.db, { order: 'oldest', limit: 500, ...q })
      .hits.map((h) => h.messageId)
      .sort();

  it('keeps the messages sent while assigned: a first-archived interval covers everything before, a noticed start and an end are exact', () => {
    const archive = setup(tempDir());
    expect(ids(archive, { departments: ['d1'] })).toEqual(['dana-before-first-listing', 'dana-while-held', 'kofi-at-noticed'].sort());
    // The same through the full-text path (index tokens + the row check).
    expect(ids(archive, { text: 'memo', departments: ['d1'] })).toEqual(['dana-while-held', 'kofi-at-noticed'].sort());
    // AND with the dates: "everyone in Legal in Q1".
    expect(ids(archive, { departments: ['Legal'], from: '2026-01-01', to: '2026-03-31' })).toEqual(['dana-while-held', 'kofi-at-noticed']);
    expect(matchingMessageKeys(archive.db, { departments: ['d1'] })).toHaveLength(3);
  });

  it('takes ids or exact names (any case), ORs within and across kinds, and ANDs with the other filters', () => {
    const archive = setup(tempDir());
    const legal = ids(archive, { departments: ['d1'] });
    expect(ids(archive, { departments: ['Legal'] })).toEqual(legal);
    expect(ids(archive, { departments: ['legal'] })).toEqual(legal);
    expect(ids(archive, { departments: ['d3'] })).toEqual([]);
    // Lee: Finance since first archived, Admin noticed on Feb 10.
    expect(ids(archive, { roles: ['Admin'] })).toEqual(['lee-march']);
    expect(ids(archive, { departments: ['Finance'] })).toEqual(['lee-january', 'lee-march']);
    expect(ids(archive, { departments: ['d1'], roles: ['r1'] })).toEqual([...legal, 'lee-march'].sort());
    expect(ids(archive, { departments: ['d1', 'Finance'] })).toEqual([...legal, 'lee-january', 'lee-march'].sort());
    expect(ids(archive, { departments: ['Legal'], senders: ['kofi@example.org'] })).toEqual(['kofi-at-noticed']);
    expect(ids(archive, { departments: ['Legal'], senders: [lee.id] })).toEqual([]);
  });

  it('refuses an unknown group with a usage error naming the close names, and a kind with no groups says so', async () => {
    const archive = setup(tempDir());
    const failure = await vaultFailure(Promise.resolve().then(() => searchMessages(archive.db, { departments: ['Legl'] })));
    expect(failure.code).toBe('USAGE');
    expect(failure.message).toBe('No department has the id or name "Legl". Close names: "Legal".');
    const team = await vaultFailure(Promise.resolve().then(() => searchMessages(archive.db, { teams: ['Ops'] })));
    expect(team.code).toBe('USAGE');
    expect(team.message).toBe('No team has the id or name "Ops".');
    expect(team.hint).toContain('no teams');
    expect(closeNames('fin', ['Finance', 'Legal', 'Facilities'])).toEqual(['Finance']);
    expect(closeNames('Legak', ['Finance', 'Legal', 'Legacy'])).toEqual(['Legal', 'Legacy']);
  });

  it('scopes an audit the same way, and its rule says how a first-archived interval counts', () => {
    const archive = setup(tempDir());
    const resolved = archive.db.transaction(() => {
      const scope = resolveScope(archive.db, auditScopeSchema.parse({ departments: ['Legal'] }));
      const keys = archive.db.prepare('SELECT m.message_id FROM temp.scope_messages s JOIN messages m ON m.id = s.key ORDER BY m.message_id').pluck().all();
      return { scope, keys };
    })();
    expect(resolved.keys).toEqual(['dana-before-first-listing', 'dana-while-held', 'kofi-at-noticed'].sort());
    expect(resolved.scope.messages).toBe(3);
    expect(resolved.scope.rule).toContain('sent by someone while assigned to any of: department "Legal"');
    expect(resolved.scope.rule).toContain('has no known start and counts as covering every message before it');
  });
});
