/** Every date the UI shows goes through here, in the settings' time zone (epoch ms in, text out). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, kind: 'dateTime' | 'time' | 'date'): Intl.DateTimeFormat {
  const key = `${timeZone}|${kind}`;
  let found = formatters.get(key);
  if (found === undefined) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : kind === 'date'
          ? { year: 'numeric', month: '2-digit', day: '2-digit' }
          : { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
    found = new Intl.DateTimeFormat('en-CA', { ...options, timeZone: zone });
    formatters.set(key, found);
  }
  return found;
}

/** 2026-03-31, 14:32 */
export function formatDateTime(ms: number | null | undefined, timeZone: string): string {
  return ms === null || ms === undefined ? '—' : formatter(timeZone, 'dateTime').format(ms);
}

/** 14:32 */
export function formatTime(ms: number, timeZone: string): string {
  return formatter(timeZone, 'time').format(ms);
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Tuesday, 2026-03-31: a transcript's day separator, in the settings' time zone. */
export function formatDayHeading(ms: number, timeZone: string): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  let weekday = dayFormatters.get(zone);
  if (weekday === undefined) {
    weekday = new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: zone });
    dayFormatters.set(zone, weekday);
  }
  return `${weekday.format(ms)}, ${formatDate(ms, timeZone)}`;
}

/** 2026-03-31 */
export function formatDate(ms: number | null | undefined, timeZone: string): string {
  return ms === null || ms === undefined ? '—' : formatter(timeZone, 'date').format(ms);
}

export function isValidTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const numberFormat = new Intl.NumberFormat('en');
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : numberFormat.format(n);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? ''}`;
}

/** 1 h 5 min, 3 min 20 s, 12 s */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}
