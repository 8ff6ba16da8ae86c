import { Command, CommanderError } from 'commander';
import { toVaultError } from '../../shared/errors';
import { archiveFailure } from '../core/archive';
import { toolVersion } from '../core/version';
import { auditCommand } from './commands/audit';
import { auditLogCommand } from './commands/auditLog';
import { changesCommand } from './commands/changes';
import { custodyCommand } from './commands/custody';
import { authCommand } from './commands/auth';
import { backupCommand } from './commands/backup';
import { demoCommand } from './commands/demo';
import { directoryCommand } from './commands/directory';
import { exportCommand } from './commands/export';
import { holdCommand } from './commands/hold';
import { reviewSetsCommand } from './commands/reviewSets';
import { restoreCommand } from './commands/restore';
import { retentionCommand } from './commands/retention';
import { scheduleCommand } from './commands/schedule';
import { searchCommand } from './commands/search';
import { serveCommand } from './commands/serve';
import { transcriptCommand } from './commands/transcript';
import { verifyCommand } from './commands/verify';
import { simulateCommand } from './commands/simulate';
import { statsCommand } from './commands/stats';
import { syncCommand } from './commands/sync';
import { exitCodeForError, exitCodes } from '../../shared/exitCodes';
import { processIo, type Io } from './output';
import { checkWords } from './unknownWords';
import { cliArchiveKey } from './archiveKeyFlags';
import { decryptCommand, encryptCommand, rekeyCommand } from './commands/cipher';
import { useArchiveKey } from '../core/cipher';

export function buildProgram(io: Io = processIo): Command {
  const program = new Command('cliq-vault')
    .description('Compliance archive for Zoho Cliq organisations.')
    .version(toolVersion)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  for (const command of [
    syncCommand(io),
    statsCommand(io),
    directoryCommand(io),
    searchCommand(io),
    transcriptCommand(io),
    auditCommand(io),
    custodyCommand(io),
    holdCommand(io),
    reviewSetsCommand(io),
    retentionCommand(io),
    auditLogCommand(io),
    changesCommand(io),
    verifyCommand(io),
    backupCommand(io),
    restoreCommand(io),
    scheduleCommand(io),
    exportCommand(io),
    authCommand(io),
    simulateCommand(io),
    demoCommand(io),
    serveCommand(io),
    encryptCommand(io),
    decryptCommand(io),
    rekeyCommand(io),
  ]) {
    program.addCommand(command);
  }
  // Every command, nested ones (`auth exchange`) included: commander's own exit (code 1 for a
  // usage error) would bypass runCli's exit codes.
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }).showHelpAfterError('(run with --help for usage)');
    for (const sub of command.commands) configure(sub);
  };
  for (const command of program.commands) configure(command);
  // The key of an encrypted archive, set once before any command opens one (--key-file or CLIQ_VAULT_KEY).
  program.hook('preAction', (_program, action) => {
    const keyFile = action.opts<{ keyFile?: unknown }>().keyFile;
    useArchiveKey(cliArchiveKey(typeof keyFile === 'string' ? keyFile : undefined, io.env));
  });
  return program;
}

/** Runs the CLI; returns the exit code. Every error becomes one clear message and a stable code. */
export async function runCli(argv: readonly string[], io: Io = processIo): Promise<number> {
  process.exitCode = 0;
  try {
    // A program of its own for the check: commander's parseOptions sets the options it meets.
    checkWords(buildProgram({ ...io, out: () => undefined, err: () => undefined }), argv);
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    const e = archiveFailure(error) ?? toVaultError(error);
    io.err(`cliq-vault: ${e.message}\n`);
    if (e.hint) io.err(`  ${e.hint}\n`);
    if (e.code === 'INTERNAL' && e.cause instanceof Error && e.cause.stack) io.err(`${e.cause.stack}\n`);
    return exitCodeForError(e.code);
  }
}
