import { z } from 'zod';
import { dataCentreIds } from './dataCentres';
import { defaultReactionsPerRun, quotaOverrideSchema, reactionsPerRunSchema, scheduleDaysSchema, scheduleTimeSchema, weekdays } from './scheduleSettings';

export { quotaOverrideSchema };

/**
 * The desktop app's settings, one JSON file (electron-store in the app, conf in the CLI and
 * `serve`, both reading it through this schema). Secrets are never part of it: the client secret
 * and refresh token live in the OS-encrypted secret store (electron/main/secrets.ts) or, for the
 * CLI and `serve`, in the environment.
 *
 * IMPORTANT: the file outlives versions of the app. Add fields with defaults; never rename one.
 */

/** A profile id: names the org in settings and in the secret store. */
export const profileIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lower-case letters, digits or dashes');

/** One org (or network) the admin archives: where it lives, and which archive file holds it. */
export const orgProfileSchema = z.strictObject({
  id: profileIdSchema,
  name: z.string().trim().min(1, 'is required').max(80),
  /** A Cliq data centre, or `custom` for explicit base URLs (a proxy, the simulator). */
  dataCentre: z.enum([...dataCentreIds, 'custom']),
  network: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'must be the network name from its URL')
    .optional(),
  apiBase: z.url().optional(),
  accountsBase: z.url().optional(),
  clientId: z.string().trim().min(1, 'is required').max(200),
  /** Absolute path of the archive (one SQLite file per org). */
  archivePath: z.string().min(1),
  /** The built-in simulator's demo org: its credentials are the simulator's, nothing to protect. */
  demo: z.boolean().default(false),
});
export type OrgProfile = z.infer<typeof orgProfileSchema>;

export const appScheduleSchema = z.strictObject({
  /** Run the nightly sync + backup from the app while it is open (the CLI's OS schedule is separate). */
  enabled: z.boolean().default(false),
  time: scheduleTimeSchema,
  days: scheduleDaysSchema,
  /** Where snapshots go; the backup step is skipped while unset. */
  backupDir: z.string().min(1).optional(),
  keep: z.number().int().min(1).max(10_000).default(7),
});
export type AppSchedule = z.infer<typeof appScheduleSchema>;

export const themes = ['system', 'light', 'dark'] as const;

/** Bytes in one of the policy's megabytes (the binary MB a file manager shows). */
export const bytesPerMb = 1_048_576;

/**
 * Which attachments a sync downloads into the archive's file store: all of them (each up to
 * `maxMb` when set) or none. Files left out are recorded as skipped or too large, and fetched by a
 * later sync once the policy admits them.
 */
export const filesPolicySchema = z.strictObject({
  fetch: z.enum(['all', 'none']).default('all'),
  /** The largest file downloaded, in MB; null: no limit. */
  maxMb: z.number().positive().max(1_000_000).nullable().default(null),
});
export type FilesPolicy = z.infer<typeof filesPolicySchema>;

export const settingsSchema = z.strictObject({
  profiles: z.array(orgProfileSchema).default([]),
  activeProfile: profileIdSchema.nullable().default(null),
  /** IANA time zone for exports and dates shown (audit bundles record it). */
  timeZone: z.string().min(1).default('UTC'),
  theme: z.enum(themes).default('system'),
  quotas: z.array(quotaOverrideSchema).default([]),
  schedule: appScheduleSchema.default({ enabled: false, time: '02:30', days: [...weekdays], keep: 7 }),
  /** Where audit bundles go by default. */
  exportDir: z.string().min(1).optional(),
  files: filesPolicySchema.default({ fetch: 'all', maxMb: null }),
  /** Reaction checks (MS3) a sync may make; 0: none (`sync --reactions-per-run`). */
  reactionsPerRun: reactionsPerRunSchema.default(defaultReactionsPerRun),
  /**
   * Linux without a keyring gives Electron only `basic_text` (a fixed, public key): secrets would
   * be obfuscated, not protected. Refused unless the user agrees, knowingly.
   */
  allowWeakSecretStorage: z.boolean().default(false),
});
export type Settings = z.infer<typeof settingsSchema>;

const { timeZone, theme, quotas, schedule, exportDir, files, reactionsPerRun, allowWeakSecretStorage } = settingsSchema.shape;

/**
 * What `settings:update` takes: any top-level setting but the profiles (they have their own
 * operations); a setting the patch leaves out keeps its value. Written without the defaults: zod 4
 * applies a default even inside `.optional()`, so `settingsSchema.partial()` filled in every setting
 * a patch left out, and choosing a theme reset the time zone, the quotas and the schedule.
 */
export const settingsPatchSchema = z.strictObject({
  timeZone: timeZone.unwrap().optional(),
  theme: theme.unwrap().optional(),
  quotas: quotas.unwrap().optional(),
  schedule: schedule.unwrap().optional(),
  exportDir,
  files: files.unwrap().optional(),
  reactionsPerRun: reactionsPerRun.unwrap().optional(),
  allowWeakSecretStorage: allowWeakSecretStorage.unwrap().optional(),
});
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

/** The settings a fresh install starts with. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
