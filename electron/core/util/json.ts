import { VaultError } from '../../../shared/errors';

// A bare JSON number with 16+ digits right after `:`, `[` or `,`: the only place where JSON.parse
// could round an id. Cheap enough to test on every body; only matching bodies take the slow path.
const longNumber = /[:,[]\s*-?\d{16,}/;

type Reviver = (this: unknown, key: string, value: unknown, context: { source: string }) => unknown;

/**
 * JSON.parse that never rounds an integer. Cliq ids are 19-digit numbers sent as strings; if one
 * arrives as a bare number above 2^53 it is kept as its exact decimal string (using the reviver's
 * access to the source text, Node ≥ 21), never turned into a nearby double.
 */
export function parseJsonLossless(text: string): unknown {
  if (!longNumber.test(text)) return JSON.parse(text);
  const reviver: Reviver = (_key, value, context) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && /^-?\d+$/.test(context.source) ? context.source : value;
  return JSON.parse(text, reviver as unknown as (key: string, value: unknown) => unknown);
}

/** JSON with keys sorted at every level: the canonical form hashed for content and integrity. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
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
