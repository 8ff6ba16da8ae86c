import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminRoleViews, directoryPage, groupViews, sourceViews } from '../../../electron/core/app/directoryViews';
import { openArchive } from '../../../electron/core/archive/archive';
import { syncArchive } from '../../../electron/core/createCore';
import { archiverScopes } from '../../../shared/cliqScopes';
import { connectionTo, grantedCredentials, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('the Directory screen reads (archive:directory, archive:groups, archive:adminRoles)', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('match the simulator after a sync and changes: people paged with their intervals, groups with members, admin holders held first', async () => {
    const sim = await simulator({ seed: 21, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const changes = sim.mutate({ seed: 5, grantRoles: 1, revokeRoles: 1, moveDepartments: 1 }).directory;
    await syncArchive(path, connectionTo(sim));
    const truth = sim.truth().directory;
    const db = new Database(path, { readonly: true });
    try {
      // Groups: every one, with its members now.
      const groups = groupViews(db);
      const members = (kind: string, id: string) => groups.find((g) => g.kind === kind && g.groupId === id)?.members;
      for (const d of truth.departments) expect(members('department', d.id)).toBe(d.members.length);
      for (const r of truth.roles) expect(members('role', r.id)).toBe(r.members.length);
      for (const t of truth.teams) expect(members('team', t.team_id)).toBe(t.members.length);
      expect(
        groups
          .filter((g) => g.kind === 'role' && g.admin)
          .map((g) => g.groupId)
          .sort(),
      ).toEqual(
        truth.roles
          .filter((r) => r.is_admin)
          .map((r) => r.id)
          .sort(),
      );

      // People: pages cover everyone once; each person's current department is the truth's.
      const first = directoryPage(db, { offset: 0, limit: 3 });
      const all = directoryPage(db, { offset: 0, limit: 500 });
      expect(all.total).toBe(first.total);
      expect(all.people).toHaveLength(all.total);
      const paged = [];
      for (let offset = 0; offset < all.total; offset += 3) paged.push(...directoryPage(db, { offset, limit: 3 }).people.map((p) => p.userId));
      expect(paged).toEqual(all.people.map((p) => p.userId));
      expect(new Set(paged).size).toBe(paged.length);
      const currentDepartment = new Map(all.people.map((p) => [p.userId, p.assignments.filter((a) => a.kind === 'department' && a.end === null).map((a) => a.groupId)]));
      for (const d of truth.departments) for (const user of d.members) expect(currentDepartment.get(user)).toEqual([d.id]);

      // The mover: the department left ended, the one joined noticed (never "first archived").
      const moved = changes.find((c) => c.change === 'department_moved');
      const mover = all.people.find((p) => p.userId === moved?.userId);
      const departments = mover?.assignments.filter((a) => a.kind === 'department') ?? [];
      expect(departments.map((a) => [a.groupId, a.startSource, a.start === null, a.end === null])).toEqual([
        [moved?.groupId, 'noticed', false, true],
        [moved?.from, 'first_archived', true, false],
      ]);

      // The text filter: a name, or a current group's name.
      const someone = all.people.find((p) => p.name !== null);
      expect(directoryPage(db, { text: someone?.name ?? '', offset: 0, limit: 50 }).people.map((p) => p.userId)).toContain(someone?.userId);
      const joined = groups.find((g) => g.kind === 'department' && g.groupId === moved?.groupId);
      const inJoined = directoryPage(db, { text: joined?.name ?? '', offset: 0, limit: 500 }).people.map((p) => p.userId);
      expect(inJoined).toContain(moved?.userId);
      expect(directoryPage(db, { text: 'nobody has this %_ name', offset: 0, limit: 50 })).toMatchObject({ people: [], total: 0 });

      // Admin roles: held intervals first; the granted one noticed and held, the revoked one ended.
      const admins = adminRoleViews(db);
      const firstEnded = admins.findIndex((a) => a.end !== null);
      expect(firstEnded).toBeGreaterThan(0);
      expect(admins.slice(firstEnded).every((a) => a.end !== null)).toBe(true);
      const granted = changes.find((c) => c.change === 'role_granted');
      const revoked = changes.find((c) => c.change === 'role_revoked');
      expect(admins.find((a) => a.userId === granted?.userId)).toMatchObject({ startSource: 'noticed', end: null, profileType: 'Cliq Admin' });
      expect(admins.find((a) => a.userId === revoked?.userId)?.end).not.toBeNull();

      expect(all.sources.map((s) => [s.dataset, s.status])).toEqual([
        ['departments', 'complete'],
        ['designations', 'complete'],
        ['roles', 'complete'],
        ['teams', 'complete'],
      ]);
    } finally {
      db.close();
    }
  });

  it('say which source was refused and which scope adds it; an archive never synced has no directory and no status', async () => {
    const sim = await simulator({ seed: 21, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(
      path,
      connectionTo(sim, {
        credentials: await grantedCredentials(
          sim,
          archiverScopes.filter((s) => s !== 'ZohoCliq.Teams.READ'),
        ),
      }),
    );
    const db = new Database(path, { readonly: true });
    try {
      const teams = sourceViews(db).find((s) => s.dataset === 'teams');
      expect(teams).toMatchObject({ status: 'not_granted', scope: 'ZohoCliq.Teams.READ', rows: 0 });
      expect(sourceViews(db).find((s) => s.dataset === 'roles')?.status).toBe('complete');
      expect(groupViews(db).some((g) => g.kind === 'team')).toBe(false);
    } finally {
      db.close();
    }
    const empty = new Database(':memory:');
    empty.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)');
    expect(directoryPage(empty, { offset: 0, limit: 10 })).toEqual({
      people: [],
      total: 0,
      sources: sourceViews(empty),
    });
    expect(sourceViews(empty).every((s) => s.status === null && s.rows === 0)).toBe(true);
    expect(groupViews(empty)).toEqual([]);
    expect(adminRoleViews(empty)).toEqual([]);
    empty.close();
  });

  it('pages an org of 10,000 people: a page holds its hundred with their intervals, the filter counts over all', () => {
    const archive = openArchive(join(tempDir(), 'big.sqlite'));
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    const ctx = { runId, now: Date.UTC(2026, 0, 10) };
    const id = (i: number) => String(190_000_000_000 + i);
    archive.transaction(() => {
      for (let i = 0; i < 10_000; i += 1) {
        const name = `Person ${String(i).padStart(5, '0')}`;
        archive.entities.users.upsert({ key: id(i), values: { email: `p${i}@acme.test`, name, display_name: name, status: 'active' }, sourceJson: `{"id":"${id(i)}"}`, sourceHash: id(i) }, ctx);
      }
      archive.directory.groups.department.upsert(
        { key: 'd1', values: { name: 'Legal', parent_department_id: null, lead_user_id: null, members_count: 2_500, is_default: 0 }, sourceJson: '{"id":"d1"}', sourceHash: 'd1' },
        ctx,
      );
      archive.directory.recordListing(
        'department',
        'd1',
        Array.from({ length: 2_500 }, (_, i) => ({ userId: id(i * 4), detailJson: null })),
        ctx,
      );
    });
    const db = archive.db;
    const page = directoryPage(db, { offset: 5_000, limit: 100 });
    expect(page.total).toBe(10_000);
    expect(page.people.map((p) => p.name)).toEqual(Array.from({ length: 100 }, (_, i) => `Person ${String(5_000 + i).padStart(5, '0')}`));
    expect(page.people.filter((p) => p.assignments.length === 1).map((p) => p.userId)).toEqual(Array.from({ length: 25 }, (_, i) => id(5_000 + i * 4)));
    const legal = directoryPage(db, { text: 'legal', offset: 0, limit: 100 });
    expect(legal.total).toBe(2_500);
    expect(legal.people).toHaveLength(100);
    expect(directoryPage(db, { offset: 9_950, limit: 100 }).people).toHaveLength(50);
    archive.close();
  });
});
