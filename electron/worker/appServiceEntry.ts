import { parentPort } from 'node:worker_threads';
import { runServiceWorker, utilityProcessParent, workerThreadParent, type UtilityParentPort } from '../core/app';
import { startDemoOrg } from '../simulator/demoOrg';
import { useRowParserThread } from '../core/sync';
import { favourSmallHeap } from '../core/util';

/**
 * The app service's worker: an Electron utility process in the desktop app (its parent is
 * `process.parentPort`), a worker thread in `serve` (`worker_threads.parentPort`). Plain Node
 * either way: it never imports electron. The demo org's simulator, when asked for, runs here.
 */
favourSmallHeap();
// The sync's parser thread is bundled beside this file (scripts/build.mjs).
useRowParserThread(new URL('./rowParser.mjs', import.meta.url));

const electronParent = (process as NodeJS.Process & { parentPort?: UtilityParentPort }).parentPort;
const channel = electronParent !== undefined ? utilityProcessParent(electronParent) : parentPort !== null ? workerThreadParent(parentPort) : null;

if (channel === null) {
  process.stderr.write('This is the Cliq Vault app service worker; the desktop app and `cliq-vault serve` start it.\n');
  process.exitCode = 2;
} else {
  runServiceWorker(channel, { startDemo: () => startDemoOrg() });
}
