import Database from 'better-sqlite3-multiple-ciphers';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../electron/core/files/store';
import { credentialsEnv, runCli, syncArgs } from '../helpers/cli';
import { useSimulators } from '../helpers/sim';
import { useTempDir } from '../helpers/tempDir';
import { spawnPausedCli } from './pauses';

interface Row {
  key: string;
  status: string;
  sha256: string | null;
}

function rows(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], Row>("SELECT chat_id || ' ' || message_id || ' ' || file_id AS key, status, sha256 FROM attachments ORDER BY key").all();
  } finally {
    db.close();
  }
}

describe('SIGKILL in the middle of a file download, then resume', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('leaves no partial object, and the next sync fetches only what was not stored, clearing the partial file', async () => {
    // Files larger than the store's 1 MiB write batch, so the kill lands inside one.
    const sim = await simulator({ seed: 6, scale: 'tiny', fileSizes: { emptyShare: 0, largeShare: 1, largeMinBytes: 1_500_000, largeMaxBytes: 3_000_000 } });
    const reference = join(tempDir(), 'reference.sqlite');
    const whole = await runCli(syncArgs(sim, reference, '--json'), credentialsEnv(sim));
    expect(whole.code, whole.stderr).toBe(0);

    const path = join(tempDir(), 'killed.sqlite');
    // The fourth file's first bytes written: three are stored by then, this one is cut short.
    const { child, exited, paused } = spawnPausedCli(syncArgs(sim, path), credentialsEnv(sim), 'files:writing#4');
    expect(await paused).toBe('files:writing#4');
    child.kill('SIGKILL');
    await exited;

    const store = openFileStore(path);
    const partial = readdirSync(join(store.root, 'tmp'));
    // The downloads being written when killed: the lane runs two at once.
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expect(partial.length).toBeLessThanOrEqual(2);
    const before = rows(path);
    const actedOn = before.filter((r) => r.status !== 'pending');
    expect(before.filter((r) => r.status === 'stored').length, 'some files were stored before the kill').toBeGreaterThan(0);
    // Every object in the store is whole: its bytes hash to its name. The cut file is not one of them.
    const objects: string[] = [];
    for await (const hash of store.list()) objects.push(hash);
    for (const hash of objects) expect((await store.verify(hash)).ok, hash).toBe(true);
    // Every file recorded as stored is there. The pause stops the whole process, so the other
    // download of the pair may have linked its object and not yet committed its record: that one
    // is whole too, still pending, and fetched again on resume (a dedupe, no second object).
    const stored = before.filter((r) => r.status === 'stored').map((r) => r.sha256);
    for (const hash of stored) expect(objects).toContain(hash);
    expect(objects.length - stored.length).toBeLessThanOrEqual(1);

    const resumed = await runCli(syncArgs(sim, path, '--json'), credentialsEnv(sim));
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = rows(path);
    const report = JSON.parse(resumed.stdout.trim().split('\n').at(-1) ?? '{}') as { calls: Record<string, number> };
    expect(report.calls['files.get'], 'one call per file not yet acted on; none for a stored file').toBe(after.length - actedOn.length);
    expect(readdirSync(join(store.root, 'tmp')), 'the partial file is cleared').toEqual([]);
    // The same files, statuses and hashes as the uninterrupted sync.
    expect(after).toEqual(rows(reference));
  });
});
