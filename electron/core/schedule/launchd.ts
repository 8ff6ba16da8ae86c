import type { ScheduleSettings, Weekday } from '../../../shared/scheduleSettings';
import { weekdays } from '../../../shared/scheduleSettings';
import { toolVersion } from '../version';
import type { InstalledCli } from './installedCli';
import type { ScheduleLocations } from './locations';
import { assertOneLine, xmlEscape } from './quoting';

const launchdDay: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export function launchdLabel(name: string): string {
  return `com.cliqvault.${name}`;
}

const str = (value: string) => `<string>${xmlEscape(assertOneLine(value, 'a plist value'))}</string>`;

/**
 * A launchd agent. launchd runs a StartCalendarInterval job missed while the Mac slept when it
 * wakes. Its EnvironmentVariables would hold credentials in plain text in ~/Library, so the job
 * script reads them from an env file only the user can read instead.
 */
export function launchdPlist(name: string, settings: ScheduleSettings, cli: InstalledCli, at: ScheduleLocations): string {
  const [hour, minute] = settings.time.split(':').map(Number);
  const interval = (day?: Weekday) =>
    `<dict>${day === undefined ? '' : `<key>Weekday</key><integer>${launchdDay[day]}</integer>`}<key>Hour</key><integer>${hour ?? 0}</integer><key>Minute</key><integer>${minute ?? 0}</integer></dict>`;
  const calendar = settings.days.length === weekdays.length ? interval() : `<array>${settings.days.map((d) => interval(d)).join('')}</array>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Cliq Vault scheduled job "${xmlEscape(name)}": sync the archive, then back it up. Written by cliq-vault schedule (cliq-vault ${toolVersion}). -->
<!-- No credentials here: the job script reads them from its env file, readable by this user only. -->
<plist version="1.0">
<dict>
  <key>Label</key>${str(launchdLabel(name))}
  <key>ProgramArguments</key>
  <array>${str('/bin/sh')}${str(at.script)}</array>
  <key>WorkingDirectory</key>${str(cli.workdir)}
  <key>StartCalendarInterval</key>
  ${calendar}
  <key>StandardOutPath</key>${str(at.logFile)}
  <key>StandardErrorPath</key>${str(at.logFile)}
  <key>ProcessType</key>${str('Background')}
  <key>RunAtLoad</key><false/>
</dict>
</plist>
`;
}
