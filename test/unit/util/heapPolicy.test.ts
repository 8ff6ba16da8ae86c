import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallHeapFlag, withFewMallocArenas } from '../../../electron/core/util/heapPolicy';

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

  it('starts a process with at most two malloc arenas unless the user chose a number', () => {
    expect(withFewMallocArenas({ PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    expect(withFewMallocArenas({ PATH: '/bin', MALLOC_ARENA_MAX: '4' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '4' });
  });
});
