import type { ScheduleSettings, Weekday } from '../../../shared/scheduleSettings';
import { weekdays } from '../../../shared/scheduleSettings';
import { toolVersion } from '../version';
import type { InstalledCli } from './installedCli';
import type { ScheduleLocations } from './locations';
import { assertOneLine, xmlEscape } from './quoting';

const taskDay: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

export function taskName(name: string): string {
  return `Cliq Vault ${name}`;
}

/**
 * A Task Scheduler task (schema 1.2, importable with `schtasks /Create /XML`). StartWhenAvailable
 * runs a start missed while the machine was off; IgnoreNew never starts a second copy while one
 * runs. It runs as the user who imports it, while logged on (InteractiveToken): choosing "Run
 * whether user is logged on or not" in Task Scheduler asks for the password and keeps it in
 * Windows' own store, never in a file of ours.
 */
export function taskXml(name: string, settings: ScheduleSettings, cli: InstalledCli, at: ScheduleLocations): string {
  const schedule =
    settings.days.length === weekdays.length
      ? '<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>'
      : `<ScheduleByWeek><WeeksInterval>1</WeeksInterval><DaysOfWeek>${settings.days.map((d) => `<${taskDay[d]} />`).join('')}</DaysOfWeek></ScheduleByWeek>`;
  const args = `-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "${assertOneLine(at.script, 'the job script path')}"`;
  return `<?xml version="1.0" encoding="UTF-16"?>
<!-- Cliq Vault scheduled job "${xmlEscape(name)}": sync the archive, then back it up. Written by cliq-vault schedule (cliq-vault ${toolVersion}). No credentials here. -->
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>${xmlEscape(`Cliq Vault "${name}": sync ${settings.archivePath}, then back it up to ${settings.backupDir}.`)}</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2026-01-01T${settings.time}:00</StartBoundary>
      <Enabled>true</Enabled>
      ${schedule}
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT23H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>powershell.exe</Command>
      <Arguments>${xmlEscape(args)}</Arguments>
      <WorkingDirectory>${xmlEscape(assertOneLine(cli.workdir, 'the install folder'))}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
`;
}
