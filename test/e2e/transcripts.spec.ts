import { test as base } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAuditBundle } from '../../electron/core/audit';
import { syncArchive } from '../../electron/core/createCore';
import { startDemoOrg } from '../../electron/simulator/demoOrg';
import { expect, screenshot } from './serveFixture';

/** A text whose first strong character is Arabic or Hebrew: dir="auto" lays it out right to left. */
const rtl = /^[^A-Za-z\u00C0-\u024F]*[\u0590-\u06FF]/;

/**
 * A bundle's transcripts as an auditor opens them: from disk, in Chromium with JavaScript off and
 * no network. The demo org after a day of activity (edits, deletions, leavers) is synced, bundled,
 * and read through index.html.
 */
const test = base.extend<{ bundle: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
  bundle: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-e2e-transcripts-'));
    const demo = await startDemoOrg({ scale: 'tiny' });
    try {
      const connection = {
        endpoints: { apiBase: demo.apiBase, accountsBase: demo.accountsBase, dataCentre: 'custom' as const, network: undefined },
        credentials: { clientId: demo.clientId, clientSecret: demo.clientSecret, refreshToken: demo.refreshToken },
        quotaScale: demo.quotaScale,
      };
      const archive = join(dir, 'demo.sqlite');
      expect((await syncArchive(archive, connection)).status).toBe('complete');
      demo.catchUp(1);
      expect((await syncArchive(archive, connection)).status).toBe('complete');
      await createAuditBundle({ archivePath: archive, outDir: join(dir, 'bundle'), scope: { timeZone: 'Europe/Berlin' } });
    } finally {
      await demo.close();
    }
    await use(join(dir, 'bundle'));
    rmSync(dir, { recursive: true, force: true });
  },
});

test('a bundle transcript reads offline with JavaScript off: messages, right-to-left text, edits behind <details>', async ({ browser, bundle }) => {
  // The conversation to read: one with right-to-left text in a message.
  const dir = join(bundle, 'transcripts');
  const file = readdirSync(dir).find((name) => name !== 'index.html' && /<div class="body" dir="auto">[^<A-Za-z]*[\u0590-\u06FF]/.test(readFileSync(join(dir, name), 'utf8')));
  expect(file, 'a transcript with right-to-left text').toBeDefined();

  const context = await browser.newContext({ javaScriptEnabled: false, offline: true, viewport: { width: 1024, height: 700 } });
  const requests: string[] = [];
  context.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(dir, 'index.html')).href);
  await expect(page.getByRole('heading', { name: 'Transcripts', level: 1 })).toBeVisible();
  await screenshot(page, '19-transcripts-index');

  await page.locator(`a[href="${file ?? ''}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${file ?? ''}$`));
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
  const first = page.locator('article[data-message-id]').first();
  await expect(first).toBeVisible();
  await expect(first.locator('.ids')).toContainText('row ');
  const right = page.locator('article .body[dir="auto"]').filter({ hasText: rtl }).first();
  await expect(right).toBeVisible();
  // dir="auto" makes the browser lay the text out right to left.
  expect(await right.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
  await right.scrollIntoViewIfNeeded();
  await screenshot(page, '20-transcript-offline-rtl');

  // An edited message: its earlier versions open from <details>, natively, without script.
  const edited = readdirSync(dir).find((name) => readFileSync(join(dir, name), 'utf8').includes('<details class="versions">'));
  expect(edited, 'a transcript with an edited message').toBeDefined();
  await page.goto(pathToFileURL(join(dir, edited ?? '')).href);
  const versions = page.locator('article.edited details.versions').first();
  await versions.scrollIntoViewIfNeeded();
  await expect(versions.locator('ol')).toBeHidden();
  await versions.locator('summary').click();
  await expect(versions.locator('ol li').first()).toBeVisible();
  await expect(versions.locator('ol li').first()).toContainText('version 1: seen');
  await screenshot(page, '21-transcript-edited-versions');
  expect(requests).toEqual([]);
  await context.close();
});
