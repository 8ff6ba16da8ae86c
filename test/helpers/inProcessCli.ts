import { CommanderError, type Command } from 'commander';
import { toVaultError } from '../../shared/errors';
import { exitCodeForError, exitCodes } from '../../electron/cli/exitCodes';
import type { Io } from '../../electron/cli/output';
import { buildProgram } from '../../electron/cli/program';
import type { CliResult } from './cli';

/**
 * Runs the CLI in this process, as `runCli` in program.ts does (same program, same error → exit
 * code mapping), with `commands` added when program.ts does not register them yet. For commands
 * whose tests must run before they are wired into the built CLI; the environment is only `env`.
 */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv = {}, commands: ((io: Io) => Command)[] = []): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => (stdout += text), err: (text) => (stderr += text), interactive: false, env };
  const program = buildProgram(io);
  for (const make of commands) {
    const command = make(io);
    if (program.commands.some((c) => c.name() === command.name())) continue;
    program.addCommand(command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }).showHelpAfterError('(run with --help for usage)'));
  }
  const saved = process.exitCode;
  process.exitCode = 0;
  let code: number;
  try {
    await program.parseAsync(args, { from: 'user' });
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      code = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    } else {
      const e = toVaultError(error);
      io.err(`cliq-vault: ${e.message}\n`);
      if (e.hint) io.err(`  ${e.hint}\n`);
      code = exitCodeForError(e.code);
    }
  } finally {
    process.exitCode = saved;
  }
  return { code, signal: null, stdout, stderr };
}
