import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminRoleHolders, directoryIntervals } from '../../../electron/core/archive/directoryReads';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { syncArchive } from '../../../electron/core/createCore';
import { exportJsonl } from '../../../electron/core/export/jsonlExport';
import { runInProcess } from '../../helpers/inProcessCli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the org directory leaves the archive: cliq-vault directory, stats, export kinds, audit bundles', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  /** A tiny org synced twice, a Cliq Admin role granted and one revoked in between. */
  async function synced() {
    const sim = await simulator({ seed: 21, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const changes = sim.mutate({ seed: 5, grantRoles: 1, revokeRoles: 1, leaveTeams: 1 }).directory;
    await syncArchive(path, connectionTo(sim));
    return { sim, path, changes };
  }

  it('`directory --admins` shows who held an admin role, from when to when (text and --json); `directory` every group; --help explains the starts', async () => {
    const { path, changes } = await synced();
    const granted = changes.find((c) => c.change === 'role_granted')?.userId ?? '';
    const revoked = changes.find((c) => c.change === 'role_revoked')?.userId ?? '';

    const json = await runInProcess(['directory', '--archive', path, '--admins', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const db = new Database(path, { readonly: true });
    const expected = adminRoleHolders(db);
    db.close();
    expect((JSON.parse(json.stdout) as { adminRoleHolders: unknown }).adminRoleHolders).toEqual(expected);
    expect(expected.filter((h) => h.userId === granted).map((h) => [h.profileType, h.startSource, h.endedAt])).toEqual([['Cliq Admin', 'noticed', null]]);
    expect(expected.find((h) => h.userId === revoked)?.endedAt).toEqual(expect.any(Number));

    const text = await runInProcess(['directory', '--archive', path, '--admins', '--tz', 'UTC']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${granted}  Cliq Admin \\(Cliq Admin\\): noticed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d, current`));
    expect(text.stdout).toMatch(new RegExp(`${revoked}  .*: member when first archived on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d, ended \\(noticed .*\\)`));
    expect(text.stdout).toContain('(custom admin)');

    const all = await runInProcess(['directory', '--archive', path, '--tz', 'UTC']);
    expect(all.code, all.stderr).toBe(0);
    for (const kind of ['department', 'designation', 'role', 'team']) expect(all.stdout).toMatch(new RegExp(`^${kind} `, 'm'));
    expect(all.stdout).toMatch(/^role Admin \d+: 1 current \(admin role\)$/m);
    expect(all.stdout).toContain(' moderator: ');

    const help = await runInProcess(['directory', '--help']);
    expect(help.stdout).toContain('--admins');
    expect(help.stdout).toContain('member when first archived');

    const missing = await runInProcess(['directory']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--archive');
  });

  it('`stats` counts the directory', async () => {
    const { sim, path } = await synced();
    const truth = sim.truth().directory;
    const stats = await runInProcess(['stats', '--archive', path, '--json']);
    const directory = (JSON.parse(stats.stdout) as { directory: Record<string, { live: number; gone: number }> & { admins: { current: number } } }).directory;
    expect([directory.departments?.live, directory.designations?.live, directory.roles?.live, directory.teams?.live]).toEqual([
      truth.departments.length,
      truth.designations.length,
      truth.roles.length,
      truth.teams.length,
    ]);
    expect(directory.admins.current).toBe(new Set(truth.roles.filter((r) => r.is_admin).flatMap((r) => r.members)).size);
    const text = await runInProcess(['stats', '--archive', path]);
    expect(text.stdout).toMatch(/ {2}Directory: {6}\d+ departments, \d+ designations, 4 roles, \d+ teams; \d+ current assignments, 3 ended; \d+ people hold an admin role now/);
  });

  it('every directory export kind round-trips the intervals and groups; a bundle carries the groups whole and the intervals of the people in scope', async () => {
    const { path } = await synced();
    const db = new Database(path, { readonly: true });
    try {
      const dir = tempDir();
      for (const kind of ['department', 'designation', 'role', 'team'] as const) {
        const out = join(dir, `${kind}_members.jsonl`);
        await exportJsonl(db, `${kind}_members`, out);
        const exported = lines(out).map((l) => [l[`${kind}_id`], l.user_id, l.start_source, l.started_at, l.start_noticed_at, l.ended_at]);
        expect(exported).toEqual(directoryIntervals(db, kind).map((i) => [i.groupId, i.userId, i.startSource, i.startedAt, i.startNoticedAt, i.endedAt]));
      }
      const rolesOut = join(dir, 'roles.jsonl');
      await exportJsonl(db, 'roles', rolesOut);
      const stored = db.prepare<[], { role_id: string; permissions_json: string; source_json: string }>('SELECT role_id, permissions_json, source_json FROM roles ORDER BY role_id').all();
      expect(lines(rolesOut).map((r) => [r.role_id, r.permissions, r.source])).toEqual(stored.map((r): unknown[] => [r.role_id, JSON.parse(r.permissions_json), JSON.parse(r.source_json)]));

      const whole = join(tempDir(), 'whole');
      await createAuditBundle({ archivePath: path, outDir: whole, scope: { formats: ['jsonl'] } });
      const count = (sql: string) => db.prepare(sql).pluck().get() as number;
      expect(lines(join(whole, 'data', 'role-members.jsonl'))).toHaveLength(count("SELECT count(*) FROM directory_assignments WHERE kind = 'role'"));
      expect(lines(join(whole, 'data', 'roles.jsonl'))).toHaveLength(4);
      const dictionary = readFileSync(join(whole, 'data-dictionary.csv'), 'utf8');
      for (const name of ['departments', 'department-members', 'designations', 'designation-members', 'roles', 'role-members', 'teams', 'team-members'])
        expect(dictionary).toContain(`\r\n${name}.csv,`);

      // Scoped to one direct chat: every group, but only the intervals of its two people.
      const chat = db.prepare<[], string>("SELECT chat_id FROM chats WHERE kind = 'direct' ORDER BY chat_id LIMIT 1").pluck().get() ?? '';
      const scoped = join(tempDir(), 'scoped');
      await createAuditBundle({ archivePath: path, outDir: scoped, scope: { conversations: [chat], formats: ['jsonl'] } });
      expect(lines(join(scoped, 'data', 'departments.jsonl'))).toHaveLength(count('SELECT count(*) FROM departments'));
      const people = new Set(lines(join(scoped, 'data', 'users.jsonl')).map((u) => u.user_id));
      const scopedRoles = lines(join(scoped, 'data', 'role-members.jsonl'));
      expect(scopedRoles.length).toBeGreaterThan(0);
      expect(scopedRoles.length).toBeLessThan(count("SELECT count(*) FROM directory_assignments WHERE kind = 'role'"));
      for (const row of scopedRoles) expect(people.has(row.user_id)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('a scoped bundle carries the history of the directory groups it carries whole: an earlier designation name', async () => {
    const sim = await simulator({ seed: 21, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    sim.mutate({ seed: 5, renameDesignations: 1 });
    await syncArchive(path, connectionTo(sim));
    const db = new Database(path, { readonly: true });
    const renamed = db.prepare<[], { entity_key: string }>("SELECT entity_key FROM entity_history WHERE kind = 'designation'").all();
    const chat = db.prepare<[], { chat_id: string }>('SELECT chat_id FROM chats ORDER BY chat_id LIMIT 1').get()?.chat_id ?? '';
    db.close();
    expect(renamed.length).toBeGreaterThan(0);
    const scoped = join(tempDir(), 'scoped');
    await createAuditBundle({ archivePath: path, outDir: scoped, scope: { conversations: [chat], formats: ['jsonl'] } });
    const history = lines(join(scoped, 'data', 'metadata-history.jsonl')).filter((h) => h.kind === 'designation');
    expect(history.map((h) => h.entity_key)).toEqual(renamed.map((r) => r.entity_key));
  });
});
