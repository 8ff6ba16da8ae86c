import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface InstalledCli {
  /** The Node binary running this process (Node 22; a scheduler's PATH may hold another one). */
  node: string;
  /** bin/cliq-vault.mjs of this installation. */
  cli: string;
  /** The package folder: the job runs there, so `node_modules` resolves as it does for `npx`. */
  workdir: string;
}

/**
 * Where this Cliq Vault is installed, found from this module's own location (the bundled CLI in
 * dist/, or the sources under tests) by walking up to the package.json named cliq-vault. The job
 * runs the absolute paths found here rather than `npx`, which a scheduler's bare PATH may not find.
 */
export function installedCli(from: string = fileURLToPath(import.meta.url)): InstalledCli {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'cliq-vault') {
      return { node: process.execPath, cli: join(dir, 'bin', 'cliq-vault.mjs'), workdir: dir };
    }
    if (dirname(dir) === dir) throw new Error(`No cliq-vault package.json above ${from}`);
  }
}
