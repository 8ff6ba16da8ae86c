import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import { demoDaySpec } from '../../../electron/simulator/demoDays';
import { startDemoOrg, type DemoOrgHandle } from '../../../electron/simulator/demoOrg';
import { compareWithTruth } from '../../helpers/archiveCheck';
import { connectionTo } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/**
 * The demo org's days of activity (issue 13): each day changes what an archive records, and a
 * simulator started again replays the same days exactly, so an archive synced by an earlier run
 * sees no change that did not happen.
 */
describe('demo days', () => {
  const tempDir = useTempDir();
  const started: DemoOrgHandle[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((d) => d.close()));
  });
  const demo = async () => {
    const handle = await startDemoOrg({ scale: 'tiny' });
    started.push(handle);
    return handle;
  };
  const sync = (path: string, handle: DemoOrgHandle) => syncArchive(path, connectionTo(handle.simulator));

  it('a day edits, deletes, adds and moves members; a restarted simulator replays it exactly', async () => {
    const path = join(tempDir(), 'demo.sqlite');
    const first = await demo();
    expect((await sync(path, first)).status).toBe('complete');

    const [day] = first.catchUp(1);
    expect(day?.day).toBe(1);
    expect(first.day()).toBe(1);
    const changed = await sync(path, first);
    expect(changed.status).toBe('complete');
    expect(day?.result.edited.length).toBeGreaterThan(0);
    expect(day?.result.deleted.length).toBeGreaterThan(0);
    expect(changed.counts.messagesChanged).toBe(day?.result.edited.length);
    expect(changed.counts.messagesDeleted).toBe(day?.result.deleted.length);
    expect(changed.counts.membersLeft).toBeGreaterThan(0);
    expect(changed.counts.membersJoined).toBeGreaterThan(0);
    expect(compareWithTruth(path, first.simulator.truth()).missing).toEqual([]);
    // Catching up to a day already reached applies nothing.
    expect(first.catchUp(1)).toEqual([]);

    // A new process starts the demo org from scratch and replays day 1: the archive sees nothing new.
    const again = await demo();
    again.catchUp(1);
    const replayed = await sync(path, again);
    expect(replayed.status).toBe('complete');
    expect(replayed.counts).toMatchObject({ messagesNew: 0, messagesChanged: 0, messagesDeleted: 0, membersJoined: 0, membersLeft: 0 });
  });

  it('varies the seed per day and alternates granting and revoking a role', () => {
    expect(demoDaySpec(1).seed).not.toBe(demoDaySpec(2).seed);
    expect(demoDaySpec(1)).toMatchObject({ grantRoles: 1 });
    expect(demoDaySpec(2)).toMatchObject({ revokeRoles: 1 });
  });
});
