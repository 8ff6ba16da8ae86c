import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { exportKinds } from '../../../electron/core/export/kinds';
import { compareWithTruth } from '../../helpers/archiveCheck';
import { credentialsEnv, finished, lastJson, runCli, spawnCli, syncArgs } from '../../helpers/cli';
import { useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('the cliq-vault command', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('has --help for every command, and the exit codes are documented', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['sync', 'stats', 'search', 'transcript', 'audit', 'verify', 'backup', 'restore', 'schedule', 'export', 'auth', 'simulate', 'demo']) {
      expect(top.stdout).toContain(command);
      const help = await runCli([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: cliq-vault ${command}`);
    }
    expect((await runCli(['sync', '--help'])).stdout).toMatch(/3 archive locked.*\n?.*4 authorization needed.*\n?.*5 partial/s);
  });

  it('answers bad usage with exit 2 and a message that says what to do', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /Unknown command frobnicate/],
      [['search', '--achive', 'x.sqlite', 'budget'], /Unknown option --achive for `search`. Did you mean --archive\?/],
      [['sync', '--dc', 'com'], /--archive/],
      [['sync', '--archive', 'x.sqlite', '--dc', 'mars'], /Unknown data centre "mars"[\s\S]*com, eu, in, com\.au, com\.cn, jp/],
      [['sync', '--archive', 'x.sqlite'], /No data centre given/],
      [['sync', '--archive', 'x.sqlite', '--api-base', 'http://127.0.0.1:1'], /go together/],
      [['sync', '--archive', 'x.sqlite', '--dc', 'eu', '--quota-scale', '-3'], /--quota-scale: must be greater than 0/],
      [['sync', '--archive', 'x.sqlite', '--dc', 'eu', '--quota', 'maint.everything=5'], /not family=perMinute/],
      [['sync', '--archive', 'x.sqlite', '--dc', 'eu', '--max-rate-wait', 'soon'], /not a duration/],
      [['export', '--archive', 'x.sqlite', '--what', 'emails', '--out', 'o.jsonl'], /--what: must be one of/],
      [['export', '--archive', 'x.sqlite', '--what', 'messages', '--all', '--out', 'o'], /--all: writes every kind: give either --what <kind> or --all, not both/],
      [['export', '--archive', 'x.sqlite', '--out', 'o.jsonl'], new RegExp(`--what: is required \\(one of ${exportKinds.join(', ')}\\), or use --all`)],
      [['stats', '--archive', join(tempDir(), 'missing.sqlite')], /No archive at/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { CLIQ_CLIENT_ID: 'x', CLIQ_CLIENT_SECRET: 'y', CLIQ_REFRESH_TOKEN: 'z' });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('names a file that is not an archive, with the path, and never advises restoring a snapshot', async () => {
    const dir = tempDir();
    const readme = resolve(import.meta.dirname, '../../../README.md');
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const cases: [string[], string][] = [
      [['stats', '--archive', readme], `${readme} is not a Cliq Vault archive (it is not an SQLite database) — check the path.`],
      [['search', '--archive', readme, 'budget'], `${readme} is not a Cliq Vault archive (it is not an SQLite database) — check the path.`],
      [['verify', '--archive', empty], `${empty} is not a Cliq Vault archive (the file is empty) — check the path.`],
      [['backup', '--archive', readme, '--to', dir], `${readme} is not a Cliq Vault archive (it is not an SQLite database) — check the path.`],
      [['audit', '--archive', empty, '--out', join(dir, 'bundle')], `${empty} is not a Cliq Vault archive (the file is empty) — check the path.`],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect([args[0], result.code]).toEqual([args[0], 2]);
      expect(result.stderr, args[0]).toContain(`cliq-vault: ${message}`);
      expect(result.stderr, args[0]).not.toMatch(/restore|snapshot/i);
    }
    expect(readFileSync(empty, 'utf8')).toBe('');
  });

  it('without credentials, sync exits 4 and names the variables to set', async () => {
    const result = await runCli(['sync', '--archive', join(tempDir(), 'a.sqlite'), '--dc', 'eu']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET, CLIQ_REFRESH_TOKEN');
  });

  it('simulate + sync + stats + export, all through the CLI', async () => {
    const dir = tempDir();
    const simulate = spawnCli(['simulate', '--scale', 'tiny', '--seed', '3', '--quota-scale', '1000', '--json']);
    const line = await new Promise<string>((resolve) => simulate.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    const sim = JSON.parse(line) as { apiBase: string; accountsBase: string; admin: { clientId: string; clientSecret: string; refreshToken: string } };
    const exited = finished(simulate);
    try {
      const env = { CLIQ_CLIENT_ID: sim.admin.clientId, CLIQ_CLIENT_SECRET: sim.admin.clientSecret, CLIQ_REFRESH_TOKEN: sim.admin.refreshToken };
      const archive = join(dir, 'vault.sqlite');
      const sync = await runCli(['sync', '--archive', archive, '--api-base', sim.apiBase, '--accounts-base', sim.accountsBase, '--quota-scale', '1000', '--json'], env);
      expect(sync.code, sync.stderr).toBe(0);
      const report = lastJson(sync) as { status: string; counts: Record<string, number>; calls: Record<string, number>; rateLimitedTotal: number };
      expect(report.status).toBe('complete');
      expect(report.rateLimitedTotal).toBe(0);
      expect(report.counts.messagesNew).toBeGreaterThan(0);

      const stats = await runCli(['stats', '--archive', archive, '--json']);
      expect(stats.code).toBe(0);
      const s = lastJson(stats) as { messages: { live: number }; lastRuns: { status: string }[] };
      expect(s.messages.live).toBe(report.counts.messagesNew);
      expect(s.lastRuns[0]?.status).toBe('complete');
      expect((await runCli(['stats', '--archive', archive])).stdout).toMatch(/Coverage: +\d+\/\d+ conversations complete/);

      const out = join(dir, 'messages.jsonl');
      const exported = await runCli(['export', '--archive', archive, '--what', 'messages', '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(s.messages.live);
      const first = JSON.parse(lines[0] ?? '{}') as { chat_id: unknown; message_id: unknown; time: unknown; raw: { id: unknown } };
      expect(typeof first.chat_id).toBe('string');
      expect(typeof first.message_id).toBe('string');
      expect(typeof first.time).toBe('number');
      expect(first.raw.id).toBe(first.message_id);
      // Byte-identical on a second export: deterministic order, verbatim payloads.
      const again = join(dir, 'again.jsonl');
      await runCli(['export', '--archive', archive, '--what', 'messages', '--out', again]);
      expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
      for (const what of ['chats', 'channels', 'threads', 'members', 'memberships', 'users', 'runs', 'seals']) {
        const result = await runCli(['export', '--archive', archive, '--what', what, '--out', join(dir, `${what}.jsonl`), '--json']);
        expect(result.code, what).toBe(0);
        expect((lastJson(result) as { rows: number }).rows, what).toBeGreaterThan(0);
      }

      // --all: every kind beside a manifest; the messages file is the same bytes as --what messages.
      const all = join(dir, 'all');
      const everything = await runCli(['export', '--archive', archive, '--all', '--out', all, '--json']);
      expect(everything.code, everything.stderr).toBe(0);
      const summary = lastJson(everything) as { dir: string; files: { kind: string; path: string; rows: number; sha256: string }[] };
      expect(summary.dir).toBe(all);
      expect(readdirSync(all).sort()).toEqual([...summary.files.map((f) => f.path), 'manifest.json'].sort());
      expect(readFileSync(join(all, 'messages.jsonl')).equals(readFileSync(out))).toBe(true);
      const manifest = JSON.parse(readFileSync(join(all, 'manifest.json'), 'utf8')) as { files: unknown[]; archive: { path: string } };
      expect(manifest.files).toEqual(summary.files);
      expect(manifest.archive.path).toBe(archive);
      // A folder that holds anything is refused (exit 2) and left as it was.
      const refused = await runCli(['export', '--archive', archive, '--all', '--out', all]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`${all} is not empty.`);
      expect(readdirSync(all)).toHaveLength(summary.files.length + 1);
    } finally {
      simulate.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
  });

  it('exit 4 for a non-admin account, with the reason', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const result = await runCli(syncArgs(sim, join(tempDir(), 'a.sqlite')), credentialsEnv(sim, 'member'));
    expect(result.code).toBe(4);
    expect(result.stdout + result.stderr).toMatch(/not an organization admin/);
  });

  it('exit 3 while another process holds the archive', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    const holder = openArchive(path);
    expect(holder.lease.acquire({ holder: 'test app', pid: process.pid, host: hostname() }, 60_000).ok).toBe(true);
    const result = await runCli(syncArgs(sim, path), credentialsEnv(sim));
    holder.close();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/being written by another process \(test app/);
  });

  it('exit 5 when rate-limited beyond --max-rate-wait; the next run waits out the saved lock and completes', async () => {
    const sim = await simulator({ scale: 'tiny', quotaScale: 600, faults: [{ family: 'maint.messages', kind: '429', after: 1, times: 1 }] });
    const path = join(tempDir(), 'a.sqlite');
    const partial = await runCli([...syncArgs(sim, path), '--max-rate-wait', '10ms', '--json'], credentialsEnv(sim));
    expect(partial.code).toBe(5);
    expect(lastJson(partial) as { status: string; rateLimitedTotal: number }).toMatchObject({ status: 'partial', rateLimitedTotal: 1 });
    const resumed = await runCli(syncArgs(sim, path), credentialsEnv(sim));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });

  it('demo archives the built-in org and says where', async () => {
    const path = join(tempDir(), 'demo.sqlite');
    const result = await runCli(['demo', '--scale', 'tiny', '--archive', path]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Sync complete/);
    expect(result.stdout).toContain(`Archive: ${path}`);
    // A second run finds the org a day further on: edits, deletions, joins and leaves to archive.
    const again = await runCli(['demo', '--scale', 'tiny', '--archive', path, '--json']);
    const day = lastJson(again) as { demoDay: number; counts: { messagesNew: number; messagesChanged: number; messagesDeleted: number; membersLeft: number } };
    expect(day.demoDay).toBe(1);
    expect(day.counts.messagesNew).toBeGreaterThan(0);
    expect(day.counts.messagesChanged).toBeGreaterThan(0);
    expect(day.counts.messagesDeleted).toBeGreaterThan(0);
    expect(day.counts.membersLeft).toBeGreaterThan(0);
    const text = await runCli(['demo', '--scale', 'tiny', '--archive', path]);
    expect(text.stderr).toMatch(/Day 2 of the demo org since the first sync: \d+ messages edited, \d+ deleted/);
    // --fresh starts over: the archive and its downloaded files are deleted, then made again.
    const planted = join(`${path}.files`, 'planted');
    writeFileSync(planted, 'left from before');
    const fresh = await runCli(['demo', '--scale', 'tiny', '--archive', path, '--fresh', '--json']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect((lastJson(fresh) as { counts: { messagesNew: number; filesStored: number } }).counts.messagesNew).toBeGreaterThan(0);
    expect(existsSync(planted)).toBe(false);
    expect((lastJson(fresh) as { counts: { filesStored: number } }).counts.filesStored).toBeGreaterThan(0);
  });

  it('export to a folder that does not exist fails clearly', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await runCli(syncArgs(sim, path), credentialsEnv(sim));
    const result = await runCli(['export', '--archive', path, '--what', 'users', '--out', join(tempDir(), 'no', 'such', 'dir', 'u.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not write .*ENOENT[\s\S]*folder exists/);
  });
});
