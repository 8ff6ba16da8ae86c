import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leanMalloc, smallHeapFlag, withLeanMalloc, youngGenerationFlag } from '../../../electron/core/util/heapPolicy';
import { cliEntry } from '../../helpers/cli';
import { useTempDir } from '../../helpers/tempDir';

/**
 * The CLI launcher sets the small-heap flag itself, before the bundle (and heapPolicy.ts with it)
 * is loaded: the two spellings must not drift apart, or the CLI and the app service would run
 * with different heaps and the bench's sync figures would no longer describe the app.
 */
describe('the small-heap policy', () => {
  it('is the flag the CLI launcher sets before loading anything', () => {
    const launcher = readFileSync(join(import.meta.dirname, '..', '..', '..', 'bin', 'cliq-vault.mjs'), 'utf8');
    const set = [...launcher.matchAll(/setFlagsFromString\('([^']+)'\)/g)].map((m) => m[1]);
    expect(set).toEqual([smallHeapFlag]);
    // Before the bundle is imported.
    expect(launcher.indexOf('setFlagsFromString')).toBeLessThan(launcher.indexOf("import('../dist/cli/cliq-vault.mjs')"));
  });

  it('starts a process with at most two malloc arenas and a fixed mmap threshold, unless the user chose them', () => {
    expect(withLeanMalloc({ PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(withLeanMalloc({ PATH: '/bin', MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '65536' });
  });

  it('is the malloc the CLI launcher sets', () => {
    const launcher = readFileSync(join(import.meta.dirname, '..', '..', '..', 'bin', 'cliq-vault.mjs'), 'utf8');
    expect(launcher).toContain(`MALLOC_ARENA_MAX: '${leanMalloc.MALLOC_ARENA_MAX}'`);
    expect(launcher).toContain(`MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '${leanMalloc.MALLOC_MMAP_THRESHOLD_}'`);
  });

  it('is the young generation the CLI launcher gives a sync', () => {
    const launcher = readFileSync(join(import.meta.dirname, '..', '..', '..', 'bin', 'cliq-vault.mjs'), 'utf8');
    expect(launcher).toContain(`process.argv[2] === 'sync' ? ['${youngGenerationFlag}'] : []`);
  });

  const tempDir = useTempDir();

  /** Runs the launcher with a preload that records, in each process it starts, its pid and MALLOC_ARENA_MAX. */
  function launch(args: string[], env: NodeJS.ProcessEnv): { stdout: string; seen: string[] } {
    const dir = tempDir();
    const probe = join(dir, 'probe.mjs');
    const log = join(dir, 'seen.log');
    writeFileSync(
      probe,
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(log)}, process.pid + ' ' + (process.env.MALLOC_ARENA_MAX ?? '-') + ' ' + (process.env.MALLOC_MMAP_THRESHOLD_ ?? '-') + ' ' + (process.execArgv.filter((a) => a.startsWith('--max-semi-space-size')).join(',') || '-') + '\\n');\n`,
    );
    const stdout = execFileSync(process.execPath, [cliEntry, ...args], { env: { ...env, NODE_OPTIONS: `--import ${probe}` }, encoding: 'utf8' });
    return { stdout, seen: readFileSync(log, 'utf8').trim().split('\n') };
  }

  it.runIf(process.platform === 'linux')('a sync replaces itself once, same pid, with two malloc arenas; a chosen number is kept; a quick command starts once', () => {
    const { PATH, HOME } = process.env;
    const fresh = launch(['sync', '--help'], { PATH, HOME });
    expect(fresh.stdout).toMatch(/^Usage: cliq-vault sync/);
    expect(fresh.seen).toHaveLength(2);
    const [first, second] = fresh.seen.map((line) => line.split(' '));
    expect(first?.slice(1)).toEqual(['-', '-', '-']);
    // The same process, with the malloc settings and a sync's capped young generation.
    expect(second).toEqual([first?.[0], '2', '131072', youngGenerationFlag]);

    const chosen = launch(['sync', '--help'], { PATH, HOME, MALLOC_ARENA_MAX: '4' });
    expect(chosen.stdout).toBe(fresh.stdout);
    expect(chosen.seen).toEqual([expect.stringMatching(/^\d+ 4 - -$/)]);

    const threshold = launch(['sync', '--help'], { PATH, HOME, MALLOC_MMAP_THRESHOLD_: '65536' });
    expect(threshold.seen.map((line) => line.split(' ').slice(1))).toEqual([
      ['-', '65536', '-'],
      ['2', '65536', youngGenerationFlag],
    ]);

    const quick = launch(['--version'], { PATH, HOME });
    expect(quick.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(quick.seen).toEqual([expect.stringMatching(/^\d+ - - -$/)]);

    // serve replaces itself for the malloc settings alone: its young generation is V8's.
    const serve = launch(['serve', '--help'], { PATH, HOME });
    expect(serve.seen.map((line) => line.split(' ').slice(1))).toEqual([
      ['-', '-', '-'],
      ['2', '131072', '-'],
    ]);
  });
});
