import { posix, win32, type PlatformPath } from 'node:path';
import type { ScheduleSettings } from '../../../shared/scheduleSettings';
import { toolVersion } from '../version';
import type { InstalledCli } from './installedCli';
import type { ScheduleLocations } from './locations';
import { assertOneLine, psQuote, shQuote } from './quoting';

/**
 * `sync` as the job runs it: the settings' endpoints and quota flags, a JSON report in the log, and
 * what the run changed as a text file beside the log (`changesDir`).
 */
export function syncArgs(settings: ScheduleSettings, changesDir?: string): string[] {
  const e = settings.endpoints;
  const args = ['sync', '--archive', settings.archivePath, ...keyFileArgs(settings)];
  if ('dc' in e) args.push('--dc', e.dc);
  else args.push('--api-base', e.apiBase, '--accounts-base', e.accountsBase);
  if (e.network !== undefined) args.push('--network', e.network);
  for (const quota of settings.quotas) args.push('--quota', quota);
  if (settings.maxRateWait !== undefined) args.push('--max-rate-wait', settings.maxRateWait);
  if (settings.reactionsPerRun !== undefined) args.push('--reactions-per-run', String(settings.reactionsPerRun));
  if (changesDir !== undefined) args.push('--changes-dir', changesDir);
  args.push('--json');
  return args;
}

/** `backup` as the job runs it, after the sync whatever its outcome. */
export function backupArgs(settings: ScheduleSettings): string[] {
  return ['backup', '--archive', settings.archivePath, ...keyFileArgs(settings), '--to', settings.backupDir, '--keep', String(settings.keep), '--json'];
}

/** An encrypted archive's key file, by path: the job script holds no key. */
function keyFileArgs(settings: ScheduleSettings): string[] {
  return settings.keyFile === undefined ? [] : ['--key-file', settings.keyFile];
}

/** The change reports go in a folder beside the job's log (in the job's platform's path syntax). */
function changesDirOf(at: ScheduleLocations, path: PlatformPath): string {
  return path.join(path.dirname(at.logFile), 'changes');
}

const credentialNames = 'CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET and CLIQ_REFRESH_TOKEN';

/**
 * The job for Linux and macOS. It holds no secret: the credentials are in the environment already
 * (systemd loads EnvironmentFile=) or are read from the env file, which only the user can read.
 * The backup runs even when the sync did not complete (rate-limited, Cliq down, locked by the
 * desktop app): the archive as it is is still worth a snapshot. The sync's exit code wins.
 */
export function shellScript(name: string, settings: ScheduleSettings, cli: InstalledCli, at: ScheduleLocations): string {
  const run = (args: string[]) => [cli.node, cli.cli, ...args].map((a) => shQuote(assertOneLine(a, 'a path or flag'))).join(' ');
  return `#!/bin/sh
# Cliq Vault scheduled job "${name}": sync the archive, then back it up.
# Written by \`cliq-vault schedule\` (cliq-vault ${toolVersion}); run that again to change it.
#
# No secrets in this file. ${credentialNames} come from the
# environment (systemd's EnvironmentFile=) or from ENV_FILE below: create it yourself, readable
# by you only (chmod 600), as KEY=value lines.
ENV_FILE=${shQuote(at.envFile)}
if [ -z "\${CLIQ_REFRESH_TOKEN:-}" ]; then
  if [ ! -r "$ENV_FILE" ]; then
    echo "cliq-vault ${name}: no credentials: create $ENV_FILE (chmod 600) with ${credentialNames}" >&2
    exit 4
  fi
  set -a
  . "$ENV_FILE"
  set +a
fi
cd ${shQuote(cli.workdir)} || exit 1

${run(syncArgs(settings, changesDirOf(at, posix)))}
sync_status=$?
# Back up whatever the sync's outcome: a snapshot of the archive as it is is never wasted.
${run(backupArgs(settings))}
backup_status=$?
# The sync's code wins: 0 complete, 1 failed, 3 archive in use, 4 authorization, 5 partial (resumes next run).
if [ "$sync_status" -ne 0 ]; then exit "$sync_status"; fi
exit "$backup_status"
`;
}

/** The job for Windows (PowerShell): the same steps, output appended to the log file. */
export function powershellScript(name: string, settings: ScheduleSettings, cli: InstalledCli, at: ScheduleLocations): string {
  const run = (args: string[]) => `& ${[cli.node, cli.cli, ...args].map((a) => psQuote(assertOneLine(a, 'a path or flag'))).join(' ')} *>> $log`;
  return `# Cliq Vault scheduled job "${name}": sync the archive, then back it up.
# Written by \`cliq-vault schedule\` (cliq-vault ${toolVersion}); run that again to change it.
#
# No secrets in this file. ${credentialNames} are read from the env
# file below (KEY=value lines), which you create in your own profile folder (only you can read it).
$envFile = ${psQuote(at.envFile)}
$log = ${psQuote(at.logFile)}
if (-not $env:CLIQ_REFRESH_TOKEN) {
  if (-not (Test-Path -LiteralPath $envFile)) {
    [Console]::Error.WriteLine("cliq-vault ${name}: no credentials: create $envFile with ${credentialNames}")
    exit 4
  }
  foreach ($line in Get-Content -LiteralPath $envFile) {
    if ($line -match '^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*?)\\s*$') {
      [Environment]::SetEnvironmentVariable($Matches[1], ($Matches[2] -replace '^"(.*)"$', '$1'), 'Process')
    }
  }
}
Set-Location -LiteralPath ${psQuote(cli.workdir)}

${run(syncArgs(settings, changesDirOf(at, win32)))}
$syncStatus = $LASTEXITCODE
# Back up whatever the sync's outcome: a snapshot of the archive as it is is never wasted.
${run(backupArgs(settings))}
$backupStatus = $LASTEXITCODE
# The sync's code wins: 0 complete, 1 failed, 3 archive in use, 4 authorization, 5 partial (resumes next run).
if ($syncStatus -ne 0) { exit $syncStatus }
exit $backupStatus
`;
}

/** What `--install` puts in a missing env file: the names to fill in, no values. */
export function envTemplate(name: string): string {
  return `# Credentials for the Cliq Vault scheduled job "${name}". Keep this file private (chmod 600 on
# Linux and macOS). KEY=value lines, no spaces around "="; read by systemd and by the job script.
CLIQ_CLIENT_ID=
CLIQ_CLIENT_SECRET=
CLIQ_REFRESH_TOKEN=
`;
}
