import type { Command } from 'commander';
import { VaultError } from '../../shared/errors';

/**
 * Names an unknown command or flag before commander parses, with the nearest valid one. Commander
 * checks a command's required flags before its unknown ones, so `search --achive a.sqlite` would
 * be reported as "required option '--archive <path>' not specified": the typo is the thing to
 * name. `probe` is a program built only for this (parseOptions sets its option values).
 */
export function checkWords(probe: Command, argv: readonly string[]): void {
  let command = probe;
  let rest = [...argv];
  const path: string[] = [];
  while (command.commands.length > 0) {
    const word = rest[0];
    // Flags of the program itself (--help, --version) and `help <command>` are commander's.
    if (word === undefined || word.startsWith('-') || word === 'help') return;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub === undefined) throw unknownCommand(word, command, path);
    command = sub;
    path.push(word);
    rest = rest.slice(1);
  }
  let unknown: string[];
  try {
    ({ unknown } = command.parseOptions(rest));
  } catch {
    // A flag without its value: commander's real parse says so.
    return;
  }
  // From the first unknown option on, commander puts every word in `unknown`: the first is the flag.
  const first = unknown[0];
  if (first === undefined || !first.startsWith('-') || first === '-h' || first === '--help') return;
  throw unknownFlag(first.split('=')[0] ?? first, command, path);
}

function unknownFlag(flag: string, command: Command, path: readonly string[]): VaultError {
  const flags = [...command.options.map((o) => o.long).filter((f): f is string => f !== undefined), '--help'];
  // `-archive` is `--archive` with a dash missing; `-x` is a short flag, and we have none to offer.
  const word = flag.startsWith('--') ? flag.slice(2) : flag.length > 2 ? flag.slice(1) : '';
  const near =
    word === ''
      ? []
      : nearest(
          word,
          flags.map((f) => f.slice(2)),
        ).map((f) => `--${f}`);
  return new VaultError('USAGE', `Unknown option ${flag} for \`${path.join(' ')}\`.${didYouMean(near)}`, { hint: `See \`cliq-vault ${path.join(' ')} --help\` for its options.` });
}

function unknownCommand(word: string, parent: Command, path: readonly string[]): VaultError {
  const names = parent.commands.map((c) => c.name());
  const where = path.length === 0 ? '' : ` for \`${path.join(' ')}\``;
  return new VaultError('USAGE', `Unknown command ${word}${where}.${didYouMean(nearest(word, names))}`, {
    hint: `See \`${['cliq-vault', ...path].join(' ')} --help\` for the commands.`,
  });
}

function didYouMean(near: readonly string[]): string {
  if (near.length === 0) return '';
  return near.length === 1 ? ` Did you mean ${near[0]}?` : ` Did you mean ${near.slice(0, -1).join(', ')} or ${near.at(-1)}?`;
}

/**
 * The candidates nearest to `word` by edit distance (transpositions count as one edit), when they
 * are near enough to be a typo: at most 3 edits and fewer than 60% of the longer word; else the
 * candidates `word` is the start of (`--arch` for `--archive`). Best first, at most three.
 */
export function nearest(word: string, candidates: readonly string[]): string[] {
  const unique = [...new Set(candidates)];
  let best = Number.POSITIVE_INFINITY;
  let found: string[] = [];
  for (const candidate of unique) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    const longer = Math.max(word.length, candidate.length);
    if (distance > 3 || distance >= longer * 0.6) continue;
    if (distance < best) {
      best = distance;
      found = [candidate];
    } else if (distance === best) found.push(candidate);
  }
  if (found.length === 0 && word.length >= 2) found = unique.filter((c) => c.toLowerCase().startsWith(word.toLowerCase()));
  return found.sort().slice(0, 3);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array.from({ length: b.length }, () => 0)]);
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = value;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
