import { VaultError } from '../../../shared/errors';

type Reviver = (this: unknown, key: string, value: unknown, context: { source: string }) => unknown;

/**
 * JSON.parse that never rounds an integer. Cliq ids are 19-digit numbers sent as strings; if one
 * arrives as a bare number above 2^53 it is kept as its exact decimal string (using the reviver's
 * access to the source text, Node ≥ 21), never turned into a nearby double.
 *
 * The reviver makes JSON.parse ~6× slower, so it only runs when a plain parse holds an integer
 * beyond 2^53. (A regex over the text cannot tell: message texts carry long digit runs, such as
 * mentions `zohoid:1438235136658435590`, which sent 43% of the conversations down the slow path.)
 */
export function parseJsonLossless(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (!holdsUnsafeInteger(value)) return value;
  const reviver: Reviver = (_key, parsed, context) => (typeof parsed === 'number' && !Number.isSafeInteger(parsed) && /^-?\d+$/.test(context.source) ? context.source : parsed);
  return JSON.parse(text, reviver as unknown as (key: string, value: unknown) => unknown);
}

function holdsUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsUnsafeInteger);
  for (const key in value) if (holdsUnsafeInteger((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * JSON with keys sorted at every level: the canonical form hashed for content and integrity.
 * Byte for byte what JSON.stringify gives for a copy of the value with its keys sorted (the
 * content hashes already stored depend on it), written in one pass without building the copy:
 * it runs for every message the sync stores.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += `${i === 0 ? '' : ','}${write(value[i]) ?? 'null'}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of memberOrder(Object.keys(record).sort())) {
    // The key-sorted copy this must match never had a "__proto__" member: assigning one sets the
    // copy's prototype instead. Stored hashes were made that way.
    if (key === '__proto__') continue;
    const text = write(record[key]);
    // Like JSON.stringify: a member whose value has no JSON form (undefined, a function) is left out.
    if (text === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `${out}}`;
}

const arrayIndex = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The order the members of a key-sorted copy take: JavaScript objects list array-index keys
 * ("0", "17") first, in numeric order, then the others in insertion (here: sorted) order.
 */
function memberOrder(sorted: string[]): string[] {
  if (!sorted.some((k) => arrayIndex.test(k) && Number(k) < 4_294_967_295)) return sorted;
  const isIndex = (k: string) => arrayIndex.test(k) && Number(k) < 4_294_967_295;
  return [...sorted.filter(isIndex).sort((a, b) => Number(a) - Number(b)), ...sorted.filter((k) => !isIndex(k))];
}

/** Parses a JSON body or throws MALFORMED_RESPONSE (retryable: a cut or garbled body). */
export function parseJsonBody(text: string, what: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch (error) {
    throw new VaultError('MALFORMED_RESPONSE', `Cliq sent a ${what} response that is not valid JSON (${text.length} bytes).`, {
      cause: error,
    });
  }
}
