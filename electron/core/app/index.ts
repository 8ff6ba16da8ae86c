/**
 * The public surface of electron/core/app/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): the app service behind the contract (shared/contract.ts) and how a shell hosts it: the in-process
 * service, its ports, the settings file and memory secrets, and the worker pool (host/) with its
 * worker-thread and utility-process adaptors.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { type AppService } from './appService';
export { openHostKeyring, sessionKeyring, type HostKeyring, type KeyringVault } from './archiveKeyring';
export { confSettingsStore, parseSettings } from './confSettings';
export { exitReporter, isWorkerToHost, serveWorkerConfig, type SpawnWorker } from './host/protocol';
export { createServicePool } from './host/servicePool';
export { runServiceWorker } from './host/serviceWorker';
export { utilityProcessParent, workerThreadParent, workerThreadSpawner, type UtilityParentPort } from './host/workerThreads';
export { memorySecretStore } from './memorySecrets';
export { fileSigningKey, keptSigningKey, noSigningKey } from './signingKeys';
export { type AppHost, type ProfileSecrets, type SecretStore, type SettingsStore, type SigningKeyStore } from './ports';
export { cronPattern } from './schedule';
