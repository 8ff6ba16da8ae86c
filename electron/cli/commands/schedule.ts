import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { parseDays, scheduleSettingsSchema, type ScheduleSettingsInput } from '../../../shared/scheduleSettings';
import { installSchedule, type InstallResult, installedCli, platformOf, planSchedule, type SchedulePlan } from '../../core/schedule';
import { exitCodes } from '../../../shared/exitCodes';
import { defineFlags } from '../flagTable';
import { archivePath, duration, endpointFlagTable, endpointsFrom, jsonSpec, parseFlags, parseQuotaOverrides, reactionsPerRunDescription, reactionsPerRunFlag, switchFlag, keyFileSpec } from '../flags';
import { processIo, type Io } from '../output';

const scheduleFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive the job syncs and backs up', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  backupDir: { flag: '--backup-dir <dir>', description: 'the folder for the snapshots', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
  time: { flag: '--time <HH:MM>', description: 'when to run, local 24-hour time', schema: z.string(), default: '02:30' },
  days: { flag: '--days <days>', description: 'daily, weekdays, weekends, mon-fri, mon,wed,fri …', schema: z.string(), default: 'daily' },
  keep: {
    flag: '--keep <n>',
    description: 'snapshots of this archive to keep',
    schema: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1'),
    default: '7',
  },
  ...endpointFlagTable,
  quota: { flag: '--quota <family=perMinute[/lock]>', description: 'a quota override for the nightly sync (repeatable)', schema: z.array(z.string()), repeatable: true },
  maxRateWait: { flag: '--max-rate-wait <duration>', description: 'longest rate-limit pause the nightly sync waits out', schema: z.string().optional() },
  reactionsPerRun: { flag: '--reactions-per-run <n>', description: `for the nightly sync: ${reactionsPerRunDescription}`, schema: reactionsPerRunFlag.optional() },
  platform: {
    flag: '--platform <platform>',
    description: 'linux, macos or windows (default: this machine)',
    schema: z.enum(['linux', 'macos', 'windows'], { error: 'must be linux, macos or windows' }).optional(),
  },
  kind: {
    flag: '--kind <kind>',
    description: 'on Linux: systemd (default) or cron',
    schema: z.enum(['systemd', 'cron', 'launchd', 'task'], { error: 'must be systemd or cron (Linux), launchd (macOS), task (Windows)' }).optional(),
  },
  name: { flag: '--name <name>', description: "the job's name, for more than one archive", schema: z.string(), default: 'nightly' },
  install: { flag: '--install', description: 'write the files and activate the job for this user', schema: switchFlag },
  json: jsonSpec('print JSON (the last line of stdout)'),
});

