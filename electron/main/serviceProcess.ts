import { utilityProcess } from 'electron';
import { exitReporter, isWorkerToHost, type SpawnWorker } from '../core/app';
import { withLeanMalloc } from '../core/util';

/**
 * The desktop app's app-service workers: Electron utility processes (Chromium's service processes
 * with Node) running dist/electron/appServiceWorker.mjs. The main process keeps the window, the tray,
 * IPC and the OS secret store; every SQL statement runs in these, as Signal and Beekeeper keep
 * database work off the main process. Must be called after `app` is ready.
 */
export function utilityProcessSpawner(entry: string): SpawnWorker {
  return (role) => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: role === 'primary' ? 'Cliq Vault service' : 'Cliq Vault reader',
      // The service runs the sync: glibc's malloc set to keep its native memory down (util/heapPolicy.ts).
      env: withLeanMalloc(process.env),
    });
    const exit = exitReporter();
    child.on('exit', (code) => exit.exited(`exited with code ${code}`));
    return {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: unknown) => isWorkerToHost(message) && listener(message)),
      onExit: (listener) => exit.onExit(listener),
      kill: () => void child.kill(),
    };
  };
}
