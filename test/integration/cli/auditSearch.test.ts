import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsEnv, lastJson, runCli, syncArgs } from '../../helpers/cli';
import { useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';
import { archiveWithFiles } from '../../helpers/attachmentsFixture';

describe('search, transcript, audit and verify from the command line', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('finds, reads, exports and verifies an archive synced from the simulator', async () => {
    const sim = await simulator({ seed: 12, scale: 'tiny' });
    const archive = join(tempDir(), 'a.sqlite');
    expect((await runCli(syncArgs(sim, archive), credentialsEnv(sim))).code).toBe(0);

    const search = await runCli(['search', '--archive', archive, '--json', '--limit', '5']);
    expect(search.code, search.stderr).toBe(0);
    const page = lastJson(search) as { hits: { key: number; chatId: string; snippet: unknown[] }[]; nextCursor: string | null };
    expect(page.hits.length).toBeGreaterThan(0);
    const human = await runCli(['search', '--archive', archive, 'the', '--limit', '2', '--context', '1', '--tz', 'Europe/Paris']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/«the»|No messages match/i);
    expect((await runCli(['search', '--archive', archive, '(unbalanced', '--advanced'])).code).toBe(2);
    expect((await runCli(['search', '--archive', archive, 'x', '--tz', 'Nowhere/Land'])).stderr).toMatch(/Unknown time zone/);

    const transcript = await runCli(['transcript', '--archive', archive, '--around', String(page.hits[0]?.key), '--json']);
    expect(transcript.code, transcript.stderr).toBe(0);
    expect((lastJson(transcript) as { focus: number }).focus).toBe(page.hits[0]?.key);

    const stats = await runCli(['stats', '--archive', archive, '--conversations', '--json']);
    const listed = (lastJson(stats) as { conversations: { chatId: string; serverMessageCount: number | null; archivedCount: number; syncStatus: string }[] }).conversations;
    expect(listed.length).toBe(sim.truth().chats.length + sim.truth().channels.length + sim.truth().threads.length);
    expect(listed.every((c) => c.syncStatus === 'complete' && (c.serverMessageCount === null || c.serverMessageCount === c.archivedCount))).toBe(true);
    const problems = await runCli(['stats', '--archive', archive, '--conversations', '--problems']);
    expect(problems.stdout).toMatch(/Conversations \(0, least fresh first\)/);

    const verified = await runCli(['verify', '--archive', archive]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^OK: every sealed row/);

    const bundle = join(tempDir(), 'bundle');
    const audit = await runCli(['audit', '--archive', archive, '--out', bundle, '--tz', 'Asia/Kolkata', '--verify-archive']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/Audit bundle written in .*\n.*messages/);
    expect((await runCli(['audit', '--archive', archive, '--out', bundle])).code).toBe(2);
    expect((await runCli(['verify', '--bundle', bundle])).code).toBe(0);
    // Both: the bundle's recorded seal is in the archive's chain and its rows still match.
    const included = await runCli(['verify', '--bundle', bundle, '--archive', archive]);
    expect(included.code, included.stdout).toBe(0);
    expect(included.stdout).toMatch(/INCLUDED: the bundle belongs to this archive\.\n {2}Seal linked: yes .*\n {2}Rows: [\d,]+ matched, 0 purged, 0 changed, 0 missing/);
    const inclusion = (lastJson(await runCli(['verify', '--bundle', bundle, '--archive', archive, '--json'])) as { inclusion: { included: boolean } }).inclusion;
    expect(inclusion.included).toBe(true);
    appendFileSync(join(bundle, 'data', 'users.jsonl'), '{}\n');
    const altered = await runCli(['verify', '--bundle', bundle]);
    expect(altered.code).toBe(1);
    expect(altered.stdout).toMatch(/ALTERED/);
  });

  it('audit copies attachment files into the bundle, and --no-files leaves them out but keeps the dataset', async () => {
    const archive = await archiveWithFiles(tempDir(), [
      { message: 'm1', name: 'minutes.PDF', bytes: Buffer.from('the minutes') },
      { message: 'm2', name: 'minutes copy.pdf', bytes: Buffer.from('the minutes') },
      { message: 'm3', name: 'private.pdf', failure: { status: 'forbidden', reason: 'FORBIDDEN: refused (403).' } },
    ]);
    const withFiles = join(tempDir(), 'with');
    const full = await runCli(['audit', '--archive', archive, '--out', withFiles]);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toMatch(/3 attachments: 1 file \(11 B\) in files\/; 1 not in the bundle \(see warnings\.txt\)/);
    expect(readdirSync(join(withFiles, 'files'))).toHaveLength(1);
    expect((await runCli(['verify', '--bundle', withFiles])).code).toBe(0);

    const without = join(tempDir(), 'without');
    const bare = await runCli(['audit', '--archive', archive, '--out', without, '--no-files', '--json']);
    expect(bare.code, bare.stderr).toBe(0);
    expect((lastJson(bare) as { attachments: unknown }).attachments).toEqual({ included: false, inScope: 3, files: 0, bytes: 0, notInBundle: 3 });
    expect(existsSync(join(without, 'files'))).toBe(false);
    expect(
      readFileSync(join(without, 'data', 'attachments.csv'), 'utf8')
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(4);
    expect(readFileSync(join(without, 'warnings.txt'), 'utf8')).toMatch(/m1 file file-m1 "minutes\.PDF": not in this bundle: left out by --no-files\./);
    expect((await runCli(['verify', '--bundle', without])).code).toBe(0);
  });
});
