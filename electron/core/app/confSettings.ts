import { describeIssue } from '../../../shared/validation';
import type Conf from 'conf';
import { createRequire } from 'node:module';
import { VaultError } from '../../../shared/errors';
import { defaultSettings, settingsSchema, type Settings } from '../../../shared/settings';
import { appConfigDir } from '../util/paths';
import type { SettingsStore } from './ports';

/**
 * The desktop app's settings file read and written from plain Node (CLI, `serve`) through conf —
 * the library electron-store is built on, so both open the same `config.json`. conf's own default
 * folder differs from Electron's userData on Windows and macOS, so the folder is always given:
 * the app's (appConfigDir) unless `dir` says otherwise (tests, a second install).
 */
export function confSettingsStore(options: { dir?: string | undefined } = {}): SettingsStore {
  let conf: Conf;
  try {
    const Settings = loadConf();
    conf = new Settings<Record<string, unknown>>({ projectName: 'Cliq Vault', projectSuffix: '', configName: 'config', cwd: options.dir ?? appConfigDir() });
  } catch (error) {
    throw new VaultError('CONFIG_INVALID', `The Cliq Vault settings file cannot be read: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: 'Fix the JSON in the settings file, or move it aside to start from the defaults.',
    });
  }
  return {
    path: conf.path,
    read: () => parseSettings(conf.store, conf.path),
    write: (next) => {
      conf.store = settingsSchema.parse(next);
    },
  };
}

/**
 * conf, loaded when a settings file is first opened rather than when the module is: with ajv behind
 * it, it adds ~19 MB to every process that loads it, and only `serve` and the app service open the
 * settings. The CLI's other commands — a sync among them, whose peak memory issue 16 caps — never
 * pay for it (docs/performance.md). conf is an ES module; Node 22 requires it synchronously.
 */
function loadConf(): typeof Conf {
  return (createRequire(import.meta.url)('conf') as { default: typeof Conf }).default;
}

/** Parses a settings object read from disk; an empty file is the defaults. */
export function parseSettings(raw: unknown, path: string): Settings {
  if (raw === undefined || (typeof raw === 'object' && raw !== null && Object.keys(raw).length === 0)) return defaultSettings();
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new VaultError('CONFIG_INVALID', `The settings file ${path} is not valid: ${describeIssue(parsed.error, { subject: 'settings' })}.`, {
    hint: `Fix that entry in ${path}, or move the file aside to start from the defaults (archives are not affected).`,
  });
}
