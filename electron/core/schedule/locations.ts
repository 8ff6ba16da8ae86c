import { homedir } from 'node:os';
import { posix, win32, type PlatformPath } from 'node:path';

export type SchedulePlatform = 'linux' | 'macos' | 'windows';

/** Where the scheduled job's files live for one user, per platform. */
export interface ScheduleLocations {
  /** Folder of the job script and the credentials file. */
  configDir: string;
  /** The job script (sh, or PowerShell on Windows). No secrets. */
  script: string;
  /** Credentials for the job (KEY=value lines), created by the admin, readable by the user only. */
  envFile: string;
  /** Where the job's output goes when the scheduler does not keep it (cron, launchd, Windows). */
  logFile: string;
  /** systemd user units (Linux). */
  systemdDir: string;
  /** launchd agents (macOS). */
  launchAgentsDir: string;
}

export function platformOf(platform: NodeJS.Platform = process.platform): SchedulePlatform {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  return 'linux';
}

/** A variable from the environment, if it is an absolute path (the XDG spec says to ignore others). */
function absoluteEnv(env: NodeJS.ProcessEnv, name: string, path: PlatformPath): string | undefined {
  const value = env[name];
  return value !== undefined && value !== '' && path.isAbsolute(value) ? value : undefined;
}

/**
 * The per-user places of each platform: XDG folders on Linux (honouring XDG_CONFIG_HOME and
 * XDG_STATE_HOME), ~/Library on macOS, %APPDATA% on Windows. HOME (USERPROFILE on Windows) comes
 * from `env` so tests can point everything at a temporary folder.
 */
export function scheduleLocations(platform: SchedulePlatform, name: string, env: NodeJS.ProcessEnv): ScheduleLocations {
  if (platform === 'windows') {
    const home = absoluteEnv(env, 'USERPROFILE', win32) ?? absoluteEnv(env, 'HOME', win32) ?? homedir();
    const configDir = win32.join(absoluteEnv(env, 'APPDATA', win32) ?? win32.join(home, 'AppData', 'Roaming'), 'Cliq Vault');
    return {
      configDir,
      script: win32.join(configDir, `${name}.ps1`),
      envFile: win32.join(configDir, `${name}.env`),
      logFile: win32.join(configDir, `${name}.log`),
      systemdDir: '',
      launchAgentsDir: '',
    };
  }
  const home = absoluteEnv(env, 'HOME', posix) ?? homedir();
  if (platform === 'macos') {
    const configDir = posix.join(home, 'Library', 'Application Support', 'Cliq Vault');
    return {
      configDir,
      script: posix.join(configDir, `${name}.sh`),
      envFile: posix.join(configDir, `${name}.env`),
      logFile: posix.join(home, 'Library', 'Logs', 'Cliq Vault', `${name}.log`),
      systemdDir: '',
      launchAgentsDir: posix.join(home, 'Library', 'LaunchAgents'),
    };
  }
  const config = absoluteEnv(env, 'XDG_CONFIG_HOME', posix) ?? posix.join(home, '.config');
  const state = absoluteEnv(env, 'XDG_STATE_HOME', posix) ?? posix.join(home, '.local', 'state');
  const configDir = posix.join(config, 'cliq-vault');
  return {
    configDir,
    script: posix.join(configDir, `${name}.sh`),
    envFile: posix.join(configDir, `${name}.env`),
    logFile: posix.join(state, 'cliq-vault', `${name}.log`),
    systemdDir: posix.join(config, 'systemd', 'user'),
    launchAgentsDir: '',
  };
}
