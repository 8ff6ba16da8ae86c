import { Worker, type MessagePort } from 'node:worker_threads';
import { exitReporter, isHostToWorker, isWorkerToHost, type ParentChannel, type SpawnWorker, type WorkerHandle } from './protocol';

/**
 * `serve`'s workers: Node worker threads running the bundled worker entry
 * (dist/cli/appServiceWorker.mjs). Each has its own event loop, V8 heap and SQLite connections, so
 * a verify of the whole archive in one never delays the HTTP thread or another worker.
 */
export function workerThreadSpawner(entry: URL | string): SpawnWorker {
  return (role) => {
    const worker = new Worker(entry, { name: `cliq-vault-${role}` });
    return adaptWorker(worker);
  };
}

function adaptWorker(worker: Worker): WorkerHandle {
  const exit = exitReporter();
  // An uncaught exception is reported as 'error', then 'exit'; the worker is dead at the first.
  worker.on('error', (error) => exit.exited(`crashed: ${error.message}`));
  worker.on('exit', (code) => exit.exited(`exited with code ${code}`));
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', (message: unknown) => isWorkerToHost(message) && listener(message)),
    onExit: (listener) => exit.onExit(listener),
    kill: () => void worker.terminate(),
  };
}

/** The worker side of a worker thread's channel. */
export function workerThreadParent(port: MessagePort): ParentChannel {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', (message: unknown) => isHostToWorker(message) && listener(message)),
  };
}

/** What an Electron utility process has as `process.parentPort` (typed here: core never imports electron). */
export interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/** The worker side of an Electron utility process's channel. */
export function utilityProcessParent(port: UtilityParentPort): ParentChannel {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', (event) => isHostToWorker(event.data) && listener(event.data)),
  };
}
