import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { VaultError } from '../../../shared/errors';
import { errorCodeOf } from '../backup/files';
import { withCronBlock } from './cron';
import type { ActivationStep, SchedulePlan, ScheduleFile } from './plan';

export interface InstallResult {
  written: string[];
  /** The env file did not exist and an empty template (mode 600) was written. */
  envTemplateCreated: boolean;
  /** Every activation step ran and succeeded (for cron: the crontab was updated). */
  activated: boolean;
  steps: { command: string; ok: boolean; output: string }[];
  /** What the user must still run, when a tool was missing or failed. */
  manual: string[];
  warnings: string[];
}

type Runner = (argv: string[], input?: string) => { ok: boolean; missing: boolean; stdout: string; output: string };

/**
 * Writes the plan's files to their per-user places, creates an empty env file if there is none
 * (never overwrites one), and activates the schedule: systemctl --user, the user's crontab (our
 * marked block replaced, every other line kept), launchctl, or schtasks. A missing or failing tool
 * is reported with the exact commands to run instead. `env` is the environment the tools run with
 * (its PATH finds them).
 */
export function installSchedule(plan: SchedulePlan, env: NodeJS.ProcessEnv): InstallResult {
  const result: InstallResult = { written: [], envTemplateCreated: false, activated: false, steps: [], manual: [], warnings: [] };
  for (const file of plan.files) {
    writeAtomically(file);
    result.written.push(file.path);
  }
  if (plan.logFile !== null) mkdirSync(dirname(plan.logFile), { recursive: true });
  if (existsSync(plan.envFile)) {
    if (plan.platform !== 'windows' && (statSync(plan.envFile).mode & 0o077) !== 0) {
      result.warnings.push(`${plan.envFile} can be read by other users: run chmod 600 on it.`);
    }
  } else {
    mkdirSync(dirname(plan.envFile), { recursive: true });
    writeFileSync(plan.envFile, plan.envTemplate, { flag: 'wx', mode: 0o600 });
    result.envTemplateCreated = true;
  }

  const run = runner(env);
  if (plan.crontabBlock !== null) {
    result.activated = installCrontab(plan.name, plan.crontabBlock, run, result);
  } else {
    result.activated = runSteps(plan.activation, run, result);
  }
  if (!result.activated) result.manual.push(...plan.manual);
  return result;
}

function writeAtomically(file: ScheduleFile): void {
  mkdirSync(dirname(file.path), { recursive: true });
  const temp = `${file.path}.${process.pid}.tmp`;
  const bytes = file.encoding === 'utf16le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file.content, 'utf16le')]) : Buffer.from(file.content, 'utf8');
  try {
    writeFileSync(temp, bytes, { mode: file.mode });
    chmodSync(temp, file.mode);
    renameSync(temp, file.path);
  } catch (error) {
    throw new VaultError('IO_ERROR', `Could not write ${file.path}: ${error instanceof Error ? error.message : String(error)}.`, {
      cause: error,
      hint: 'Check that your home folder (or XDG_CONFIG_HOME) is writable.',
    });
  }
}

function runner(env: NodeJS.ProcessEnv): Runner {
  return (argv, input) => {
    const [command, ...args] = argv;
    const child = spawnSync(command ?? '', args, { env, encoding: 'utf8', timeout: 60_000, ...(input === undefined ? {} : { input }) });
    const missing = errorCodeOf(child.error) === 'ENOENT';
    const output = missing ? `${command ?? ''}: not found` : `${child.stdout}${child.stderr}`.trim() || (child.error?.message ?? '');
    return { ok: child.status === 0, missing, stdout: child.stdout, output };
  };
}

function runSteps(steps: readonly ActivationStep[], run: Runner, result: InstallResult): boolean {
  for (const step of steps) {
    const outcome = run(step.argv);
    result.steps.push({ command: step.argv.join(' '), ok: outcome.ok, output: outcome.output });
    if (outcome.missing) return false;
    if (!outcome.ok && !step.mayFail) return false;
  }
  return true;
}

/**
 * Replaces our block in the user's crontab. If the current crontab cannot be read (anything but
 * "no crontab for …"), it is not written: writing would drop the user's own lines.
 */
function installCrontab(name: string, block: string, run: Runner, result: InstallResult): boolean {
  const current = run(['crontab', '-l']);
  result.steps.push({ command: 'crontab -l', ok: current.ok, output: current.ok ? '(read)' : current.output });
  if (current.missing) return false;
  if (!current.ok && !/no crontab/i.test(current.output)) return false;
  const next = withCronBlock(current.ok ? current.stdout : '', name, block);
  const written = run(['crontab', '-'], next);
  result.steps.push({ command: 'crontab -', ok: written.ok, output: written.output });
  return written.ok;
}
