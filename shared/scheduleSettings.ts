import { z } from 'zod';

/**
 * The nightly job's settings: when to run, which archive to sync, where to back it up and how
 * many snapshots to keep. One schema for the OS scheduler entries `cliq-vault schedule` writes and
 * for the desktop app's in-app scheduler. Credentials are never part of it: the job reads them from
 * its environment (an env file only the user can read), never from settings.
 */

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** An absolute path on POSIX (`/…`) or Windows (`C:\…`, `\\server\share\…`): a job has no useful working folder. */
const absolutePath = z
  .string({ error: 'is required' })
  .min(1, 'is required')
  .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\'), 'must be an absolute path');

/** Where the job syncs from: a data centre, or explicit base URLs (a proxy, the simulator). */
export const scheduleEndpointsSchema = z.union([
  z.strictObject({ dc: z.string().min(1), network: z.string().min(1).optional() }),
  z.strictObject({ apiBase: z.url(), accountsBase: z.url(), network: z.string().min(1).optional() }),
]);

/** Local time of day (the machine's time zone), 24-hour `HH:MM`. Shared with the app's schedule. */
export const scheduleTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM in 24-hour time, e.g. 02:30')
  .default('02:30');

/** Days of the week to run on; every day by default. Stored in week order, without repeats. */
export const scheduleDaysSchema = z
  .array(z.enum(weekdays))
  .min(1, 'needs at least one day')
  .default([...weekdays])
  .transform((days) => weekdays.filter((day) => days.includes(day)));

/** Per-family quota override, as `sync --quota` takes it: `family=perMinute[/lock]`. */
export const quotaOverrideSchema = z.string().regex(/^[a-z.]+=\d+(\.\d+)?(\/\S+)?$/, 'must be family=perMinute[/lock], e.g. maint.messages=6/10m');

/**
 * Reaction checks (MS3, one call per message) a sync may make: `sync --reactions-per-run`, the app's
 * setting, the nightly job's. 0 turns them off: reactions are then not checked, and `stats` counts
 * the messages as due. The default, 200, is ten minutes of MS3's 20 calls a minute.
 */
export const defaultReactionsPerRun = 200;
export const reactionsPerRunSchema = z
  .number({ error: 'must be a whole number, 0 or more (0: check no reactions)' })
  .int('must be a whole number, 0 or more (0: check no reactions)')
  .min(0, 'must be a whole number, 0 or more (0: check no reactions)')
  .max(1_000_000, 'must be at most 1000000');

export const scheduleSettingsSchema = z.strictObject({
  time: scheduleTimeSchema,
  days: scheduleDaysSchema,
  archivePath: absolutePath,
  backupDir: absolutePath,
  /**
   * The key file of an encrypted archive (`--key-file`): the job names the file, never the key.
   * Absent: a plain archive, or CLIQ_VAULT_KEY set in the job's env file.
   */
  keyFile: absolutePath.optional(),
  /** Snapshots of this archive kept in backupDir (the newest; older ones are deleted after each backup). */
  keep: z.number().int().min(1).max(10_000).default(7),
  endpoints: scheduleEndpointsSchema,
  /** Per-family quota overrides, as `sync --quota` takes them: `family=perMinute[/lock]`. */
  quotas: z.array(quotaOverrideSchema).default([]),
  /** Longest rate-limit pause the nightly sync waits out before ending partial (`sync --max-rate-wait`). */
  maxRateWait: z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h|d)?$/, 'must be a duration such as 15m')
    .optional(),
  /** Reaction checks the nightly sync may make (`sync --reactions-per-run`); absent: the sync's default. */
  reactionsPerRun: reactionsPerRunSchema.optional(),
});

export type ScheduleSettings = z.infer<typeof scheduleSettingsSchema>;
export type ScheduleSettingsInput = z.input<typeof scheduleSettingsSchema>;

/**
 * Reads a days list as people write it: `daily`, `weekdays`, `weekends`, `mon-fri`, `mon,wed,fri`,
 * `sat-mon` (wrapping), full names or three letters, any case. Returns undefined if it is not one.
 */
export function parseDays(text: string): Weekday[] | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'daily' || value === 'every day' || value === '*') return [...weekdays];
  if (value === 'weekdays') return ['mon', 'tue', 'wed', 'thu', 'fri'];
  if (value === 'weekends') return ['sat', 'sun'];
  const picked = new Set<Weekday>();
  for (const part of value.split(',')) {
    const range = part.trim().split('-');
    const from = dayOf(range[0]);
    const to = range.length === 2 ? dayOf(range[1]) : from;
    if (from === undefined || to === undefined || range.length > 2) return undefined;
    for (let i = weekdays.indexOf(from); ; i = (i + 1) % 7) {
      const day = weekdays[i];
      if (day === undefined) return undefined;
      picked.add(day);
      if (day === to) break;
    }
  }
  return weekdays.filter((day) => picked.has(day));
}

const dayNames: Record<Weekday, string> = { mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday' };

/** `mon`, `mond`, `monday` → mon; anything shorter than three letters or not a day → undefined. */
function dayOf(word: string | undefined): Weekday | undefined {
  const value = word?.trim() ?? '';
  if (value.length < 3) return undefined;
  return weekdays.find((day) => dayNames[day].startsWith(value));
}
