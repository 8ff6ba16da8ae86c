import { posix, win32 } from 'node:path';
import { VaultError } from '../../../shared/errors';
import type { ScheduleSettings } from '../../../shared/scheduleSettings';
import { cronBlock } from './cron';
import type { InstalledCli } from './installedCli';
import { launchdLabel, launchdPlist } from './launchd';
import { scheduleLocations, type SchedulePlatform } from './locations';
import { shQuote } from './quoting';
import { envTemplate, powershellScript, shellScript } from './jobScripts';
import { systemdUnitName, systemdUnits } from './systemd';
import { taskName, taskXml } from './windowsTask';

export type ScheduleKind = 'systemd' | 'cron' | 'launchd' | 'task';

/** Job names end up in file names, unit names, a launchd label and XML comments: keep them plain. */
export const jobNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface ScheduleFile {
  path: string;
  content: string;
  mode: number;
  /** Task Scheduler imports the XML it declares as UTF-16. */
  encoding: 'utf8' | 'utf16le';
}

export interface ActivationStep {
  argv: string[];
  /** A step that fails when there is nothing to undo (unloading a job that is not loaded). */
  mayFail?: boolean;
}

/** Everything `schedule` prints, and `schedule --install` writes and runs. Contains no secret. */
export interface SchedulePlan {
  platform: SchedulePlatform;
  kind: ScheduleKind;
  name: string;
  settings: ScheduleSettings;
  files: ScheduleFile[];
  /** The credentials file the admin creates; `--install` writes an empty template if it is missing. */
  envFile: string;
  envTemplate: string;
  /** Where the job's output goes, when the scheduler does not keep it (systemd: the journal). */
  logFile: string | null;
  /** Our marked block for the user's crontab (kind cron). */
  crontabBlock: string | null;
  /** What `--install` runs after writing the files, in order. */
  activation: ActivationStep[];
  /** The same as lines for a terminal, for when it is not installing or a tool is missing. */
  manual: string[];
  notes: string[];
}

const kindsOf: Record<SchedulePlatform, readonly ScheduleKind[]> = { linux: ['systemd', 'cron'], macos: ['launchd'], windows: ['task'] };

export function defaultKind(platform: SchedulePlatform): ScheduleKind {
  return platform === 'linux' ? 'systemd' : platform === 'macos' ? 'launchd' : 'task';
}

/**
 * The scheduler entry for a nightly `sync` followed by `backup`, for one platform and kind: a
 * systemd user timer + service or a crontab block (Linux), a launchd agent (macOS), a Task
 * Scheduler task (Windows), and the job script they run. Credentials are never in any of them.
 */
export function planSchedule(input: {
  settings: ScheduleSettings;
  platform: SchedulePlatform;
  kind?: ScheduleKind;
  name: string;
  env: NodeJS.ProcessEnv;
  cli: InstalledCli;
  uid?: number;
}): SchedulePlan {
  const { settings, platform, name, cli } = input;
  const kind = input.kind ?? defaultKind(platform);
  if (!jobNamePattern.test(name)) {
    throw new VaultError('USAGE', `--name "${name}" must be lowercase letters and digits, words joined by single hyphens.`, {
      ui: { message: `The job name "${name}" must be lowercase letters and digits, words joined by single hyphens.` },
    });
  }
  if (!kindsOf[platform].includes(kind)) {
    throw new VaultError('USAGE', `--kind ${kind} is not a scheduler of ${platform}.`, {
      hint: 'Linux: systemd or cron; macOS: launchd; Windows: task.',
      ui: { message: `${kind} is not a scheduler of ${platform}.`, hint: 'Linux: systemd or cron; macOS: launchd; Windows: task.' },
    });
  }
  const at = scheduleLocations(platform, name, input.env);
  const script = platform === 'windows' ? powershellScript(name, settings, cli, at) : shellScript(name, settings, cli, at);
  const files: ScheduleFile[] = [{ path: at.script, content: script, mode: 0o755, encoding: 'utf8' }];
  const base = {
    platform,
    kind,
    name,
    settings,
    envFile: at.envFile,
    envTemplate: envTemplate(name),
    logFile: at.logFile as string | null,
    crontabBlock: null as string | null,
  };
  const envNote = `Create ${at.envFile} yourself${platform === 'windows' ? '' : ' (chmod 600)'} with CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET and CLIQ_REFRESH_TOKEN (KEY=value lines). Cliq Vault never writes credentials to a file; --install only creates it empty.`;
  const timeNote = `The job runs at ${settings.time} local time of this machine${settings.days.length === 7 ? ', every day' : ` on ${settings.days.join(', ')}`}.`;

  switch (kind) {
    case 'systemd': {
      const unit = systemdUnitName(name);
      const units = systemdUnits(name, settings, cli, at);
      files.push(
        { path: posix.join(at.systemdDir, `${unit}.service`), content: units.service, mode: 0o644, encoding: 'utf8' },
        { path: posix.join(at.systemdDir, `${unit}.timer`), content: units.timer, mode: 0o644, encoding: 'utf8' },
      );
      const activation = [{ argv: ['systemctl', '--user', 'daemon-reload'] }, { argv: ['systemctl', '--user', 'enable', '--now', `${unit}.timer`] }];
      return {
        ...base,
        logFile: null,
        files,
        activation,
        manual: activation.map((step) => step.argv.join(' ')),
        notes: [
          envNote,
          timeNote,
          `Output goes to the journal: journalctl --user -u ${unit}.service. Next runs: systemctl --user list-timers ${unit}.timer.`,
          'User timers run only while you are logged in, unless lingering is on: sudo loginctl enable-linger $USER (needed on a server).',
        ],
      };
    }
    case 'cron':
      return {
        ...base,
        files,
        crontabBlock: cronBlock(name, settings, at),
        activation: [],
        manual: [`mkdir -p ${shQuote(posix.dirname(at.logFile))}`, 'crontab -e   # and add the block above (or run with --install)'],
        notes: [envNote, timeNote, `Output is appended to ${at.logFile}.`],
      };
    case 'launchd': {
      const plist = posix.join(at.launchAgentsDir, `${launchdLabel(name)}.plist`);
      files.push({ path: plist, content: launchdPlist(name, settings, cli, at), mode: 0o644, encoding: 'utf8' });
      const domain = `gui/${input.uid ?? process.getuid?.() ?? 501}`;
      return {
        ...base,
        files,
        activation: [{ argv: ['launchctl', 'bootout', `${domain}/${launchdLabel(name)}`], mayFail: true }, { argv: ['launchctl', 'bootstrap', domain, plist] }],
        manual: [`launchctl bootout ${domain}/${launchdLabel(name)} 2>/dev/null; launchctl bootstrap ${domain} ${shQuote(plist)}`],
        notes: [envNote, timeNote, `Output is appended to ${at.logFile}.`, 'launchd runs a start missed while the Mac slept when it wakes.'],
      };
    }
    case 'task': {
      const xml = win32.join(at.configDir, `${name}.xml`);
      files.push({ path: xml, content: taskXml(name, settings, cli, at), mode: 0o644, encoding: 'utf16le' });
      const argv = ['schtasks', '/Create', '/TN', taskName(name), '/XML', xml, '/F'];
      return {
        ...base,
        files,
        activation: [{ argv }],
        manual: [`schtasks /Create /TN "${taskName(name)}" /XML "${xml}" /F`],
        notes: [
          envNote,
          timeNote,
          `Output is appended to ${at.logFile}.`,
          'The task runs while you are logged on; for "whether logged on or not", change it in Task Scheduler (Windows keeps the password, not Cliq Vault).',
        ],
      };
    }
  }
}
