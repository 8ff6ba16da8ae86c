import type { Io } from '../../electron/cli/output';
import { runCli } from '../../electron/cli/program';
import type { CliResult } from './cli';

/**
 * Runs the CLI in this process — the same runCli as the built command, with output captured and
 * `env` as the whole environment — for tests that run many commands and need no child process.
 */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => (stdout += text), err: (text) => (stderr += text), interactive: false, env };
  const saved = process.exitCode;
  try {
    const code = await runCli(args, io);
    return { code, signal: null, stdout, stderr };
  } finally {
    process.exitCode = saved;
  }
}
