import { afterEach, expect } from 'vitest';
import { syncArchive } from '../../electron/core/createCore';
import { startDemoOrg, type DemoOrgHandle } from '../../electron/simulator/demoOrg';
import { connectionTo } from './sim';

/**
 * Archives of the tiny demo org after a day of activity (synced, a day of edits, deletions, joins
 * and leaves, synced again): what the readable renderings are checked against. The orgs are
 * closed after each test.
 */
export function useDemoArchiveAfterADay(): (archivePath: string) => Promise<void> {
  const started: DemoOrgHandle[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((d) => d.close()));
  });
  return async (archivePath) => {
    const demo = await startDemoOrg({ scale: 'tiny' });
    started.push(demo);
    expect((await syncArchive(archivePath, connectionTo(demo.simulator))).status).toBe('complete');
    demo.catchUp(1);
    expect((await syncArchive(archivePath, connectionTo(demo.simulator))).status).toBe('complete');
  };
}
