import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metadataHistory } from '../../../electron/core/archive/metadataHistory';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { syncArchive } from '../../../electron/core/createCore';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('metadata history for people to read', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

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
});
