/**
 * A listing that no longer shows something the archive holds live is fetched once more before
 * anything is marked gone, and only what is missing from both answers counts as gone.
 *
 * Why: "gone" is evidence (a chat deleted, a member who left). A listing can come back short
 * without any error — a body cut exactly at a row boundary, a server hiccup — and a false "gone"
 * would be recorded against the org. The second fetch costs one call, and only when something
 * actually vanished (or the caller says the answer looks short).
 *
 * Rows of both answers are merged, the second answer winning for keys in both.
 */
export async function confirmListing<T>(options: {
  first: T[];
  keyOf: (row: T) => string | null;
  live: Iterable<string>;
  fetchAgain: () => Promise<T[]>;
  /** Another reason to doubt the first answer (e.g. fewer members than the participant count). */
  looksShort?: boolean;
  onRecheck?: (vanished: number) => void;
}): Promise<T[]> {
  const { first, keyOf } = options;
  const listed = new Set(first.map(keyOf).filter((k): k is string => k !== null));
  let vanished = 0;
  for (const key of options.live) if (!listed.has(key)) vanished += 1;
  if (vanished === 0 && !options.looksShort) return first;
  options.onRecheck?.(vanished);
  const second = await options.fetchAgain();
  const merged = new Map<string, T>();
  const unkeyed: T[] = [];
  for (const row of [...first, ...second]) {
    const key = keyOf(row);
    if (key === null) unkeyed.push(row);
    else merged.set(key, row);
  }
  return [...merged.values(), ...unkeyed];
}
