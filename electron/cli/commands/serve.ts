import { Command } from 'commander';
import { archiveKey, keyToMessage } from '../../core/cipher';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { confSettingsStore, createServicePool, fileSigningKey, noSigningKey, serveWorkerConfig, workerThreadSpawner, memorySecretStore, type ProfileSecrets } from '../../core/app';
import { createLogger, appDataDir } from '../../core/util';
import { startBridge } from '../../server/bridge';
import { defineFlags } from '../flagTable';
import { jsonSpec, logLevel, keyFileSpec } from '../flags';
import { untilInterrupted } from '../interrupt';
import { signingKeyEnv } from '../signingKeyFlags';
import { processIo, type Io } from '../output';

const serveFlags = defineFlags({
  archive: { flag: '--archive <path>', description: "serve this archive (default: the active org's)", schema: z.string().min(1).optional() },
  keyFile: keyFileSpec,
  signingKey: {
    flag: '--signing-key <path>',
    description: `the Ed25519 key file (PKCS#8 PEM, mode 600) that signs every bundle made here; default ${signingKeyEnv}, else a key made for each bundle (ephemeral)`,
    schema: z.string().min(1, 'is required').optional(),
  },
  port: { flag: '--port <n>', description: 'port on 127.0.0.1 (default: any free port)', schema: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65_535).default(0) },
  configDir: { flag: '--config-dir <dir>', description: "folder of the settings file (default: the app's)", schema: z.string().min(1).optional() },
  dataDir: { flag: '--data-dir <dir>', description: "folder for new archives (default: the app's data folder)", schema: z.string().min(1).optional() },
  logLevel: { flag: '--log-level <level>', description: 'debug | info | warn | error', schema: logLevel, default: 'warn' },
  json: jsonSpec('print one JSON line with the URL'),
});

/** Where the built UI is: dist/renderer beside dist/cli (this file is bundled into dist/cli). */
function rendererDir(): string {
  return fileURLToPath(new URL('../renderer/', import.meta.url));
}

/** The app service's worker, bundled beside the CLI (dist/cli/appServiceWorker.mjs). */
function workerEntry(): URL {
  return new URL('./appServiceWorker.mjs', import.meta.url);
}

export function serveCommand(io: Io = processIo): Command {
  return serveFlags
    .register(
      new Command('serve')
        .summary('the desktop UI in your browser, on this machine only (loopback, token)')
        .description(
          'Serves the Cliq Vault UI and its operations on 127.0.0.1 and prints a link carrying a random ' +
            "access token; only that link opens it. Settings are the desktop app's settings file. Secrets " +
            'are kept in memory only: typed into the Connect screen, or from CLIQ_CLIENT_SECRET and ' +
            'CLIQ_REFRESH_TOKEN for the active org. Stop with Ctrl+C.',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = serveFlags.parse(raw, 'serve');
      const staticDir = rendererDir();
      if (!existsSync(join(staticDir, 'index.html'))) {
        throw new VaultError('USAGE', `The UI is not built (no ${join(staticDir, 'index.html')}).`, { hint: 'Run `npm run build` first.' });
      }
      const log = createLogger({ level: flags.logLevel, write: io.err });
      const settings = confSettingsStore({ dir: flags.configDir });
      const active = settings.read();
      const seed: Record<string, ProfileSecrets> = {};
      const secret = io.env.CLIQ_CLIENT_SECRET?.trim();
      const refreshToken = io.env.CLIQ_REFRESH_TOKEN?.trim();
      if (active.activeProfile !== null && secret && refreshToken) seed[active.activeProfile] = { clientSecret: secret, refreshToken };
      // Read once now: a key file that is unreadable, shared or not a key stops serve before it listens.
      const signingKeyPath = flags.signingKey ?? (io.env[signingKeyEnv] === '' ? undefined : io.env[signingKeyEnv]);
      const signingKeys = signingKeyPath !== undefined ? fileSigningKey(resolve(signingKeyPath)) : noSigningKey('serve was started without a signing key');
      const entry = workerEntry();
      if (!existsSync(entry)) throw new VaultError('USAGE', `The app service worker is not built (no ${fileURLToPath(entry)}).`, { hint: 'Run `npm run build` first.' });
      // Every operation runs in worker threads: this thread only serves HTTP and the event stream.
      const service = createServicePool({
        spawn: workerThreadSpawner(entry),
        config: serveWorkerConfig({
          settingsDir: dirname(settings.path),
          archiveOverride: flags.archive !== undefined ? resolve(flags.archive) : undefined,
          defaultArchiveDir: resolve(flags.dataDir ?? join(appDataDir(), 'archives')),
          logLevel: flags.logLevel,
          // Set from CLIQ_VAULT_KEY or --key-file before this action; the workers get it in their init message.
          archiveKeys: processKeyMessages(),
        }),
        secrets: memorySecretStore(seed),
        signingKeys,
        host: {},
        log,
      });
      service.start();
      const bridge = await startBridge({ service, staticDir, port: flags.port, log });
      if (flags.json) io.out(`${JSON.stringify({ url: bridge.url, origin: bridge.origin, port: bridge.port })}\n`);
      else io.out(`Cliq Vault is at ${bridge.url}\nOnly this link opens it (it carries the access token). Press Ctrl+C to stop.\n`);
      await untilInterrupted();
      await bridge.close();
      await service.close();
    });
}

function processKeyMessages(): ReturnType<typeof keyToMessage>[] {
  const key = archiveKey();
  return key === undefined ? [] : [keyToMessage(key)];
}
