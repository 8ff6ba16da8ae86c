import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AppService } from '../../electron/core/app/appService';
import { confSettingsStore } from '../../electron/core/app/confSettings';
import { createAppService } from '../../electron/core/app/createAppService';
import { memorySecretStore } from '../../electron/core/app/memorySecrets';
import { startBridge, type RunningBridge } from '../../electron/server/bridge';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET, so the test controls every header and sees the bytes as sent. */
export function get(bridge: RunningBridge, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: bridge.port, path, headers: { Host: `127.0.0.1:${bridge.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `serve`'s real HTTP bridge over one archive (a browser shell, a stub UI), closed after each test. */
export function useServedBridges(): (dir: string, archivePath: string) => Promise<{ bridge: RunningBridge; service: AppService; auth: { authorization: string } }> {
  const open: { bridge: RunningBridge; service: AppService }[] = [];
  afterEach(async () => {
    for (const { bridge, service } of open.splice(0)) {
      await bridge.close();
      await service.close();
    }
  });
  return async (dir, archivePath) => {
    const staticDir = join(dir, 'ui');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Cliq Vault</title>');
    const service = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'config') }),
      secrets: memorySecretStore(),
      host: { shell: 'browser', defaultArchiveDir: join(dir, 'archives'), runsScheduleInApp: false },
      archiveOverride: archivePath,
    });
    const bridge = await startBridge({ service, staticDir });
    open.push({ bridge, service });
    return { bridge, service, auth: { authorization: `Bearer ${bridge.token}` } };
  };
}
