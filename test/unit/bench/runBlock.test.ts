import { describe, expect, it } from 'vitest';
import { spliceRunBlock } from '../../../bench/runBlock';

const marker = (key: string) => `<!-- bench run: ${key} (written by the bench; edit outside these markers) -->`;

describe("a run's block of BENCHMARKS.md", () => {
  it('starts the file when there is none', () => {
    const md = spliceRunBlock(undefined, 'large', '## run\n\n| a |\n');
    expect(md).toBe(`# Benchmarks\n\n${marker('large')}\n## run\n\n| a |\n<!-- /bench run: large -->\n`);
  });

  it('replaces only its own block, keeping what people wrote and the other runs', () => {
    const first = spliceRunBlock(undefined, 'large', 'large, first');
    const withNotes = `${first}\n## Notes written by hand\n\nThe 10M figures grow linearly.\n`;
    const both = spliceRunBlock(withNotes, 'huge', 'huge, first');
    const again = spliceRunBlock(both, 'large', 'large, second\nwith two lines');
    expect(again).toContain('large, second\nwith two lines\n<!-- /bench run: large -->');
    expect(again).not.toContain('large, first');
    expect(again).toContain('huge, first');
    expect(again).toContain('## Notes written by hand\n\nThe 10M figures grow linearly.\n');
    // The order stays: the large block, the notes, then the huge block added at the end.
    expect(again.indexOf(marker('large'))).toBeLessThan(again.indexOf('## Notes'));
    expect(again.indexOf('## Notes')).toBeLessThan(again.indexOf(marker('huge')));
    // Running the same kind twice changes nothing more.
    expect(spliceRunBlock(again, 'large', 'large, second\nwith two lines')).toBe(again);
  });

  it('refuses a block whose end was deleted, or that is there twice', () => {
    const cut = `# Benchmarks\n\n${marker('large')}\nold table\n\n## Notes\n`;
    expect(() => spliceRunBlock(cut, 'large', 'new')).toThrow(/not its end/);
    const twice = `${spliceRunBlock(undefined, 'large', 'a')}\n${marker('large')}\nb\n<!-- /bench run: large -->\n`;
    expect(() => spliceRunBlock(twice, 'large', 'new')).toThrow(/twice/);
  });
});
