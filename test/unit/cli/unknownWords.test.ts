import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../../electron/cli/unknownWords';
import { runInProcess } from '../../helpers/inProcessCli';

describe('an unknown flag or command', () => {
  it('is named, with the nearest flag of that command, even when a required flag is then missing', async () => {
    const cases: [string[], string][] = [
      [['search', '--achive', 'a.sqlite', 'budget'], 'Unknown option --achive for `search`. Did you mean --archive?'],
      [['search', '--archive', 'a.sqlite', '--form', '2026-01-01'], 'Unknown option --form for `search`. Did you mean --from?'],
      [['audit', '--out', 'b', '--arhcive', 'a.sqlite'], 'Unknown option --arhcive for `audit`. Did you mean --archive?'],
      [['transcript', '--archive', 'a.sqlite', '--chta', 'c1'], 'Unknown option --chta for `transcript`. Did you mean --chat?'],
      [['stats', '--arch', 'a.sqlite'], 'Unknown option --arch for `stats`. Did you mean --archive?'],
      [['stats', '--archive=a.sqlite', '--jsno=1'], 'Unknown option --jsno for `stats`. Did you mean --json?'],
      [['auth', 'exchange', '--cdoe', 'x'], 'Unknown option --cdoe for `auth exchange`. Did you mean --code?'],
      [['stats', '--archive', 'a.sqlite', '--frobnicate'], 'Unknown option --frobnicate for `stats`.\n'],
      [['stats', '-q'], 'Unknown option -q for `stats`.\n'],
      [['stats', '-archive', 'a.sqlite'], 'Unknown option -archive for `stats`. Did you mean --archive?'],
    ];
    for (const [args, message] of cases) {
      const result = await runInProcess(args);
      expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toContain(`cliq-vault: ${message}`);
      expect(result.stderr).not.toMatch(/required option|not specified/);
      expect(result.stderr).toContain(`See \`cliq-vault ${args[0] === 'auth' ? 'auth exchange' : args[0]} --help\` for its options.`);
    }
  });

  it('names an unknown command with the nearest one, at the top and under a group', async () => {
    const top = await runInProcess(['serch', '--archive', 'a.sqlite', 'budget']);
    expect(top.code).toBe(2);
    expect(top.stderr).toBe('cliq-vault: Unknown command serch. Did you mean search?\n  See `cliq-vault --help` for the commands.\n');
    const nested = await runInProcess(['auth', 'exchang']);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain('Unknown command exchang for `auth`. Did you mean exchange?');
    const far = await runInProcess(['frobnicate']);
    expect(far.stderr).toBe('cliq-vault: Unknown command frobnicate.\n  See `cliq-vault --help` for the commands.\n');
  });

  it('leaves words after -- and valid flags alone, and --help still works', async () => {
    const help = await runInProcess(['search', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cliq-vault search');
    // `--` ends the flags: what follows is the query, and the archive is what is missing.
    const words = await runInProcess(['search', '--archive', '/nonexistent/a.sqlite', '--', '--achive']);
    expect(words.code).toBe(2);
    expect(words.stderr).toContain('No archive at');
  });
});

describe('nearest', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('form', 'from')).toBe(1);
    expect(editDistance('achive', 'archive')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only near words, every one at the best distance, or the words a prefix starts', () => {
    expect(nearest('achive', ['archive', 'out', 'json'])).toEqual(['archive']);
    expect(nearest('tx', ['to', 'tz', 'json'])).toEqual(['to', 'tz']);
    expect(nearest('zzzzzz', ['archive', 'out'])).toEqual([]);
    expect(nearest('arch', ['archive', 'json'])).toEqual(['archive']);
    expect(nearest('jsno', ['json', 'jsonl'])).toEqual(['json']);
    expect(nearest('archive', ['archive', 'out'])).toEqual(['archive']);
  });
});
