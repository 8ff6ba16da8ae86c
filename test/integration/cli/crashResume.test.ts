import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import { canonicalSnapshot } from '../../helpers/archiveCheck';
import { credentialsEnv, finished, runCli, spawnCli, syncArgs } from '../../helpers/cli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** Resolves once the simulator has answered at least `n` requests (polling its counters). */
async function afterRequests(sim: { stats(): { requests: Record<string, number> } }, n: number): Promise<void> {
  for (;;) {
    const total = Object.values(sim.stats().requests).reduce((a, b) => a + b, 0);
    if (total >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('SIGKILL during a sync, then resume', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it.each([
    { mode: 'single-shot', windowed: false },
    { mode: 'windowed', windowed: true },
  ])('gives the same archive as an uninterrupted sync, however often it is killed ($mode)', async ({ windowed }) => {
    // A little latency so kills land mid-request and mid-page as well as between them.
    const sim = await simulator({ seed: 8, scale: 'small', maintenanceHonorsTimeWindow: windowed, latencyMs: 2 });
    // The messages' crash safety; a kill inside a file download is test/reliability/filesCrash.test.ts.
    const reference = join(tempDir(), 'reference.sqlite');
    expect((await syncArchive(reference, connectionTo(sim), { files: 'none' })).status).toBe('complete');

    const path = join(tempDir(), 'killed.sqlite');
    sim.resetStats();
    let kills = 0;
    for (const at of [3, 25, 70, 120, 170]) {
      const child = spawnCli(syncArgs(sim, path, '--files', 'none'), credentialsEnv(sim));
      const exited = finished(child);
      await Promise.race([afterRequests(sim, at), exited]);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills += 1;
      }
      await exited;
    }
    expect(kills).toBeGreaterThanOrEqual(3);

    const resumed = await runCli(syncArgs(sim, path, '--json', '--files', 'none'), credentialsEnv(sim));
    expect(resumed.code, resumed.stderr).toBe(0);
    const killed = canonicalSnapshot(path);
    expect(killed.integrity).toEqual([{ integrity_check: 'ok' }]);
    expect(killed).toEqual(canonicalSnapshot(reference));
    // The seals of the killed runs were closed by the next run, over consistent digests.
    const verify = await runCli(['verify', '--archive', path, '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout) as { ok: boolean; openSeals: number[] }).toMatchObject({ ok: true, openSeals: [] });

    // The runs that died were closed as partial by the next one, not left "running".
    const stats = await runCli(['stats', '--archive', path, '--runs', '20', '--json']);
    const runs = (JSON.parse(stats.stdout) as { lastRuns: { status: string; errors: { code: string }[] }[] }).lastRuns;
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    expect(runs.filter((r) => r.errors.some((e) => e.code === 'INTERRUPTED')).length).toBe(kills);
  });
});
