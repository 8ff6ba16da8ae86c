import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsEnv, runCli, syncArgs, type CliResult } from '../helpers/cli';
import { useSimulators } from '../helpers/sim';
import { useTempDir } from '../helpers/tempDir';
import { filesUnder, isolatedHome } from './serveChild';

/**
 * Every CLI command given malformed flags: the built CLI exits 2 (usage) with a message that names
 * the flag, and changes no file — the archive (a copy of a synced one) and everything under a
 * private HOME stay byte-identical.
 */

/** `[command words, malformed flags, the flag the message must name]`; `A` stands for the archive copy, `D` for a folder. */
type Case = [string[], string[], string];

const unknownFlag = '--no-such-flag';

const cases: Case[] = [
  [['sync'], ['--archive', 'A', '--quota-scale', '0'], '--quota-scale'],
  [['sync'], ['--archive', 'A', '--quota-scale', 'lots'], '--quota-scale'],
  [['sync'], ['--archive', 'A', '--max-rate-wait', 'forever'], '--max-rate-wait'],
  [['sync'], ['--archive', 'A', '--log-level', 'loud'], '--log-level'],
  [['sync'], ['--archive', 'A', '--files', 'some'], '--files'],
  [['sync'], ['--archive', 'A', '--files-max-mb', '-5'], '--files-max-mb'],
  [['sync'], ['--archive', 'A', '--files-max-mb', 'huge'], '--files-max-mb'],
  [['sync'], ['--archive', 'A', '--reactions-per-run', '-3'], '--reactions-per-run'],
  [['sync'], ['--archive', 'A', '--reactions-per-run', 'all'], '--reactions-per-run'],
  [['sync'], ['--archive', 'A', '--dc', 'eu', '--quota', 'messages=many'], '--quota'],
  [['sync'], ['--archive', 'A', '--dc', 'mars'], '--dc'],
  [['sync'], ['--archive', 'A', '--api-base', 'not a url'], '--api-base'],
  [['sync'], ['--archive'], '--archive'],
  [['stats'], ['--archive', 'A', '--runs', '0'], '--runs'],
  [['stats'], ['--archive', 'A', '--runs', 'ten'], '--runs'],
  [['stats'], ['--archive', 'A', '--tz', 'Mars/Olympus_Mons'], '--tz'],
  [['search'], ['--archive', 'A', '--limit', '0', 'x'], '--limit'],
  [['search'], ['--archive', 'A', '--limit', '1e9'], '--limit'],
  [['search'], ['--archive', 'A', '--kind', 'alien'], '--kind'],
  [['search'], ['--archive', 'A', '--deleted', 'never'], '--deleted'],
  [['search'], ['--archive', 'A', '--from', '31/01/2026'], '--from'],
  [['search'], ['--archive', 'A', '--to', '2026-02-30'], '--to'],
  [['search'], ['--archive', 'A', '--tz', 'Mars/Olympus_Mons'], '--tz'],
  [['search'], ['--archive', 'A', '--context', '-1'], '--context'],
  [['search'], ['--archive', 'A', '--cursor', 'not-a-cursor'], '--cursor'],
  [['transcript'], ['--archive', 'A', '--chat', 'x', '--limit', '0'], '--limit'],
  [['transcript'], ['--archive', 'A', '--chat', 'x', '--around', 'middle'], '--around'],
  [['transcript'], ['--archive', 'A', '--chat', 'x', '--before', '1.5'], '--before'],
  [['transcript'], ['--archive', 'A', '--chat', 'x', '--tz', 'Mars/Olympus_Mons'], '--tz'],
  [['export'], ['--archive', 'A', '--what', 'everything', '--out', 'D/out.jsonl'], '--what'],
  [['export'], ['--archive', 'A', '--what', 'chats', '--format', 'csv', '--out', 'D/out.jsonl'], '--format'],
  [['export'], ['--archive', 'A', '--what', 'chats'], '--out'],
  [['export'], ['--archive', 'A', '--what', 'chats', '--all', '--out', 'D/all'], '--all'],
  [['export'], ['--archive', 'A', '--out', 'D/out.jsonl'], '--what'],
  [['export'], ['--archive', 'A', '--what', 'versions', '--format', 'csv', '--out', 'D/out.jsonl'], '--format'],
  [['export'], ['--archive', 'A', '--all', '--format', 'csv', '--out', 'D/all'], '--format'],
  [['export'], ['--archive', 'A', '--all'], '--out'],
  [['audit'], ['--archive', 'A', '--out', 'D/bundle', '--kind', 'alien'], '--kind'],
  [['audit'], ['--archive', 'A', '--out', 'D/bundle', '--deleted', 'never'], '--deleted'],
  [['audit'], ['--archive', 'A', '--out', 'D/bundle', '--format', 'xml'], '--format'],
  [['audit'], ['--archive', 'A', '--out', 'D/bundle', '--ids', 'scientific'], '--ids'],
  [['audit'], ['--archive', 'A', '--out', 'D/bundle', '--from', '2026-13-45'], '--from'],
  [['audit'], ['--archive', 'A', '--out', 'D/bundle', '--tz', 'Mars/Olympus_Mons'], '--tz'],
  [['audit'], ['--archive', 'A'], '--out'],
  [['verify'], [], '--archive'],
  [['backup'], ['--archive', 'A', '--to', 'D', '--keep', '0'], '--keep'],
  [['backup'], ['--archive', 'A', '--to', 'D', '--keep', 'all'], '--keep'],
  [['backup'], ['--archive', 'A'], '--to'],
  [['restore'], ['--archive', 'A'], '--from'],
  [['schedule'], ['--archive', 'A', '--backup-dir', 'D', '--dc', 'eu', '--time', '25:00'], '--time'],
  [['schedule'], ['--archive', 'A', '--backup-dir', 'D', '--dc', 'eu', '--days', 'someday'], '--days'],
  [['schedule'], ['--archive', 'A', '--backup-dir', 'D', '--dc', 'eu', '--keep', '0'], '--keep'],
  [['schedule'], ['--archive', 'A', '--backup-dir', 'D', '--dc', 'eu', '--reactions-per-run', '1.5'], '--reactions-per-run'],
  [['schedule'], ['--archive', 'A', '--backup-dir', 'D', '--dc', 'eu', '--platform', 'beos'], '--platform'],
  [['schedule'], ['--archive', 'A', '--backup-dir', 'D', '--dc', 'eu', '--kind', 'at'], '--kind'],
  [['schedule'], ['--archive', 'A', '--backup-dir', 'D', '--dc', 'eu', '--max-rate-wait', 'forever', '--install'], '--max-rate-wait'],
  [['schedule'], ['--archive', 'A', '--backup-dir', 'D', '--dc', 'eu', '--name', '../../evil', '--install'], '--name'],
  [['serve'], ['--port', 'eighty'], '--port'],
  [['serve'], ['--port', '70000'], '--port'],
  [['serve'], ['--log-level', 'loud'], '--log-level'],
  [['demo'], ['--archive', 'D/demo.sqlite', '--scale', 'huge'], '--scale'],
  [['demo'], ['--archive', 'D/demo.sqlite', '--seed', 'x'], '--seed'],
  [['simulate'], ['--port', '-1'], '--port'],
  [['simulate'], ['--scale', 'gigantic'], '--scale'],
  [['simulate'], ['--messages-mode', 'sometimes'], '--messages-mode'],
  [['simulate'], ['--quota-scale', '0'], '--quota-scale'],
  [['simulate'], ['--truncate-at', '0'], '--truncate-at'],
  [['simulate'], ['--token-ttl', 'soon'], '--token-ttl'],
  [['simulate'], ['--accounts-port', '99999'], '--accounts-port'],
  [['stats'], ['--archive'], '--archive'],
  [['search'], ['--archive', 'A', '--limit', '501'], '--limit'],
  [['export'], ['--archive', 'A', '--what', 'chats', '--out'], '--out'],
  [['auth', 'exchange'], ['--dc', 'eu'], '--code'],
  [['auth', 'exchange'], ['--code', 'x', '--dc', 'mars'], '--dc'],
  [['auth', 'revoke'], ['--dc', 'mars'], '--dc'],
];

