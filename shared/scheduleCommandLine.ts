import type { AppSchedule, OrgProfile } from './settings';
import { weekdays } from './scheduleSettings';

/**
 * The `cliq-vault schedule … --install` line that installs, in the operating system's scheduler,
 * the nightly sync + backup the Schedule screen describes: what a browser (which runs no schedule)
 * offers to copy. Null while there is no archive or no backup folder (the command needs both).
 */
export function scheduleInstallCommand(options: {
  schedule: AppSchedule;
  archivePath: string | null;
  profile: Pick<OrgProfile, 'dataCentre' | 'network' | 'apiBase' | 'accountsBase'> | null;
  platform: string;
}): string | null {
  const { schedule, archivePath, profile, platform } = options;
  if (archivePath === null || schedule.backupDir === undefined) return null;
  const q = (value: string) => quoteArgument(value, platform);
  const days = schedule.days.length === weekdays.length ? 'daily' : weekdays.filter((d) => schedule.days.includes(d)).join(',');
  const parts = ['cliq-vault schedule', `--archive ${q(archivePath)}`, `--backup-dir ${q(schedule.backupDir)}`, `--time ${schedule.time}`, `--days ${days}`, `--keep ${schedule.keep}`];
  if (profile !== null) {
    if (profile.dataCentre !== 'custom') parts.push(`--dc ${profile.dataCentre}`);
    else {
      if (profile.apiBase !== undefined) parts.push(`--api-base ${q(profile.apiBase)}`);
      if (profile.accountsBase !== undefined) parts.push(`--accounts-base ${q(profile.accountsBase)}`);
    }
    if (profile.network !== undefined) parts.push(`--network ${q(profile.network)}`);
  }
  parts.push('--install');
  return parts.join(' ');
}

/** Quoted for the shell a person pastes into: single quotes on POSIX, double quotes on Windows; bare when nothing needs quoting. */
function quoteArgument(value: string, platform: string): string {
  if (/^[\w./:@%+=,-]+$/.test(value)) return value;
  if (platform === 'win32') return `"${value.replace(/"/g, '""')}"`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
