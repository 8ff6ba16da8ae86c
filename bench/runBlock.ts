/**
 * BENCHMARKS.md holds one generated block per kind of run (the default 1M run, `--quick`,
 * `--scale 10m`, a given archive), between markers, and prose written by hand around them. A run
 * replaces its own block and nothing else: a `--quick` run on a working day must not wipe the
 * last 10M table or the notes that explain it.
 */

const start = (key: string) => `<!-- bench run: ${key} (written by the bench; edit outside these markers) -->`;
const end = (key: string) => `<!-- /bench run: ${key} -->`;

/**
 * `markdown` (the file as it is, or undefined when there is none) with the block of `key`
 * replaced by `body`; a block not there yet goes at the end. Throws on a block whose end marker
 * is missing or that appears twice, rather than guess which text a person wrote.
 */
export function spliceRunBlock(markdown: string | undefined, key: string, body: string): string {
  const block = `${start(key)}\n${body.trimEnd()}\n${end(key)}\n`;
  if (markdown === undefined || markdown.trim() === '') return `# Benchmarks\n\n${block}`;
  const from = markdown.indexOf(start(key));
  if (from === -1) return `${markdown.trimEnd()}\n\n${block}`;
  if (markdown.indexOf(start(key), from + 1) !== -1) throw new Error(`BENCHMARKS.md has the "${key}" run's block twice: keep one and run again.`);
  const to = markdown.indexOf(end(key), from);
  if (to === -1) throw new Error(`BENCHMARKS.md has the start of the "${key}" run's block but not its end (${end(key)}): restore it and run again.`);
  const after = markdown.slice(to + end(key).length).replace(/^\n/, '');
  return `${markdown.slice(0, from)}${block}${after}`;
}
