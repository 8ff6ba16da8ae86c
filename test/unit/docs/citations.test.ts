import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCitations, cliqApiDoc, formatProblem, parseSections } from '../../helpers/cliqApiCitations';

/**
 * Every citation of docs/cliq-api.md in the repository's sources and docs names a section that
 * exists there, and nothing cites the copy that used to live outside the repository. The rules
 * (heading format, what counts as a citation) are at the top of test/helpers/cliqApiCitations.ts.
 */

const root = join(import.meta.dirname, '..', '..', '..');
const scanned = ['electron', 'shared', 'renderer', 'test', 'bench', 'scripts', 'docs', 'README.md'];
const extensions = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|md|html|css|ya?ml)$/;
const skipped = new Set(['node_modules', 'dist', '.tsbuild', 'test-results']);

function filesUnder(path: string): string[] {
  const entries = readdirSync(path, { withFileTypes: true });
  return entries.flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const full = join(path, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && extensions.test(entry.name) ? [full] : [];
  });
}

function scannedFiles(): string[] {
  return scanned.flatMap((name) => (name.includes('.') ? [join(root, name)] : filesUnder(join(root, name))));
}

const rel = (path: string) => relative(root, path).split(sep).join('/');
const sign = '\u00a7';

describe('citations of docs/cliq-api.md', () => {
  it('its headings number every part and section in the one format', () => {
    const { sections, problems } = parseSections(readFileSync(join(root, cliqApiDoc), 'utf8'));
    expect(problems.map(formatProblem)).toEqual([]);
    // The parts the code cites most; a restructuring that loses them should be deliberate.
    for (const section of ['2.3', '3.7', '4.5', '5.3', '6.7', '9.1', '10']) expect(sections.has(section)).toBe(true);
  });

  it('every citation in the repository names a section that exists', () => {
    const { sections } = parseSections(readFileSync(join(root, cliqApiDoc), 'utf8'));
    const files = scannedFiles();
    // The scan must reach the sources it is about (a wrong root would pass vacuously).
    expect(files.map(rel)).toEqual(expect.arrayContaining(['electron/core/sync/messageWalker.ts', 'electron/simulator/options.ts', 'docs/architecture.md', 'README.md']));
    const problems = files.flatMap((file) => checkCitations(rel(file), readFileSync(file, 'utf8'), sections));
    expect(problems.map(formatProblem)).toEqual([]);
  });
});

describe('the citation checker', () => {
  const doc = ['# Title', '', '## 1. Sources', '### 1.1 Labels', '```', '## 9. inside a fence, not a heading', '```', '## 2. Hosts', '### 2.3 Networks', ''].join('\n');
  const { sections } = parseSections(doc);
  const outside = cliqApiDoc.replace('docs/', '../shared/');

  it('reads parts and sections from their headings only', () => {
    expect([...sections].sort()).toEqual(['1', '1.1', '2', '2.3']);
  });

  it('reports headings out of format, out of place or repeated', () => {
    const bad = ['## 1. One', '### 1.1 Fine', '### 1.2. Extra dot', '## Notes', '### 2.1 Under part 1', '## 1. Again'].join('\n');
    expect(parseSections(bad, 'doc.md').problems.map(formatProblem)).toEqual([
      'doc.md:3: heading "### 1.2. Extra dot" is not "## N. Title" or "### N.M Title"',
      'doc.md:4: heading "## Notes" is not "## N. Title" or "### N.M Title"',
      'doc.md:5: section 2.1 sits under part 1',
      'doc.md:6: section 1 is defined twice',
    ]);
  });

  it('accepts citations of sections that exist', () => {
    const text = [`// See ${cliqApiDoc} ${sign}2.3 and ${sign}1.`, `// Bare ones (${sign}1.1, ${sign}2) count as the same document.`].join('\n');
    expect(checkCitations('a.ts', text, sections)).toEqual([]);
  });

  it('fails on a section that does not exist, naming the file and line', () => {
    const text = ['const x = 1;', `// Cliq pages by time (${cliqApiDoc} ${sign}4.7).`, `// A range ${sign}1.1–2.9 needs both ends.`].join('\n');
    expect(checkCitations('electron/core/x.ts', text, sections).map(formatProblem)).toEqual([
      `electron/core/x.ts:2: cites ${sign}4.7, which is not a section of ${cliqApiDoc}`,
      `electron/core/x.ts:3: cites ${sign}2.9, which is not a section of ${cliqApiDoc}`,
    ]);
  });

  it('fails on the copy outside the repository and on other spellings', () => {
    const text = [`// as ${outside} documents (${sign}2.3)`, `// see ${cliqApiDoc.replace('docs/', '')} ${sign}1`].join('\n');
    expect(checkCitations('b.ts', text, sections).map(formatProblem)).toEqual([
      `b.ts:1: cites ${outside}, which is outside the repository: cite ${cliqApiDoc}`,
      `b.ts:2: names ${cliqApiDoc.replace('docs/', '')}: spell it ${cliqApiDoc}`,
      `b.ts:1: uses section numbers but never names ${cliqApiDoc}, so a reader cannot tell what they cite`,
    ]);
  });

  it('fails on a section sign without a number', () => {
    expect(checkCitations('c.md', `${cliqApiDoc} ${sign} 2.3, and ${sign}N`, sections).map(formatProblem)).toEqual([
      `c.md:1: a section sign that names no section number: "${sign} 2.3"`,
      `c.md:1: a section sign that names no section number: "${sign}"`,
    ]);
  });
});
