import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';

/**
 * A conversation named by its id or by its title, as a person types it: the id exactly, else the
 * one conversation whose title matches exactly, ignoring case (a leading `#` optional). No match,
 * or several, is a USAGE error listing up to five close titles with their ids, so the next try
 * can use an id.
 */
export function chatByIdOrTitle(db: Database.Database, given: string): string {
  const byId = db.prepare<[string], { chat_id: string }>('SELECT chat_id FROM chats WHERE chat_id = ?').get(given);
  if (byId) return byId.chat_id;
  const all = db.prepare<[], { chat_id: string; title: string | null }>('SELECT chat_id, title FROM chats WHERE title IS NOT NULL ORDER BY chat_id').all();
  const wanted = fold(given);
  const exact = all.filter((c) => fold(c.title ?? '') === wanted);
  if (exact.length === 1 && exact[0]) return exact[0].chat_id;
  if (exact.length > 1) {
    throw new VaultError('USAGE', `${exact.length} conversations are titled "${given}".`, {
      hint: `Name one by its id with --chat:\n${listed(exact.slice(0, 5))}`,
      ui: { message: `${exact.length} conversations are titled "${given}".`, hint: `Pick one by its id:\n${listed(exact.slice(0, 5))}` },
    });
  }
  const close = all
    .map((c) => ({ ...c, score: closeness(wanted, fold(c.title ?? '')) }))
    .filter((c) => c.score < Number.POSITIVE_INFINITY)
    .sort((a, b) => a.score - b.score || (a.chat_id < b.chat_id ? -1 : a.chat_id > b.chat_id ? 1 : 0))
    .slice(0, 5);
  const missing = `The archive has no conversation with the id or title "${given}".`;
  throw new VaultError('USAGE', missing, {
    hint:
      close.length > 0
        ? `Close titles (use the id or the exact title with --chat):\n${listed(close)}`
        : "Find conversations with `cliq-vault search` or in the app's Browse screen, and pass an id or exact title with --chat.",
    ui: { message: missing, hint: close.length > 0 ? `Close titles:\n${listed(close)}` : 'Find the conversation in Browse or Search.' },
  });
}

function fold(title: string): string {
  return title.trim().replace(/^#/, '').toLowerCase();
}

function listed(chats: readonly { chat_id: string; title: string | null }[]): string {
  return chats.map((c) => `  ${c.chat_id}  ${c.title ?? ''}`).join('\n');
}

/** Lower is closer: a title containing the words typed first, then by edit distance (bounded). */
function closeness(wanted: string, title: string): number {
  if (wanted === '' || title === '') return Number.POSITIVE_INFINITY;
  if (title.includes(wanted) || wanted.includes(title)) return Math.abs(title.length - wanted.length) / 1000;
  const distance = editDistance(wanted, title.slice(0, 200));
  return distance <= Math.max(2, Math.floor(wanted.length / 3)) ? 1 + distance : Number.POSITIVE_INFINITY;
}

/** Levenshtein distance (also the nearest-people hint of holds/custodians.ts). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
