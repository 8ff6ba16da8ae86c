import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/**
 * The sync's parser thread bundled from the sources under test, as scripts/build.mjs bundles it
 * (dist/cli/rowParser.mjs): a worker thread runs JavaScript, and the tests run TypeScript.
 */
export function useRowParserBundle(): () => URL {
  let dir: string | undefined;
  let entry: URL | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cliq-vault-parser-'));
    const outfile = join(dir, 'rowParser.mjs');
    await build({ entryPoints: ['electron/worker/rowParserEntry.ts'], outfile, bundle: true, platform: 'node', target: 'node22', format: 'esm', logLevel: 'warning' });
    entry = pathToFileURL(outfile);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!entry) throw new Error('the parser bundle is built in beforeAll');
    return entry;
  };
}
