import type Database from 'better-sqlite3-multiple-ciphers';

/** Answers kept per connection; a handful of distinct requests is all the screens make. */
const maxAnswers = 16;

const kept = new WeakMap<Database.Database, { version: number; answers: Map<string, unknown> }>();

/**
 * `compute()`'s answer for `key`, kept on this read-only connection until the archive changes.
 *
 * Some reads the screens make at every visit cost what the archive holds, not what they show: the
 * conversation list counts every conversation's messages and file messages (1.5–4 s on ten
 * million messages), the people list every sender's messages. Each Search, Audit, Hold and
 * Retention screen asks for both when it opens, and while they run the reader workers answer
 * nothing else (docs/performance.md: a search typed meanwhile waited 4.2 s).
 *
 * "Until the archive changes" is SQLite's own `PRAGMA data_version`: it moves whenever another
 * connection commits, which is the only way this archive changes for a reader that never writes.
 * A sync, a purge, a review log entry: the next request computes afresh. A restore puts a new file
 * in place and readers open a new connection, which has nothing kept.
 */
export function untilChanged<T>(db: Database.Database, key: string, compute: () => T): T {
  const version = db.pragma('data_version', { simple: true }) as number;
  let entry = kept.get(db);
  if (!entry || entry.version !== version) {
    entry = { version, answers: new Map() };
    kept.set(db, entry);
  }
  if (entry.answers.has(key)) return entry.answers.get(key) as T;
  const answer = compute();
  if (entry.answers.size >= maxAnswers) entry.answers.clear();
  entry.answers.set(key, answer);
  return answer;
}
