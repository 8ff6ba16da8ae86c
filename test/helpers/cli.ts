import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { RunningSimulator } from '../../electron/simulator';

/** The built CLI, as a user runs it (`npm test` builds it first). */
export const cliEntry = resolve(import.meta.dirname, '../../bin/cliq-vault.mjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment with the simulator's admin (or member) credentials, and nothing else secret. */
export function credentialsEnv(sim: RunningSimulator, who: 'admin' | 'member' = 'admin'): NodeJS.ProcessEnv {
  const c = sim[who];
  return { CLIQ_CLIENT_ID: c.clientId, CLIQ_CLIENT_SECRET: c.clientSecret, CLIQ_REFRESH_TOKEN: c.refreshToken };
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  // The developer's own credentials never leak into a test run.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CLIQ_')));
  return spawn(process.execPath, [cliEntry, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return finished(spawnCli(args, env));
}

/** The first stdout line of a running command (`serve --json` prints its URL there). */
export async function firstLine(child: ChildProcess): Promise<string> {
  let out = '';
  for await (const chunk of child.stdout ?? []) {
    out += (chunk as Buffer).toString();
    const end = out.indexOf('\n');
    if (end >= 0) return out.slice(0, end);
  }
  throw new Error('the command printed nothing');
}

/** The last line of stdout, parsed (the --json contract). */
export function lastJson(result: CliResult): unknown {
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines.at(-1) ?? 'null');
}

/** Sync flags pointing at a simulator, quotas scaled like it. */
export function syncArgs(sim: RunningSimulator, archive: string, ...extra: string[]): string[] {
  return ['sync', '--archive', archive, '--api-base', sim.apiBase, '--accounts-base', sim.accountsBase, '--quota-scale', String(sim.options().quotaScale), ...extra];
}
