import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../electron/core/cliq/dataCentres';
import { openArchiveDb } from '../../electron/core/archive/connection';
import { screenWords, VaultError } from '../../shared/errors';

const root = resolve(import.meta.dirname, '../..');
/** A CLI flag as a person would type it: `--archive`, `--no-files` (not `---`, not `var(--bad)`). */
const cliFlag = /(?<![\w-])--[a-z][a-z-]+/;
/** A command to type. */
const cliCommand = /`cliq-vault /;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** The text from `open` (an opening parenthesis) to its closing one, skipping strings, templates and comments. */
function callText(src: string, open: number): string {
  // Each level is code (with its bracket depth) or a template literal; `${` opens code inside one.
  const levels: ({ kind: 'code'; depth: number } | { kind: 'template' })[] = [{ kind: 'code', depth: 0 }];
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    const level = levels.at(-1);
    if (level === undefined) break;
    if (level.kind === 'template') {
      if (c === '\\') i += 1;
      else if (c === '`') levels.pop();
      else if (c === '$' && src[i + 1] === '{') {
        levels.push({ kind: 'code', depth: 0 });
        i += 1;
      }
    } else if (c === '/' && src[i + 1] === '/') i = src.indexOf('\n', i);
    else if (c === '/' && src[i + 1] === '*') i = src.indexOf('*/', i) + 1;
    else if (c === "'" || c === '"') {
      let j = i + 1;
      while (src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '`') levels.push({ kind: 'template' });
    else if (c === '{' || c === '(' || c === '[') level.depth += 1;
    else if (c === '}' && level.depth === 0 && levels.length > 1) levels.pop();
    else if (c === '}' || c === ')' || c === ']') {
      level.depth -= 1;
      if (levels.length === 1 && level.depth === 0) return src.slice(open, i + 1);
    }
  }
  throw new Error(`unbalanced call at ${open}`);
}

describe('errors in the words of whoever reads them', () => {
  it('every core error whose message or hint names a CLI flag or command also has words for the screens, without them', () => {
    const offenders: string[] = [];
    let checked = 0;
    for (const file of [...sources('electron/core'), ...sources('shared')]) {
      const src = readFileSync(join(root, file), 'utf8');
      for (const match of src.matchAll(/new VaultError\(/g)) {
        const text = callText(src, match.index + match[0].length - 1);
        const line = src.slice(0, match.index).split('\n').length;
        const uiAt = text.search(/\bui: \{/);
        const cliPart = uiAt < 0 ? text : text.slice(0, uiAt);
        const uiPart = uiAt < 0 ? '' : text.slice(uiAt);
        if (!cliFlag.test(cliPart) && !cliCommand.test(cliPart)) continue;
        checked += 1;
        if (uiAt < 0) offenders.push(`${file}:${line}: names the CLI but has no ui words`);
        else if (cliFlag.test(uiPart) || cliCommand.test(uiPart)) offenders.push(`${file}:${line}: its ui words name the CLI`);
      }
    }
    expect(offenders).toEqual([]);
    // The scan saw them (oauth's --dc, the archive's --archive, restore's commands, …).
    expect(checked).toBeGreaterThan(15);
  });

  it('no string the renderer shows names a CLI flag, but a command to copy in <code>', () => {
    const offenders: string[] = [];
    for (const file of sources('renderer/src')) {
      const src = readFileSync(join(root, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1')
        .replace(/var\(--[\w-]+\)/g, '')
        .replace(/<code>cliq-vault [^<]*<\/code>/g, '');
      src.split('\n').forEach((text, i) => {
        if (cliFlag.test(text)) offenders.push(`${file}:${i + 1}: ${text.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('screens get the words without flags; the CLI keeps its own', () => {
    let thrown: unknown;
    try {
      resolveEndpoints({});
    } catch (error) {
      thrown = error;
    }
    const error = thrown as VaultError;
    expect(error.message).toBe('No data centre given.');
    expect(error.hint).toContain('--dc');
    expect(screenWords(error.toShape())).toEqual({ message: 'No data centre given.', hint: expect.not.stringMatching(cliFlag) as unknown });
    const missing = (() => {
      try {
        openArchiveDb(join(root, 'no-such-dir', 'a.sqlite'), { readonly: true });
      } catch (e) {
        return e as VaultError;
      }
      throw new Error('opened');
    })();
    expect(missing.hint).toContain('--archive');
    expect(screenWords(missing.toShape()).hint).toBe('Check the archive path, or run a sync to create the archive first.');
    // Through a process boundary and back, the words for screens survive.
    expect(VaultError.fromShape(missing.toShape()).toShape()).toEqual(missing.toShape());
    // An error without them reads the same everywhere.
    expect(screenWords(new VaultError('NETWORK', 'Cliq did not answer.', { hint: 'Try again.' }).toShape())).toEqual({ message: 'Cliq did not answer.', hint: 'Try again.' });
  });
});
