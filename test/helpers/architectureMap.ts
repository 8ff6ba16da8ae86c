/**
 * Reads the map of `electron/core/` in docs/architecture.md (used by
 * test/unit/docs/architectureMap.test.ts).
 *
 * The map is the fenced code block whose first line is exactly `electron/core/`. Inside it:
 * - a line whose first token (after its indentation) ends in `.ts` or `/` is an entry; any other
 *   line continues the description above it;
 * - an entry's names are the space-separated tokens before the first run of two or more spaces
 *   (after that comes the description, which never counts, whatever files it mentions); every
 *   name must end in `.ts` or `/`;
 * - a name is a path relative to the folder the line sits in, which is the nearest entry above it
 *   that ends in `/` and is indented less (the block's first line is `electron/core/` itself). So
 *   `index.ts` indented under `migrations/` means `archive/migrations/index.ts`, and
 *   `export/jsonlExport.ts` directly under the root means `export/jsonlExport.ts`.
 *
 * A source file counts as named when its path relative to electron/core is one of those paths:
 * a mention in prose, in a description or in another folder's block does not count. Every name in
 * the map must also exist, so a file that is removed or renamed cannot linger.
 */

export interface MapEntry {
  /** Relative to electron/core; folders end with `/`. */
  path: string;
  line: number;
}

export const coreRoot = 'electron/core/';

const fence = /^\s*(```|~~~)/;
const isName = (token: string) => token.endsWith('.ts') || token.endsWith('/');

/** The entries of the map, and what is wrong with its shape. */
export function parseCoreMap(markdown: string): { entries: MapEntry[]; problems: string[] } {
  const lines = markdown.split('\n');
  const problems: string[] = [];
  const blocks: number[] = [];
  let inFence = false;
  lines.forEach((text, index) => {
    if (!fence.test(text)) return;
    if (!inFence && lines[index + 1] === coreRoot) blocks.push(index + 1);
    inFence = !inFence;
  });
  if (blocks.length !== 1) return { entries: [], problems: [`expected one code block starting with the line "${coreRoot}", found ${blocks.length}`] };

  const entries: MapEntry[] = [];
  const folders: { indent: number; path: string }[] = [{ indent: 0, path: '' }];
  for (let index = (blocks[0] ?? 0) + 1; index < lines.length; index++) {
    const text = lines[index] ?? '';
    if (fence.test(text)) break;
    const content = text.trimStart();
    const first = content.split(/\s+/)[0] ?? '';
    if (!isName(first)) continue;
    const indent = text.length - content.length;
    const line = index + 1;
    while (folders.length > 1 && (folders.at(-1)?.indent ?? 0) >= indent) folders.pop();
    if (indent === 0) problems.push(`line ${line}: "${first}" is not indented under ${coreRoot}`);
    const folder = folders.at(-1)?.path ?? '';
    const names = (content.split(/\s{2,}/)[0] ?? '').split(' ');
    for (const name of names) {
      if (!isName(name)) {
        problems.push(`line ${line}: "${name}" in the name column is neither a .ts file nor a folder/`);
        continue;
      }
      entries.push({ path: folder + name, line });
    }
    const last = names.at(-1) ?? '';
    if (names.length === 1 && last.endsWith('/')) folders.push({ indent, path: folder + last });
  }
  return { entries, problems };
}

/**
 * Compares the map with the source files (paths relative to electron/core). Returns one message
 * per problem: files the map does not name, names that do not exist, names given twice.
 */
export function checkCoreMap(markdown: string, files: readonly string[]): string[] {
  const { entries, problems } = parseCoreMap(markdown);
  if (entries.length === 0) return problems.length > 0 ? problems : ['the map names no file'];
  const named = new Map<string, number>();
  for (const entry of entries) {
    const earlier = named.get(entry.path);
    if (earlier !== undefined) problems.push(`line ${entry.line}: ${entry.path} is already named on line ${earlier}`);
    else named.set(entry.path, entry.line);
  }
  const existing = new Set(files);
  const folders = new Set(
    files.flatMap((file) =>
      file
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => `${parts.slice(0, i + 1).join('/')}/`),
    ),
  );
  for (const [path, line] of named) {
    if (!existing.has(path) && !folders.has(path)) problems.push(`line ${line}: the map names ${coreRoot}${path}, which does not exist`);
  }
  for (const file of files) if (!named.has(file)) problems.push(`${coreRoot}${file} is not in the map of docs/architecture.md`);
  return problems;
}
