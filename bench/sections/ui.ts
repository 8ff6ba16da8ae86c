import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { percentile } from '../proc';
import type { Row } from '../results';

const cli = 'bin/cliq-vault.mjs';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Words typed into the search box as a user would, one key at a time. */
const typed = ['budget', 'the vendor', 'approved', 'deadline', 'invoice', 'meeting notes', 'review', 'launch', 'contract', 'thanks', 'schedule', 'release'];
/** Milliseconds between keystrokes: a brisk typist (~12 characters a second). */
const keyDelayMs = 80;

/**
 * The UI in Chromium against `serve` on the bench archive: time from the last keystroke of a
 * query to its results painted (the renderer's own `search:input-to-paint` measure, taken after
 * the frame that shows them), and time to first paint of the app.
 */
export async function benchUi(archivePath: string): Promise<Row[]> {
  if (!existsSync(chromiumPath)) {
    const why = `no Chromium at ${chromiumPath}: sudo apt-get install -y chromium`;
    return [
      { section: 'ui', measure: 'last keystroke to painted results, p95', figure: 0, unit: 'ms', target: '≤ 150 ms', notMeasured: why },
      { section: 'ui', measure: 'first paint of the app', figure: 0, unit: 'ms', target: '', notMeasured: why },
    ];
  }
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-ui-'));
  const serve = spawn(process.execPath, [cli, 'serve', '--archive', archivePath, '--config-dir', join(dir, 'config'), '--data-dir', join(dir, 'data'), '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    // serve prints one JSON line when it listens; if it exits first (a wrong Node, no build), say so.
    const exited = once(serve, 'exit').then(([code]) => {
      throw new Error(`cliq-vault serve exited (code ${String(code)}) before it printed its URL; see its stderr above.`);
    });
    const [first] = (await Promise.race([once(serve.stdout, 'data'), exited])) as [Buffer];
    exited.catch(() => undefined);
    const { url } = JSON.parse(first.toString().split('\n')[0] ?? '{}') as { url: string };
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    const paints: number[] = [];
    const ready: number[] = [];
    // First paint, three times (a fresh page each time); the last page stays for the search.
    for (let i = 0; i < 3; i++) {
      await page.goto(`${url}#/search`);
      await page.locator('[data-app-state="ready"]').waitFor();
      const timing = await page.evaluate(() => ({
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        now: performance.now(),
      }));
      paints.push(timing.paint);
      ready.push(timing.now);
    }
    const measures = await typeQueries(page);
    const sorted = [...measures].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    const paint = percentile(
      [...paints].sort((a, b) => a - b),
      50,
    );
    return [
      {
        section: 'ui',
        measure: `last keystroke to painted results, ${typed.length} queries typed at ${keyDelayMs} ms a key (p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms), p95`,
        figure: p95,
        unit: 'ms',
        target: '≤ 150 ms',
        pass: p95 <= 150,
      },
      {
        section: 'ui',
        measure: `first paint of the app (median of 3; ready with data at ${percentile(
          [...ready].sort((a, b) => a - b),
          50,
        ).toFixed(0)} ms)`,
        figure: paint,
        unit: 'ms',
        target: '',
      },
    ];
  } finally {
    await browser.close();
    serve.kill('SIGTERM');
    await once(serve, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Types each query into an empty search box; returns, per query, the measure of its last keystroke. */
async function typeQueries(page: Page): Promise<number[]> {
  const box = page.getByLabel('Search messages');
  const out: number[] = [];
  for (const query of typed) {
    await box.fill('');
    // Waits are CSS selectors (page-side functions would need the DOM's types, and strings would
    // need the 'unsafe-eval' the app's CSP refuses).
    await page.locator('[data-search-state]:not([data-search-state="loading"])').waitFor();
    await page.evaluate(() => performance.clearMeasures('search:input-to-paint'));
    await box.pressSequentially(query, { delay: keyDelayMs });
    // Painted for the text of the last keystroke (the renderer names the query its results are for).
    await page.locator(`[data-search-state="done"][data-search-query=${JSON.stringify(query)}]`).waitFor();
    const last = await page.evaluate(() => performance.getEntriesByName('search:input-to-paint').at(-1)?.duration ?? NaN);
    out.push(last);
  }
  return out;
}
