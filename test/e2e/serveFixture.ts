import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** `cliq-vault serve` in a child process, as an admin runs it, with its own temp config and data. */
export interface ServedApp {
  url: string;
  origin: string;
  dir: string;
  /** Opens the app (the token link) and waits for the ready marker. */
  open(page: Page): Promise<void>;
  stderr(): string;
}

const cli = resolve(import.meta.dirname, '../../dist/cli/cliq-vault.mjs');

export async function startServe(dir: string, extraArgs: string[] = []): Promise<{ app: ServedApp; child: ChildProcess }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CLIQ_')));
  const child = spawn(process.execPath, [cli, 'serve', '--json', '--config-dir', join(dir, 'config'), '--data-dir', join(dir, 'data'), ...extraArgs], {
    env: { ...env, XDG_CONFIG_HOME: join(dir, 'xdg-config'), XDG_DATA_HOME: join(dir, 'xdg-data'), HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolvePromise, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolvePromise(out.slice(0, end));
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}) before printing its URL:\n${stderr}`)));
  });
  const { url, origin } = JSON.parse(line) as { url: string; origin: string };
  const app: ServedApp = {
    url,
    origin,
    dir,
    stderr: () => stderr,
    async open(page) {
      await page.goto(url);
      await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
    },
  };
  return { app, child };
}

export const test = base.extend<{ served: ServedApp }>({
  // Playwright reads the fixtures a test needs from the destructuring pattern; this one needs none.
  // eslint-disable-next-line no-empty-pattern
  served: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-e2e-'));
    const { app, child } = await startServe(dir);
    try {
      await use(app);
    } finally {
      const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** From a fresh `serve`: the demo org, connected and synced once (the Sync screen's report shown). */
export async function syncDemo(page: Page): Promise<void> {
  await page.getByRole('button', { name: /try the demo org/i }).click();
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page.getByRole('heading', { name: /Sync finished/ })).toBeVisible({ timeout: 60_000 });
}

/** A full-page screenshot kept as a test artifact (test-results/screens/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join('test-results', 'screens', `${name}.png`), fullPage: true });
}
