import type { ScheduleSettings, Weekday } from '../../../shared/scheduleSettings';
import { weekdays } from '../../../shared/scheduleSettings';
import { toolVersion } from '../version';
import type { InstalledCli } from './installedCli';
import type { ScheduleLocations } from './locations';
import { assertOneLine, systemdArg, systemdPath } from './quoting';

const systemdDay: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** `*-*-* 02:30:00`, or `Mon,Tue *-*-* 02:30:00` for some days (the machine's local time). */
export function onCalendar(settings: ScheduleSettings): string {
  const days = settings.days.length === weekdays.length ? '' : `${settings.days.map((d) => systemdDay[d]).join(',')} `;
  return `${days}*-*-* ${settings.time}:00`;
}

export function systemdUnitName(name: string): string {
  return `cliq-vault-${name}`;
}

/**
 * A user service that runs the job once, and a user timer that starts it. Persistent=true runs a
 * start that was missed (machine off or asleep at the time) as soon as it can.
 */
export function systemdUnits(name: string, settings: ScheduleSettings, cli: InstalledCli, at: ScheduleLocations): { service: string; timer: string } {
  const unit = systemdUnitName(name);
  const header = `# Written by \`cliq-vault schedule\` (cliq-vault ${toolVersion}); run it again to change this file.`;
  const service = `${header}
[Unit]
Description=Cliq Vault scheduled job "${name}": sync the archive, then back it up

[Service]
Type=oneshot
WorkingDirectory=${systemdPath(assertOneLine(cli.workdir, 'the install folder'))}
# The credentials (CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET, CLIQ_REFRESH_TOKEN) are in this file, not in
# the unit: create it yourself with chmod 600. The service does not start without it.
EnvironmentFile=${systemdPath(assertOneLine(at.envFile, 'the env file path'))}
ExecStart=/bin/sh ${systemdArg(assertOneLine(at.script, 'the job script path'))}
# A first sync of a big org can take hours; it is never killed midway (it would resume anyway).
TimeoutStartSec=infinity
# 5 = partial (rate-limited or interrupted): normal for a big org, the next run resumes.
SuccessExitStatus=5
Nice=10
`;
  const timer = `${header}
[Unit]
Description=Cliq Vault scheduled job "${name}" at ${settings.time} (${settings.days.length === 7 ? 'every day' : settings.days.join(', ')})

[Timer]
OnCalendar=${onCalendar(settings)}
Persistent=true
Unit=${unit}.service

[Install]
WantedBy=timers.target
`;
  return { service, timer };
}
