import { appendFileSync, existsSync, writeSync } from 'node:fs';

/**
 * TEST ONLY — inert unless CLIQ_VAULT_TEST_PAUSE_AT is set in the environment.
 *
 * The crash-and-resume and concurrency suites (test/reliability/) must SIGKILL a process at an
 * exact instant: inside a transaction, at a checkpoint, during a migration step, mid-backup. A
 * timer cannot aim there, so the process stops itself: `CLIQ_VAULT_TEST_PAUSE_AT=<point>[#n],…`
 * makes the n-th pass (default the first) through `testPausePoint(<point>)` of any listed point write
 * `cliq-vault-test-paused <point>#n` on stderr and block synchronously — no event loop, no timer,
 * no I/O, exactly as frozen as a crash would find it — until the test kills it, or until the file
 * named by CLIQ_VAULT_TEST_RELEASE exists (a concurrency test letting it go on). A test whose
 * paused code runs in a worker thread of its own process (the app service's workers under `serve`)
 * cannot read that stderr line apart from its own: CLIQ_VAULT_TEST_PAUSED_FILE names a file that
 * gets the same line appended.
 *
 * Points (grep `testPausePoint(`): migration:pending, migration:<version>, sync:leased, archive:unit,
 * archive:group-commit, archive:committed, sync:checkpoint, sync:end, backup:copy, backup:verified,
 * backup:rename, verify:rows, files:writing (a file store put, once its first bytes are written).
 */
const pauseAt = process.env.CLIQ_VAULT_TEST_PAUSE_AT?.split(',').map((spec) => spec.split('#'));
const releaseFile = process.env.CLIQ_VAULT_TEST_RELEASE;
const pausedFile = process.env.CLIQ_VAULT_TEST_PAUSED_FILE;
const passes = new Map<string, number>();

export const testPauseMarker = 'cliq-vault-test-paused';

export function testPausePoint(point: string): void {
  if (pauseAt === undefined) return;
  const spec = pauseAt.find(([name]) => name === point);
  if (spec === undefined) return;
  const pass = (passes.get(point) ?? 0) + 1;
  passes.set(point, pass);
  if (pass !== Number(spec[1] ?? '1')) return;
  writeSync(2, `\n${testPauseMarker} ${point}#${pass}\n`);
  if (pausedFile !== undefined) appendFileSync(pausedFile, `${testPauseMarker} ${point}#${pass}\n`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (releaseFile === undefined || !existsSync(releaseFile)) Atomics.wait(cell, 0, 0, 20);
}
