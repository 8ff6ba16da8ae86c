import Database from 'better-sqlite3-multiple-ciphers';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { migrations } from '../../electron/core/archive/migrations';
import { finished, spawnCli, type CliResult } from '../helpers/cli';

/** Written on stderr by electron/core/util/testPause.ts when a process stops at its pause point. */
const pausedAt = /cliq-vault-test-paused (\S+)\n/;

export interface PausedCli {
  child: ChildProcess;
  exited: Promise<CliResult>;
  /** Resolves with the point (`name#pass`) where the process stopped, or undefined if it exited first. */
  paused: Promise<string | undefined>;
}

/**
 * Runs the built CLI told to stop at `point` (`name`, `name#n`, or several joined by commas; see
 * electron/core/util/testPause.ts). With `release`
 * (a file path), creating that file lets it go on; without, it waits for the test's SIGKILL.
 */
export function spawnPausedCli(args: string[], env: NodeJS.ProcessEnv, point: string, release?: string): PausedCli {
  const child = spawnCli(args, { ...env, CLIQ_VAULT_TEST_PAUSE_AT: point, ...(release !== undefined ? { CLIQ_VAULT_TEST_RELEASE: release } : {}) });
  const exited = finished(child);
  const paused = new Promise<string | undefined>((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pausedAt.exec(seen);
      if (match) {
        child.stderr?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stderr?.on('data', onData);
    void exited.then(() => {
      resolve(undefined);
    });
  });
  return { child, exited, paused };
}

/** SIGKILLs the CLI at `point`; resolves where it was killed (undefined: it finished first) and its result. */
export async function killAt(args: string[], env: NodeJS.ProcessEnv, point: string): Promise<{ killedAt: string | undefined; result: CliResult }> {
  const run = spawnPausedCli(args, env, point);
  const at = await run.paused;
  if (at !== undefined) run.child.kill('SIGKILL');
  const result = await run.exited;
  return { killedAt: result.signal === 'SIGKILL' ? at : undefined, result };
}

/** Lets a process paused with `release` go on. */
export function release(path: string): void {
  writeFileSync(path, '');
}

/** Total requests the simulator has answered or is answering (counted on arrival). */
export function requestsSeen(sim: { stats(): { requests: Record<string, number> } }): number {
  return Object.values(sim.stats().requests).reduce((a, b) => a + b, 0);
}

/** Resolves once the simulator has received at least `n` requests, or `stop` settles first. */
export async function afterRequests(sim: { stats(): { requests: Record<string, number> } }, n: number, stop: Promise<unknown>): Promise<void> {
  const state = { stopped: false };
  void stop.then(() => (state.stopped = true));
  while (!state.stopped && requestsSeen(sim) < n) await new Promise((resolve) => setImmediate(resolve));
}

/** mulberry32: a tiny seeded PRNG, so "random" instants are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An archive left at an older schema, as an earlier Cliq Vault wrote it (WAL, steps up to `version`). */
export function archiveAtSchema(path: string, version: number): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const step of migrations) {
    if (step.version > version) break;
    // As migrate() runs such a step (archive/connection.ts).
    db.pragma(`foreign_keys = ${step.rebuildsReferencedTable ? 'OFF' : 'ON'}`);
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
  db.pragma('foreign_keys = ON');
  db.close();
}
