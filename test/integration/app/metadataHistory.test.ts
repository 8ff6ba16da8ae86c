import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppService } from '../../../electron/core/app/appService';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import { createAppService } from '../../../electron/core/app/createAppService';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import { metadataHistory } from '../../../electron/core/archive/metadataHistory';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { syncArchive } from '../../../electron/core/createCore';
import { archiverScopes } from '../../../shared/cliqScopes';
import { connectionTo, grantedCredentials, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('metadata history for people to read', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();
  const services: AppService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  it('shows a channel rename and a person’s new department as field changes, and nothing for a conversation that only got messages', async () => {
    const sim = await simulator({ seed: 9, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim), { files: 'none' });
    const [renamed, quiet] = sim.org.conversations.filter((c) => c.channel !== null && !c.removed);
    if (!renamed?.channel || !quiet) throw new Error('the org has fewer than two channels');
    const oldName = renamed.channel.name;
    renamed.channel.name = `${oldName}-2026`;
    const person = sim.org.users[3];
    if (!person) throw new Error('the org has fewer than four users');
    const oldDepartment = person.department.name;
    person.department = { ...person.department, name: `${oldDepartment} (moved)` };
    sim.mutate({ seed: 3, newMessages: 5, chatIds: [quiet.chatId] });
    await syncArchive(path, connectionTo(sim), { files: 'none' });

    const db = openArchiveDb(path, { readonly: true });
    try {
      const channel = metadataHistory(db, 'conversation', renamed.chatId);
      expect(channel.firstSeenAt).not.toBeNull();
      expect(channel.goneAt).toBeNull();
      const nameChanges = channel.changes.flatMap((c) => c.changes.filter((f) => f.field.endsWith('.name') || f.field === 'name').map((f) => ({ kind: c.kind, ...f })));
      expect(nameChanges).toContainEqual(expect.objectContaining({ kind: 'channel', before: oldName, after: `${oldName}-2026` }));
      // Message counts and last-message times move on every sync: they are never shown as changes.
      for (const change of channel.changes) for (const f of change.changes) expect(f.field).not.toMatch(/count|last_modified|last_message/);

      expect(metadataHistory(db, 'conversation', quiet.chatId).changes).toEqual([]);

      const user = metadataHistory(db, 'user', person.id);
      const departmentChange = user.changes.flatMap((c) => c.changes).find((f) => f.after?.includes('(moved)'));
      expect(departmentChange?.before).toContain(oldDepartment);
      expect(metadataHistory(db, 'user', 'no-such-user')).toEqual({ firstSeenAt: null, goneAt: null, changes: [], events: [] });
    } finally {
      db.close();
    }
  });

  it('answers archive:history for a department, designation, role or team: a renamed department’s and designation’s earlier names', async () => {
    const sim = await simulator({ seed: 12, scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    const connection = async () => connectionTo(sim, { credentials: await grantedCredentials(sim, archiverScopes) });
    expect((await syncArchive(path, await connection(), { files: 'none' })).status).toBe('complete');
    const directory = sim.org.directory;
    const department = directory?.departments.find((d) => d.unit.id !== directory.root.id);
    if (!directory || !department) throw new Error('the org has no department but the default one');
    const oldDepartment = department.unit.name;
    // A department renamed in Cliq (users reference the unit: U1 shows the new name too), and a designation by the simulator's mutation.
    department.unit.name = `${oldDepartment} & Compliance`;
    const renamed = sim.mutate({ seed: 3, renameDesignations: 1 }).directory.find((c) => c.change === 'designation_renamed');
    if (!renamed) throw new Error('no designation was renamed');
    expect((await syncArchive(path, await connection(), { files: 'none' })).status).toBe('complete');

    const service = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'config') }),
      secrets: memorySecretStore(),
      host: { shell: 'browser', defaultArchiveDir: join(dir, 'archives'), runsScheduleInApp: false },
      archiveOverride: path,
    });
    services.push(service);
    const history = async (subject: string, key: string) => {
      const result = await service.dispatch('archive:history', { subject, key });
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as Awaited<ReturnType<typeof metadataHistory>>;
    };
    const names = (h: Awaited<ReturnType<typeof history>>) => h.changes.flatMap((c) => c.changes.filter((f) => f.field === 'name').map((f) => ({ kind: c.kind, before: f.before, after: f.after })));

    const ofDepartment = await history('department', department.unit.id);
    expect(ofDepartment.firstSeenAt).not.toBeNull();
    expect(names(ofDepartment)).toEqual([{ kind: 'department', before: oldDepartment, after: `${oldDepartment} & Compliance` }]);
    const ofDesignation = await history('designation', renamed.groupId);
    expect(names(ofDesignation)).toEqual([{ kind: 'designation', before: renamed.from, after: expect.stringContaining(renamed.from?.trim() ?? '') as string }]);
    // Groups that did not change: first archived, no change.
    const team = [...directory.teams.keys()][0];
    const role = directory.profiles[0];
    if (team === undefined || !role) throw new Error('the org has no team or role');
    for (const [subject, key] of [
      ['team', team],
      ['role', role.id],
    ] as const) {
      const quiet = await history(subject, key);
      expect(quiet.firstSeenAt, subject).not.toBeNull();
      expect(quiet.changes, subject).toEqual([]);
    }
    // A department's id asked as another kind is not that kind's: nothing; an unknown subject is refused.
    expect(await history('team', department.unit.id)).toEqual({ firstSeenAt: null, goneAt: null, changes: [], events: [] });
    const refused = await service.dispatch('archive:history', { subject: 'call', key: department.unit.id });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('USAGE');
  });
});
