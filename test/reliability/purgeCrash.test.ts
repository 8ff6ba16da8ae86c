import Database from 'better-sqlite3-multiple-ciphers';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsEnv, lastJson, runCli, syncArgs } from '../helpers/cli';
import { useSimulators } from '../helpers/sim';
import { useTempDir } from '../helpers/tempDir';
import { killAt } from './pauses';

/** Counts in the archive, read with the driver itself (no migration, no write). */
function counts(path: string): { messages: number; purged: number; runs: { status: string; purged: number }[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      messages: db.prepare<[], number>('SELECT count(*) FROM messages').pluck().get() ?? 0,
      purged: db.prepare<[], number>('SELECT count(*) FROM purged_messages').pluck().get() ?? 0,
      runs: db.prepare<[], { status: string; purged: number }>('SELECT status, purged FROM retention_runs ORDER BY run_id').all(),
    };
  } finally {
    db.close();
  }
}

/** The objects in the archive's file store (their file names are their SHA-256). */
function storeObjects(path: string): string[] {
  return readdirSync(`${path}.files/sha256`, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

/** The objects stored attachments still name. */
function referenced(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], number>("SELECT count(DISTINCT sha256) FROM attachments WHERE status = 'stored' AND sha256 IS NOT NULL").pluck().get() ?? 0;
  } finally {
    db.close();
  }
}

describe('SIGKILL during a purge', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('leaves the batch it was writing unpurged (never a message gone without its record), and the next purge finishes the job', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await runCli(syncArgs(sim, path), credentialsEnv(sim))).code).toBe(0);
    const policy = ['retention', '--archive', path, '--keep-days', '1'];
    const dry = await runCli([...policy, '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const due = (lastJson(dry) as { purge: number }).purge;
    expect(due).toBeGreaterThan(0);
    const before = counts(path);

    const killed = await killAt([...policy, '--apply', '--yes'], {}, 'retention:batch');
    expect(killed.killedAt).toBe('retention:batch#1');
    // The batch was written but not committed: every message is still there, none has a record,
    // and the run that was stopped says so.
    const after = counts(path);
    expect(after.messages).toBe(before.messages);
    expect(after.purged).toBe(0);
    expect(after.runs).toEqual([{ status: 'running', purged: 0 }]);
    const verify = await runCli(['verify', '--archive', path]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    // The dead purge's lease goes with its pid: the next one purges everything due and marks the first interrupted.
    const again = await runCli([...policy, '--apply', '--yes', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((lastJson(again) as { purge: number }).purge).toBe(due);
    const done = counts(path);
    expect(done.messages).toBe(before.messages - due);
    expect(done.purged).toBe(due);
    expect(done.runs).toEqual([
      { status: 'interrupted', purged: 0 },
      { status: 'complete', purged: due },
    ]);
    const verifyAfter = await runCli(['verify', '--archive', path]);
    expect(verifyAfter.code, verifyAfter.stdout + verifyAfter.stderr).toBe(0);
  });

  it('killed after its batches but before removing the purged files, the next purge removes them: no purged bytes stay behind', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await runCli(syncArgs(sim, path), credentialsEnv(sim))).code).toBe(0);
    const objectsBefore = storeObjects(path).length;
    expect(objectsBefore).toBeGreaterThan(0);
    const policy = ['retention', '--archive', path, '--keep-days', '1'];

    const killed = await killAt([...policy, '--apply', '--yes'], {}, 'retention:files');
    expect(killed.killedAt).toBe('retention:files#1');
    // Every batch committed: the messages are purged, but their bytes are still in the store.
    expect(counts(path).runs).toEqual([{ status: 'running', purged: expect.any(Number) as unknown }]);
    expect(storeObjects(path).length).toBe(objectsBefore);
    const found = await runCli(['verify', '--archive', path, '--files', '--json']);
    expect(found.stdout).toContain('file_added');

    const again = await runCli([...policy, '--apply', '--yes', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((lastJson(again) as { purge: number; filesRemoved: number }).filesRemoved).toBe(objectsBefore - referenced(path));
    expect(storeObjects(path).length).toBe(referenced(path));
    const verify = await runCli(['verify', '--archive', path, '--files', '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).not.toContain('file_added');
  });
});
