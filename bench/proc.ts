import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident memory (VmHWM) in MiB, sampled from /proc while it ran. */
  peakMiB: number;
}

/**
 * Runs a command to completion, timing it and following its peak memory through /proc (Linux):
 * each measured program runs in its own process, so its memory is its own.
 */
export function measure(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdoutTo?: (chunk: Buffer) => void } = {}): Promise<Measured> {
  const started = process.hrtime.bigint();
  const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peak = 0;
  const sample = () => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'));
      if (match?.[1]) peak = Math.max(peak, Number(match[1]) / 1024);
    } catch {
      // The process ended between two samples; its last sample stands.
    }
  };
  const timer = setInterval(sample, 50);
  child.stdout.on('data', (chunk: Buffer) => (options.stdoutTo ? options.stdoutTo(chunk) : (stdout += chunk.toString())));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => sample());
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMiB: peak });
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
