import { badRequest } from './errors';

/** Query-parameter parsing: anything malformed is a 400, as Cliq's "malformed parameter" text says. */

export function optionalInt(query: URLSearchParams, name: string, min = 0): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^-?\d{1,16}$/.test(raw)) throw badRequest(`${name} must be an integer`);
  const value = Number(raw);
  if (value < min) throw badRequest(`${name} must be at least ${min}`);
  return value;
}

export function optionalBool(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw badRequest(`${name} must be true or false`);
}

export function optionalEnum<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw badRequest(`${name} must be one of ${allowed.join(', ')}`);
  return raw as T;
}

/** `limit` of the list endpoints: 1..100; above 100 a 400 or a clamp (option limitOverMax). */
export function pageLimit(query: URLSearchParams, fallback: number, overMax: 'error' | 'clamp'): number {
  const limit = optionalInt(query, 'limit', 1);
  if (limit === undefined) return fallback;
  if (limit > 100) {
    if (overMax === 'error') throw badRequest('limit must be at most 100');
    return 100;
  }
  return limit;
}

export function commaList(query: URLSearchParams, name: string): string[] | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
