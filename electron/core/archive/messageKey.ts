/**
 * The message key: `messages.id` (the rowid of messages_fts) is `time_ms * slotsPerMs + n`, where n
 * counts the messages stored for the same millisecond. Rowid order is then time order, so "newest
 * first" is FTS rowid order and a date range is a rowid range (no sort over the matches).
 *
 * IMPORTANT: this encoding is in every archive ever written (migration 0010 documents it on the
 * messages table): never change `slotsPerMs`, or date ranges and time order stop matching the keys
 * already stored. It is 1024 because a power of two keeps `time * slotsPerMs` exact in a double, a
 * millisecond rarely holds more than a few messages, and keys stay below 2^53 (JavaScript's safe
 * integers, which better-sqlite3 returns as numbers) until the year 2248. The 1025th message of one
 * millisecond gets the next key after the archive's largest (messagesRepo.ts): unique, but
 * `timeOfKey` no longer names its time. Compute keys here and nowhere else.
 */
export const slotsPerMs = 1024;

/** The latest time a key can encode: keyCeil(maxKeyTime) is Number.MAX_SAFE_INTEGER. */
export const maxKeyTime = Math.floor(Number.MAX_SAFE_INTEGER / slotsPerMs);

/** The first key of the millisecond `timeMs` (the key a message at that time is given first). */
export function keyFloor(timeMs: number): number {
  return timeMs * slotsPerMs;
}

/** The last key of the millisecond `timeMs`: a range of times [a, b] is the keys [keyFloor(a), keyCeil(b)]. */
export function keyCeil(timeMs: number): number {
  return timeMs * slotsPerMs + slotsPerMs - 1;
}

/** The millisecond whose slots hold `key`. */
export function timeOfKey(key: number): number {
  return Math.floor(key / slotsPerMs);
}
