import { toVaultError, VaultError, type ErrorShape } from '../../../../shared/errors';
import { keyFromMessage, type KeyMessage } from '../../cipher';
import { useArchiveKeys } from '../../cipher/keyState';
import { redact, type Logger, type LogLevel } from '../../util/log';
import type { AppService } from '../appService';
import { confSettingsStore } from '../confSettings';
import { createAppService } from '../createAppService';
import type { AppHost, ArchiveKeyStore, DemoOrg, KeyringStatus, ProfileSecrets, SecretStore, SigningKeyMessage, SigningKeyStatus, SigningKeyStore } from '../ports';
import type { HostToWorker, ParentChannel, PortCall, WorkerCall, WorkerConfig } from './protocol';

const levelOrder: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The worker's side: waits for its config, builds the app service exactly as the in-process shells
 * did (createAppService), and answers its host's calls. Secrets and dialogs are the host's: asked
 * over the channel when needed (a refresh token only when a connection to Cliq is made), never kept
 * by the worker beyond the call that needed them.
 */
export function runServiceWorker(channel: ParentChannel, options: { startDemo?: () => Promise<DemoOrg> } = {}): void {
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: VaultError) => void }>();
  let nextPortId = 1;
  let service: AppService | null = null;
  let role: WorkerConfig['role'] = 'reader';
  let secretStorage: WorkerConfig['secretStorage'] = 'unavailable';

  const ask = (call: PortCall): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextPortId++;
      waiting.set(id, { resolve, reject });
      channel.postMessage({ t: 'port', id, call });
    });

  function start(config: WorkerConfig): AppService {
    role = config.role;
    useArchiveKeys(config.archiveKeys.map(keyFromMessage));
    secretStorage = config.secretStorage;
    const log = channelLogger(channel, config.logLevel);
    const secrets: SecretStore = {
      get kind() {
        return secretStorage;
      },
      has: async (profileId) => (await ask({ port: 'secrets.has', profileId })) === true,
      get: async (profileId) => (await ask({ port: 'secrets.get', profileId })) as ProfileSecrets | undefined,
      set: async (profileId, value) => {
        await ask({ port: 'secrets.set', profileId, secrets: value });
      },
      delete: async (profileId) => {
        await ask({ port: 'secrets.delete', profileId });
      },
    };
    const keys: ArchiveKeyStore = {
      status: async () => (await ask({ port: 'keys.status' })) as KeyringStatus,
      unlock: async (passphrase) => (await ask({ port: 'keys.unlock', passphrase })) as KeyMessage[],
      use: async (key) => {
        await ask({ port: 'keys.use', key });
      },
      create: async ({ passphrase }) => (await ask({ port: 'keys.create', passphrase })) as KeyMessage,
      protect: async (passphrase) => {
        await ask({ port: 'keys.protect', passphrase });
      },
    };
    const signingKeys: SigningKeyStore = {
      status: async () => (await ask({ port: 'signing.status' })) as SigningKeyStatus,
      current: async () => (await ask({ port: 'signing.current' })) as SigningKeyMessage | undefined,
    };
    const host: AppHost = {
      shell: config.shell,
      defaultArchiveDir: config.defaultArchiveDir,
      runsScheduleInApp: config.runsScheduleInApp,
      ...(config.canReveal
        ? {
            reveal: async (path: string) => {
              await ask({ port: 'host.reveal', path });
            },
          }
        : {}),
      ...(config.canPickFolder
        ? { pickFolder: async ({ title, defaultPath }: { title: string; defaultPath?: string | undefined }) => (await ask({ port: 'host.pickFolder', title, defaultPath })) as string | null }
        : {}),
      ...(config.canSaveFile
        ? { saveFile: async ({ title, defaultPath }: { title: string; defaultPath: string }) => (await ask({ port: 'host.saveFile', title, defaultPath })) as string | null }
        : {}),
      ...(config.canOpenFile
        ? {
            openPath: async (path: string) => {
              await ask({ port: 'host.openPath', path });
            },
          }
        : {}),
      ...(config.demo && options.startDemo ? { startDemo: options.startDemo } : {}),
    };
    const created = createAppService({
      settings: confSettingsStore({ dir: config.settingsDir }),
      secrets,
      keys,
      signingKeys,
      host,
      log,
      ...(config.archiveOverride !== undefined ? { archiveOverride: config.archiveOverride } : {}),
    });
    created.on((event, payload) => channel.postMessage({ t: 'event', event, payload }));
    return created;
  }

  async function perform(call: WorkerCall): Promise<unknown> {
    if (service === null) throw new VaultError('INTERNAL', 'The app service worker was called before it was set up.');
    switch (call.op) {
      case 'dispatch':
        return service.dispatch(call.name, call.request);
      case 'runScheduledJob':
        if (role !== 'primary') throw new VaultError('INTERNAL', 'Only the primary worker runs the schedule.');
        return service.runScheduledJob();
      case 'releaseArchive':
        service.releaseArchive();
        return null;
      case 'close':
        await service.close();
        return null;
    }
  }

  channel.onMessage((message: HostToWorker) => {
    switch (message.t) {
      case 'init':
        if (service !== null) return;
        service = start(message.config);
        channel.postMessage({ t: 'ready' });
        return;
      case 'call':
        secretStorage = message.secretStorage;
        useArchiveKeys(message.archiveKeys.map(keyFromMessage));
        perform(message.call).then(
          (value) => channel.postMessage({ t: 'result', id: message.id, ok: true, value }),
          (error: unknown) => channel.postMessage({ t: 'result', id: message.id, ok: false, error: toVaultError(error).toShape() }),
        );
        return;
      case 'answer': {
        const pending = waiting.get(message.id);
        if (!pending) return;
        waiting.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(fromShape(message.error));
        return;
      }
    }
  });
}

function fromShape(shape: ErrorShape): VaultError {
  return VaultError.fromShape(shape);
}

/**
 * A logger that hands each entry to the host's log (one log file, whichever thread wrote). Entries
 * are redacted here already, and fields are reduced to JSON so nothing uncloneable crosses.
 */
function channelLogger(channel: ParentChannel, level: LogLevel): Logger {
  const min = levelOrder[level];
  const send = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levelOrder[at] < min) return;
    let plain: Record<string, unknown> | undefined;
    try {
      plain = fields === undefined ? undefined : (JSON.parse(JSON.stringify(fields)) as Record<string, unknown>);
    } catch {
      // A cycle or a BigInt: the names of the fields are still worth logging.
      plain = { unloggableFields: Object.keys(fields ?? {}) };
    }
    channel.postMessage({ t: 'log', level: at, message: redact(message), fields: plain });
  };
  return { debug: (m, f) => send('debug', m, f), info: (m, f) => send('info', m, f), warn: (m, f) => send('warn', m, f), error: (m, f) => send('error', m, f) };
}
