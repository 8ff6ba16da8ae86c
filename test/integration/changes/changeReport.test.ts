import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { changeRange, changeReport, changesBetweenSnapshots, renderChangeReport } from '../../../electron/core/changes';
import { createSnapshot } from '../../../electron/core/backup/snapshot';
import { syncArchive } from '../../../electron/core/createCore';
import { startDemoOrg, type DemoOrgHandle } from '../../../electron/simulator/demoOrg';
import { credentialsEnv, lastJson, runCli, syncArgs } from '../../helpers/cli';
import { connectionTo } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/**
 * Change reports against the demo org's days of activity (the simulator's mutations): what a day
 * did is what the report of its sync says, kind by kind, and the same between two snapshots.
 */
describe('change reports', () => {
  const tempDir = useTempDir();
  const started: DemoOrgHandle[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((d) => d.close()));
  });

  it('equal the simulator’s mutations of a day: new, edited and deleted messages, joins and leaves', async () => {
    const dir = tempDir();
    const path = join(dir, 'demo.sqlite');
    const demo = await startDemoOrg({ scale: 'tiny' });
    started.push(demo);
    const first = await syncArchive(path, connectionTo(demo.simulator));
    expect(first.status).toBe('complete');
    mkdirSync(join(dir, 'snaps'));
    const before = await createSnapshot({ archivePath: path, toDir: join(dir, 'snaps') });

    const [day] = demo.catchUp(1);
    if (day === undefined) throw new Error('the demo org applied no day');
    const second = await syncArchive(path, connectionTo(demo.simulator));
    expect(second.status).toBe('complete');

    const db = openArchiveDb(path, { readonly: true });
    let report;
    try {
      report = changeReport(db, changeRange(db, { sinceRun: first.runId }), 10_000);
    } finally {
      db.close();
    }
    expect(report.range).toMatchObject({ afterRun: first.runId, throughRun: second.runId });
    expect(report.counts).toMatchObject({
      message_new: day.result.added.length,
      message_edited: day.result.edited.length,
      message_deleted: day.result.deleted.length,
      member_joined: second.counts.membersJoined,
      member_left: second.counts.membersLeft,
    });
    expect(report.counts.member_left).toBeGreaterThan(0);
    // The very messages the simulator changed, by id.
    const ids = (kind: string) => report.items.filter((item) => item.kind === kind).map((item) => `${item.chatId} ${item.messageId}`).sort();
    const truth = (changes: { chatId: string; messageId: string }[]) => changes.map((c) => `${c.chatId} ${c.messageId}`).sort();
    expect(ids('message_edited')).toEqual(truth(day.result.edited));
    expect(ids('message_deleted')).toEqual(truth(day.result.deleted));
    expect(ids('message_new')).toEqual(truth(day.result.added));
    expect(report.items.find((item) => item.kind === 'message_edited')?.detail).toMatch(/^was: .* — now: /);
    expect(report.truncated).toEqual([]);

    // The first run's report is everything, and nothing joined (members when first archived did not join).
    const whole = openArchiveDb(path, { readonly: true });
    try {
      const all = changeReport(whole, changeRange(whole, { sinceRun: 0 }), 5);
      expect(all.counts.message_new).toBe(first.counts.messagesNew + second.counts.messagesNew);
      expect(all.items.filter((item) => item.kind === 'message_new')).toHaveLength(5);
      expect(all.truncated).toContain('message_new');
    } finally {
      whole.close();
    }

    // Between a snapshot before the day and one after: the same report, read from the snapshots.
    const after = await createSnapshot({ archivePath: path, toDir: join(dir, 'snaps') });
    const between = changesBetweenSnapshots(before.path, after.path, 10_000);
    expect(between.counts).toEqual(report.counts);
    expect(() => changesBetweenSnapshots(after.path, before.path, 10)).toThrow(expect.objectContaining({ code: 'USAGE' }) as Error);
    expect(renderChangeReport(report, path, 'UTC')).toContain(`Edited messages`);
  });

  it('from the CLI: since a run, as text and JSON, and refused in words without a range', async () => {
    const dir = tempDir();
    const path = join(dir, 'demo.sqlite');
    const demo = await startDemoOrg({ scale: 'tiny' });
    started.push(demo);
    const first = await syncArchive(path, connectionTo(demo.simulator));
    demo.catchUp(1);
    await syncArchive(path, connectionTo(demo.simulator));

    const json = await runCli(['changes', '--archive', path, '--since-run', String(first.runId), '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = lastJson(json) as { counts: Record<string, number> };
    expect(report.counts.message_edited).toBeGreaterThan(0);
    const text = await runCli(['changes', '--archive', path, '--since-run', String(first.runId)]);
    expect(text.stdout).toMatch(/^What changed in .* since run \d+ \(run \d+\):/);
    expect(text.stdout).toMatch(/Deleted messages\s+\d+/);
    const none = await runCli(['changes', '--archive', path]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give one of --since-run N, --since DATE or --between-snapshots S1 S2');
    const tooFar = await runCli(['changes', '--archive', path, '--since-run', '99']);
    expect(tooFar.code).toBe(2);
    expect(tooFar.stderr).toContain('There is no run 99');
    // The nightly job's sync writes what its run changed beside its log.
    demo.catchUp(2);
    const changesDir = join(dir, 'logs', 'changes');
    const synced = await runCli([...syncArgs(demo.simulator, path), '--changes-dir', changesDir, '--json'], credentialsEnv(demo.simulator));
    expect(synced.code, synced.stderr).toBe(0);
    const runId = (lastJson(synced) as { runId: number }).runId;
    expect(synced.stderr).toContain(`What this run changed: ${join(changesDir, `changes-run-${runId}.txt`)}`);
    const written = readFileSync(join(changesDir, `changes-run-${runId}.txt`), 'utf8');
    expect(written).toMatch(new RegExp(`^What changed in .* by sync run ${runId} \\(run ${runId}\\):`));
    expect(written).toMatch(/Edited messages\s+[1-9]/);

    // On record in the review log: the two reports, and the one refused (a flag error reads nothing and is not).
    const log = await runCli(['audit-log', '--archive', path, '--action', 'change_report', '--json']);
    expect((lastJson(log) as { entries: { outcome: string }[] }).entries.map((entry) => entry.outcome)).toEqual(['refused', 'ok', 'ok']);
  });
});
