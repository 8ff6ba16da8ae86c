import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { syncArchive } from '../../../electron/core/createCore';
import type { RetentionPreview, RetentionResult } from '../../../shared/retention';
import { runInProcess } from '../../helpers/inProcessCli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('cliq-vault retention: a dry run by default, --apply --yes purges, holds win, a sync does not bring purged messages back', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('previews, refuses --apply without --yes, purges the direct chats but the held one, and a full re-sync keeps them purged', async () => {
    const sim = await simulator({ seed: 15, scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const db = new Database(path, { readonly: true });
    const directs = db.prepare<[], { chat_id: string; n: number }>("SELECT m.chat_id, count(*) AS n FROM messages m JOIN chats c USING (chat_id) WHERE c.kind = 'direct' GROUP BY m.chat_id ORDER BY m.chat_id").all();
    const total = db.prepare<[], number>('SELECT count(*) FROM messages').pluck().get() ?? 0;
    db.close();
    expect(directs.length).toBeGreaterThan(1);
    const [held, ...rest] = directs;
    if (!held) throw new Error('no direct chat');
    const due = rest.reduce((n, c) => n + c.n, 0);

    expect((await runInProcess(['hold', 'add', '--archive', path, '--name', 'Keep one', '--chat', held.chat_id])).code).toBe(0);

    // A dry run: the numbers, per conversation, and nothing changes.
    const dry = await runInProcess(['retention', '--archive', path, '--keep-days', '1', '--kind', 'direct', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const preview = JSON.parse(dry.stdout) as RetentionPreview & { dryRun: boolean };
    expect(preview).toMatchObject({ dryRun: true, purge: due, keptHeld: held.n, holds: 1 });
    expect(preview.conversations.find((c) => c.chatId === held.chat_id)).toMatchObject({ purge: 0, keptHeld: held.n });
    const text = await runInProcess(['retention', '--archive', path, '--keep-days', '1', '--kind', 'direct']);
    expect(text.stdout).toMatch(/^Dry run — nothing was changed\./);
    expect(text.stdout).toContain('--apply --yes');

    const refused = await runInProcess(['retention', '--archive', path, '--keep-days', '1', '--kind', 'direct', '--apply']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Nothing was purged: add --yes/);

    // A snapshot before the purge, then the purge.
    const snapshots = join(dir, 'snapshots');
    mkdirSync(snapshots);
    expect((await runInProcess(['backup', '--archive', path, '--to', snapshots])).code).toBe(0);
    const applied = await runInProcess(['retention', '--archive', path, '--keep-days', '1', '--kind', 'direct', '--apply', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout) as RetentionResult;
    expect(result).toMatchObject({ purge: due, keptHeld: held.n });

    // A full re-read of the org finds the purged messages on Cliq again: they stay purged.
    const report = await syncArchive(path, connectionTo(sim), { full: true });
    expect(report.status).toBe('complete');
    expect(report.counts.messagesNew).toBe(0);
    const after = new Database(path, { readonly: true });
    try {
      expect(after.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(total - due);
      expect(after.prepare('SELECT count(*) FROM purged_messages').pluck().get()).toBe(due);
      expect(verifyArchive(after).problems).toEqual([]);
    } finally {
      after.close();
    }
    expect((await runInProcess(['verify', '--archive', path])).code).toBe(0);

    // Custody actions are on record in the review log: the hold, both dry runs and the purge (the
    // apply without --yes is refused before it touches the archive).
    const log = new Database(path, { readonly: true });
    try {
      const actions = log.prepare("SELECT action, results FROM review_log WHERE action IN ('hold_add', 'retention_dry_run', 'retention_apply') ORDER BY id").all();
      expect(actions).toEqual([
        { action: 'hold_add', results: null },
        { action: 'retention_dry_run', results: due },
        { action: 'retention_dry_run', results: due },
        { action: 'retention_apply', results: due },
      ]);
    } finally {
      log.close();
    }

    // export --what purges lists the records.
    const exported = await runInProcess(['export', '--archive', path, '--what', 'purges', '--out', join(dir, 'purges.jsonl')]);
    expect(exported.code, exported.stderr).toBe(0);

    // The snapshot from before still holds the purged messages; --prune-purged deletes it once a new one is in place.
    const before = readdirSync(snapshots).filter((f) => f.endsWith('.sqlite'));
    expect(before).toHaveLength(1);
    const pruned = await runInProcess(['backup', '--archive', path, '--to', snapshots, '--prune-purged', '--json']);
    expect(pruned.code, pruned.stderr).toBe(0);
    const now = readdirSync(snapshots).filter((f) => f.endsWith('.sqlite'));
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(before[0]);
  }, 120_000);
});