const commands = [...new Set(cases.map(([words]) => words.join(' ')))];

describe('every CLI command refuses malformed flags: exit 2, the flag named, nothing changed', () => {
  const tempDir = useTempDir('cliq-vault-flags-');
  const simulator = useSimulators();
  let source: string;
  let sourceDir: string;

  beforeAll(async () => {
    // One synced archive for the whole file (useTempDir's folders go after each test), copied per case.
    const sim = await simulator({ scale: 'tiny', seed: 4 });
    sourceDir = mkdtempSync(join(tmpdir(), 'cliq-vault-flags-source-'));
    source = join(sourceDir, 'source.sqlite');
    const result = await runCli(syncArgs(sim, source), credentialsEnv(sim));
    expect(result.code, result.stderr).toBe(0);
  });
  afterAll(() => rmSync(sourceDir, { recursive: true, force: true }));

  /** Everything under `dir`, path → bytes (base64). */
  const state = (dir: string) => Object.fromEntries(filesUnder(dir).map((file) => [file, readFileSync(file).toString('base64')]));

  /** Runs `cases` a few at a time (two cores shared), each against its own copy. */
  async function runAll(list: Case[]): Promise<{ test: Case; result: CliResult; changed: boolean }[]> {
    const out: { test: Case; result: CliResult; changed: boolean }[] = [];
    const queue = [...list];
    const worker = async () => {
      for (let test = queue.shift(); test; test = queue.shift()) {
        const dir = tempDir();
        const archive = join(dir, 'a.sqlite');
        copyFileSync(source, archive);
        const folder = join(dir, 'folder');
        mkdirSync(folder);
        const env = isolatedHome(dir);
        for (const path of Object.values(env)) mkdirSync(path ?? '', { recursive: true });
        const before = state(dir);
        const args = [...test[0], ...test[1].map((a) => (a === 'A' ? archive : a.replace(/^D(?=\/|$)/, folder)))];
        const result = await runCli(args, env);
        out.push({ test, result, changed: JSON.stringify(state(dir)) !== JSON.stringify(before) });
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    return out;
  }

  /** Each failing case, described (all at once: one run shows every defect). */
  function problems(results: Awaited<ReturnType<typeof runAll>>): string[] {
    return results.flatMap(({ test, result, changed }) => {
      const what = `cliq-vault ${[...test[0], ...test[1]].join(' ')} → exit ${String(result.code)}: ${result.stderr.trim().split('\n').slice(0, 2).join(' / ')}`;
      const wrong = [
        result.code !== 2 && 'exit code',
        !result.stderr.includes(test[2]) && `no mention of ${test[2]}`,
        /\n\s+at .+:\d+:\d+/.test(result.stderr) && 'a stack trace',
        changed && 'files changed',
      ].filter((w): w is string => typeof w === 'string');
      return wrong.length > 0 ? [`${what} [${wrong.join(', ')}]`] : [];
    });
  }

  // Some 70 CLI processes, three at a time: a minute is short on a busy two-core machine.
  it(`${cases.length} malformed values across ${commands.length} commands`, { timeout: 180_000 }, async () => {
    expect(problems(await runAll(cases))).toEqual([]);
  });

  it('an unknown flag on every command, its required flags given', async () => {
    const required: Record<string, string[]> = {
      sync: ['--archive', 'A'],
      stats: ['--archive', 'A'],
      search: ['--archive', 'A'],
      transcript: ['--archive', 'A', '--chat', 'x'],
      export: ['--archive', 'A', '--what', 'chats', '--out', 'D/out.jsonl'],
      audit: ['--archive', 'A', '--out', 'D/bundle'],
      verify: ['--archive', 'A'],
      backup: ['--archive', 'A', '--to', 'D'],
      restore: ['--archive', 'A', '--from', 'D/x.sqlite'],
      schedule: ['--archive', 'A', '--backup-dir', 'D'],
      'auth exchange': ['--code', 'x'],
    };
    const list: Case[] = commands.map((command) => [command.split(' '), [...(required[command] ?? []), unknownFlag], unknownFlag]);
    expect(problems(await runAll(list))).toEqual([]);
  });
});
