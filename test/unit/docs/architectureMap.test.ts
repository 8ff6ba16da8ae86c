import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCoreMap, parseCoreMap } from '../../helpers/architectureMap';

/**
 * docs/architecture.md maps every source file of electron/core/ (every .ts file but tests and
 * declaration files), and names nothing that is gone. What counts as "named" is defined at the top
 * of test/helpers/architectureMap.ts: the file's path, built from the name column of the
 * `electron/core/` code block and the folder its line is indented under — never a mention in prose
 * or in a description, so a bare `index.ts` counts only inside its own folder's block.
 */

const root = join(import.meta.dirname, '..', '..', '..');
const core = join(root, 'electron', 'core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.isFile() && entry.name.endsWith('.ts') && !/\.(test|spec|d)\.ts$/.test(entry.name) ? [relative(core, full).split(sep).join('/')] : [];
  });
}

describe('the map of electron/core in docs/architecture.md', () => {
  it('names every source file, and nothing that does not exist', () => {
    const files = sourceFiles(core);
    // A wrong folder would pass vacuously.
    expect(files).toEqual(expect.arrayContaining(['createCore.ts', 'app/createAppService.ts', 'archive/migrations/index.ts', 'sync/messageWalker.ts']));
    expect(checkCoreMap(readFileSync(join(root, 'docs', 'architecture.md'), 'utf8'), files)).toEqual([]);
  });
});

describe('the map checker', () => {
  const map = (...lines: string[]) => ['# Doc', '', 'Prose about archive/other.ts and index.ts.', '', '```', 'electron/core/', ...lines, '```', ''].join('\n');

  it('builds paths from the name column and the folder each line is indented under', () => {
    const doc = map(
      '  createCore.ts          composition root; see also sync/hidden.ts',
      '  archive/               the archive',
      '    connection.ts        pragmas and',
      '                         more description.ts that does not count',
      '    migrations/          one per step',
      '      index.ts           the list',
      '    archive.ts           openArchive',
      '  a.ts b.ts  two at once',
      '  export/jsonlExport.ts  a path',
    );
    expect(parseCoreMap(doc).entries.map((e) => e.path)).toEqual([
      'createCore.ts',
      'archive/',
      'archive/connection.ts',
      'archive/migrations/',
      'archive/migrations/index.ts',
      'archive/archive.ts',
      'a.ts',
      'b.ts',
      'export/jsonlExport.ts',
    ]);
  });

  it('fails for a file only mentioned in prose, in a description or in another folder', () => {
    const doc = map('  createCore.ts          also mentions sync/types.ts', '  index.ts               the wrong folder', '  archive/', '    archive.ts           ok');
    expect(checkCoreMap(doc, ['createCore.ts', 'archive/archive.ts', 'archive/other.ts', 'sync/types.ts', 'archive/migrations/index.ts'])).toEqual([
      'line 8: the map names electron/core/index.ts, which does not exist',
      'electron/core/archive/other.ts is not in the map of docs/architecture.md',
      'electron/core/sync/types.ts is not in the map of docs/architecture.md',
      'electron/core/archive/migrations/index.ts is not in the map of docs/architecture.md',
    ]);
  });

  it('fails for names that are gone, given twice or malformed, and for a missing map', () => {
    const doc = map('  createCore.ts  root', '  createCore.ts  again', '  gone.ts        removed', '  a.ts notes.md  two names');
    expect(checkCoreMap(doc, ['createCore.ts', 'a.ts'])).toEqual([
      'line 10: "notes.md" in the name column is neither a .ts file nor a folder/',
      'line 8: createCore.ts is already named on line 7',
      'line 9: the map names electron/core/gone.ts, which does not exist',
    ]);
    expect(checkCoreMap('no map here', ['a.ts'])).toEqual(['expected one code block starting with the line "electron/core/", found 0']);
  });
});
