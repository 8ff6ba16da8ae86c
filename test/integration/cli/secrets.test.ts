import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsEnv, runCli, syncArgs } from '../../helpers/cli';
import { useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('secrets', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('a sync at debug level writes no credential or token to its output or to the archive', async () => {
    // Tokens that expire quickly, so the run refreshes (and could log) more than once.
    const sim = await simulator({ scale: 'tiny', accessTokenTtlMs: 2_000, latencyMs: 1 });
    const dir = tempDir();
    const archive = join(dir, 'a.sqlite');
    const result = await runCli([...syncArgs(sim, archive), '--log-level', 'debug'], credentialsEnv(sim));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\[debug\] GET \/maintenanceapi/);

    // Every file the run wrote: the archive, its WAL, and the attachments under a.sqlite.files/.
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(
      files.some((entry) => entry.parentPath.includes('a.sqlite.files')),
      'the run stored files too',
    ).toBe(true);
    const written = [result.stdout, result.stderr, ...files.map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))].join('\n');
    for (const secret of [sim.admin.clientSecret, sim.admin.refreshToken]) expect(written).not.toContain(secret);
    // Access tokens have Zoho's shape; none may appear anywhere.
    expect(written).not.toMatch(/1000\.[0-9a-f]{8,}\.[0-9a-f]{8,}/);
  });
});