export function scheduleCommand(io: Io = processIo): Command {
  return scheduleFlags
    .register(
      new Command('schedule')
        .summary('print (or --install) the OS scheduler entry for a nightly sync + backup')
        .description(
          'Writes out a job that runs `sync` and then `backup --keep N` at --time (local time): a systemd ' +
            'user timer and service (Persistent=true: a missed run starts when the machine is back) or a ' +
            'crontab line on Linux, a launchd agent on macOS, a Task Scheduler task on Windows, plus the job ' +
            "script they run (with this installation's absolute node and cliq-vault paths). The backup runs " +
            'even when the sync did not complete.\n\n' +
            'No credentials are written anywhere: the job reads CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET and ' +
            'CLIQ_REFRESH_TOKEN from an env file you create, readable by you only (systemd EnvironmentFile=; ' +
            'the job script sources it for cron and launchd, whose plist would keep them in plain text).\n\n' +
            'Without --install it only prints. --install writes the files to your per-user folders ' +
            '(XDG_CONFIG_HOME or ~/.config, ~/Library/LaunchAgents, %APPDATA%), creates the env file empty ' +
            '(mode 600) if it is missing, and activates the job (systemctl --user enable --now, your crontab ' +
            '— only our marked block is replaced —, launchctl bootstrap, schtasks). If a tool is missing it ' +
            'says what to run and exits 1.',
        ),
    )
    .action((raw: Record<string, unknown>) => {
      const flags = scheduleFlags.parse(raw, 'schedule');
      // The same checks `sync` makes, now rather than at 02:30.
      endpointsFrom(flags);
      parseQuotaOverrides(flags.quota);
      if (flags.maxRateWait !== undefined && !duration.safeParse(flags.maxRateWait).success) {
        throw new VaultError('USAGE', `--max-rate-wait: "${flags.maxRateWait}" is not a duration (examples: 90s, 15m, 2h).`);
      }
      const days = parseDays(flags.days);
      if (!days) throw new VaultError('USAGE', `--days: "${flags.days}" is not a list of days.`, { hint: 'Examples: daily, weekdays, mon-fri, mon,wed,fri.' });
      const input: ScheduleSettingsInput = {
        time: flags.time,
        days,
        archivePath: resolve(flags.archive),
        backupDir: resolve(flags.backupDir),
        ...(flags.keyFile !== undefined ? { keyFile: resolve(flags.keyFile) } : {}),
        keep: flags.keep,
        endpoints:
          flags.dc !== undefined
            ? { dc: flags.dc, ...(flags.network ? { network: flags.network } : {}) }
            : { apiBase: flags.apiBase ?? '', accountsBase: flags.accountsBase ?? '', ...(flags.network ? { network: flags.network } : {}) },
        quotas: flags.quota,
        ...(flags.maxRateWait !== undefined ? { maxRateWait: flags.maxRateWait } : {}),
        ...(flags.reactionsPerRun !== undefined ? { reactionsPerRun: flags.reactionsPerRun } : {}),
      };
      const settings = parseFlags(scheduleSettingsSchema, input, 'schedule');
      const here = platformOf();
      const platform = flags.platform ?? here;
      if (flags.install && platform !== here) {
        throw new VaultError('USAGE', `--install writes the schedule of this machine (${here}), not ${platform}.`, { hint: 'Drop --platform, or drop --install to print the files.' });
      }
      const plan = planSchedule({ settings, platform, name: flags.name, env: io.env, cli: installedCli(), ...(flags.kind ? { kind: flags.kind } : {}) });
      if (platform !== here)
        plan.notes.push(
          `Made on ${here} for ${platform}: the paths of node, cliq-vault and your folders are this machine's. Run \`cliq-vault schedule\` on the ${platform} machine itself to get its own.`,
        );
      if (!existsSync(settings.backupDir)) plan.notes.push(`The backup folder ${settings.backupDir} does not exist yet: create it before the first run.`);
      const installed = flags.install ? installSchedule(plan, io.env) : null;
      if (flags.json) io.out(`${JSON.stringify({ ...plan, installed })}\n`);
      else io.out(installed ? renderInstalled(plan, installed) : renderPlan(plan));
      if (installed && !installed.activated) process.exitCode = exitCodes.failed;
    });
}

function title(plan: SchedulePlan): string {
  const when = `${plan.settings.time} ${plan.settings.days.length === 7 ? 'every day' : plan.settings.days.join(',')}`;
  return `Cliq Vault schedule "${plan.name}" for ${plan.platform} (${plan.kind}): sync + backup at ${when}`;
}

function renderPlan(plan: SchedulePlan): string {
  const lines = [`# ${title(plan)}`, '# Nothing was written: run again with --install, or put these files in place yourself.', ''];
  for (const file of plan.files) {
    lines.push(`# ---- ${file.path} (mode ${file.mode.toString(8)}) ----`, file.content.trimEnd(), '');
  }
  if (plan.crontabBlock !== null) lines.push('# ---- your crontab (crontab -e) ----', plan.crontabBlock.trimEnd(), '');
  lines.push('# Then run:', ...plan.manual.map((line) => `#   ${line}`), '#', '# Notes:', ...plan.notes.map((note) => `#   - ${note}`));
  return `${lines.join('\n')}\n`;
}

function renderInstalled(plan: SchedulePlan, result: InstallResult): string {
  const lines = [title(plan), ...result.written.map((path) => `  Wrote:     ${path}`)];
  if (plan.crontabBlock !== null && result.activated) lines.push('  Crontab:   our block added or replaced; your other lines are unchanged');
  if (result.envTemplateCreated) lines.push(`  Created:   ${plan.envFile} (empty, mode 600): fill in the credentials`);
  for (const step of result.steps) lines.push(`  Ran:       ${step.command} → ${step.ok ? 'ok' : `failed: ${step.output}`}`);
  lines.push(result.activated ? '  Active:    yes' : '  Active:    NO — run these yourself:');
  for (const line of result.manual) lines.push(`    ${line}`);
  if (!result.activated && plan.crontabBlock !== null)
    lines.push(
      '  The block for your crontab:',
      ...plan.crontabBlock
        .trimEnd()
        .split('\n')
        .map((line) => `    ${line}`),
    );
  for (const warning of result.warnings) lines.push(`  Warning:   ${warning}`);
  lines.push(...plan.notes.map((note) => `  Note:      ${note}`));
  return `${lines.join('\n')}\n`;
}
