import { VaultError } from '../../../shared/errors';

/**
 * Time-zone arithmetic without a library: offsets come from Intl, cached per zone and hour, so
 * formatting a million timestamps costs a cache lookup each (audit exports), not an Intl call.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const hourMs = 3_600_000;

/** Throws a USAGE error naming the problem when `zone` is not an IANA time zone. */
export function checkTimeZone(zone: string): string {
  try {
    formatter(zone);
    return zone;
  } catch (error) {
    throw new VaultError('USAGE', `Unknown time zone "${zone}".`, { cause: error, hint: 'Use an IANA name such as Europe/Berlin, America/New_York or UTC.' });
  }
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (e.g. +3,600,000 for CET). */
export function offsetAt(zone: string, ms: number): number {
  if (zone === 'UTC') return 0;
  let cache = offsetCache.get(zone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  // Offsets change on the hour or half hour at most; cache by the hour the instant falls in, and
  // compute at its start and end — if they differ, the change falls inside: compute exactly.
  const hour = Math.floor(ms / hourMs);
  const cached = cache.get(hour);
  if (cached !== undefined) return cached;
  const start = exactOffset(zone, hour * hourMs);
  const end = exactOffset(zone, hour * hourMs + hourMs - 1);
  if (start === end) {
    cache.set(hour, start);
    return start;
  }
  return exactOffset(zone, ms);
}

function exactOffset(zone: string, ms: number): number {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const two = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const three = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayMs = 86_400_000;
const dates = new Map<number, string>();
const offsets = new Map<number, string>();

/**
 * ISO 8601 with the zone's offset, milliseconds included: 2026-03-31T17:05:09.123+02:00.
 * Called for every time cell of an export, so the date part is cached per day and the rest is
 * integer arithmetic.
 */
export function formatInZone(ms: number, zone: string): string {
  const offset = offsetAt(zone, ms);
  const local = ms + offset;
  const day = Math.floor(local / dayMs);
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * dayMs).toISOString().slice(0, 10);
    dates.set(day, date);
  }
  let rest = local - day * dayMs;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  let zoneText = offsets.get(offset);
  if (zoneText === undefined) {
    const abs = Math.abs(offset) / 60_000;
    zoneText = `${offset < 0 ? '-' : '+'}${two[Math.floor(abs / 60)] ?? ''}:${two[abs % 60] ?? ''}`;
    offsets.set(offset, zoneText);
  }
  return `${date}T${two[h] ?? ''}:${two[m] ?? ''}:${two[sec] ?? ''}.${three[rest - sec * 1000] ?? ''}${zoneText}`;
}

/** The UTC instant of local midnight starting `date` (YYYY-MM-DD) in `zone`. */
export function startOfDay(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const localMidnight = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  // Two passes: the offset at the guess, then at the corrected instant (DST edges).
  let utc = localMidnight - offsetAt(zone, localMidnight);
  utc = localMidnight - offsetAt(zone, utc);
  return utc;
}

/**
 * A query bound as an instant. A calendar date means the start of that day (`from`) or the last
 * millisecond of it (`to`) in `zone`; a date-time with an offset means itself.
 */
export function boundToInstant(value: string, zone: string, edge: 'from' | 'to'): number {
  // Date.UTC and Date.parse roll 2026-02-30 over to March 2 and 2026-13-45 into 2027: refuse instead.
  const day = value.slice(0, 10);
  const calendar = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : null;
  if (calendar !== null && (Number.isNaN(calendar.getTime()) || calendar.toISOString().slice(0, 10) !== day)) {
    throw new VaultError('USAGE', `"${value}" is not a date on the calendar.`, { hint: 'Use 2026-03-31 or 2026-03-31T17:00:00+02:00.' });
  }
  if (value.length === 10) {
    if (edge === 'from') return startOfDay(value, zone);
    const next = new Date(`${value}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return startOfDay(next.toISOString().slice(0, 10), zone) - 1;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new VaultError('USAGE', `"${value}" is not a date.`, { hint: 'Use 2026-03-31 or 2026-03-31T17:00:00+02:00.' });
  return ms;
}

/**
 * Refuses a range whose start is after its end (both ends resolved in `zone`, a calendar day's end
 * included): it selects nothing, and an empty answer would hide the mistake. Either end may be absent.
 * The words are the screens'; the CLI checks its flags first and names them (cli/flags.ts).
 */
export function checkDateOrder(from: string | undefined, to: string | undefined, zone: string): void {
  if (from === undefined || to === undefined) return;
  if (boundToInstant(from, zone, 'from') <= boundToInstant(to, zone, 'to')) return;
  throw new VaultError('USAGE', `The start date (${from}) is after the end date (${to}).`, { hint: 'Put the earlier date first; for a single day, give the same date at both ends.' });
}

/** The wall-clock calendar fields of an instant in a zone; `weekday` counts from Monday = 0. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  weekday: number;
}

export function zonedParts(ms: number, zone: string): ZonedParts {
  const local = new Date(ms + offsetAt(zone, ms));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    weekday: (local.getUTCDay() + 6) % 7,
  };
}

/** `2026-03-31` */
export function dayKey(parts: Pick<ZonedParts, 'year' | 'month' | 'day'>): string {
  return `${String(parts.year).padStart(4, '0')}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
}
