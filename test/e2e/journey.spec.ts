import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, test } from './serveFixture';

const nav = (name: string) => ({ role: 'link' as const, name });

test('an admin connects the demo org, syncs, searches, opens a hit in context, exports and verifies an audit bundle', async ({ page, served }) => {
  await served.open(page);
  await expect(page.getByRole('heading', { name: 'Connect an org' })).toBeVisible();
  await screenshot(page, '01-connect');

  await page.getByRole('button', { name: /try the demo org/i }).click();
  await expect(page.getByRole('heading', { name: 'Sync', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Next sync' })).toBeVisible();
  await screenshot(page, '02-sync-plan');

  await page.getByRole('button', { name: 'Start sync' }).click();
  const report = page.getByRole('heading', { name: /Sync finished/ });
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(report).toContainText('complete');
  await expect(page.getByRole('table', { name: 'Recent sync runs' })).toContainText('complete');
  await screenshot(page, '03-sync-done');

  // Browse: the conversation list, then a transcript.
  await page.getByRole(nav('Browse').role, { name: 'Browse' }).click();
  const conversations = page.getByRole('table', { name: 'Conversations' });
  await expect(conversations).toBeVisible();
  await conversations.getByRole('link').first().click();
  await expect(page.getByRole('article').first()).toBeVisible();
  await screenshot(page, '04-browse-transcript');

  // Search as you type, then open the first hit in its conversation.
  await page.getByRole('link', { name: 'Search' }).click();
  const box = page.getByLabel('Search messages');
  await box.pressSequentially('the', { delay: 40 });
  const results = page.locator('[data-search-state="done"]');
  await expect(results).toBeVisible();
  const hits = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await expect(hits.first()).toBeVisible();
  await expect(hits.first().locator('mark').first()).toHaveText(/the/i);
  await screenshot(page, '05-search');
  await hits.first().click();
  const focused = page.locator('article[aria-current="true"]');
  await expect(focused).toBeVisible();
  await expect(focused).toBeInViewport();
  await screenshot(page, '06-search-hit-in-context');

  // Audit: export a bundle into a folder of the test's, then check its manifest on disk.
  await page.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByLabel('Scope preview')).toContainText(/\d/);
  const destination = join(served.dir, 'bundles');
  await page.getByLabel(/Destination folder/).fill(destination);
  await page.getByRole('button', { name: 'Export bundle' }).click();
  await expect(page.getByRole('heading', { name: 'Bundle written' })).toBeVisible({ timeout: 60_000 });
  const shownHash = (await page.locator('code[aria-label="Bundle hash"]').textContent())?.trim() ?? '';
  await screenshot(page, '07-audit-bundle');
  const [bundle] = readdirSync(destination);
  if (!bundle) throw new Error('no bundle written');
  const bundleDir = join(destination, bundle);
  const sums = readFileSync(join(bundleDir, 'SHA256SUMS'));
  expect(createHash('sha256').update(sums).digest('hex')).toBe(shownHash);
  for (const line of sums.toString('utf8').trim().split('\n')) {
    const [hash, name] = line.split(/\s+\*?/);
    expect(
      createHash('sha256')
        .update(readFileSync(join(bundleDir, name ?? '')))
        .digest('hex'),
      name,
    ).toBe(hash);
  }
  const manifest = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')) as { files: { path: string; rows: number }[] };
  expect(manifest.files.some((f) => f.path.endsWith('messages.csv') && f.rows > 0)).toBe(true);
  await page.getByRole('button', { name: /verify bundle/i }).click();
  await expect(page.getByText(/bundle checks out|verified|all \d+ files/i).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Export history' })).toContainText('complete');

  await page.getByRole('link', { name: 'Insights' }).click();
  await expect(page.getByLabel('Messages by weekday and hour')).toBeVisible();
  await screenshot(page, '08-insights');

  await page.getByRole('link', { name: 'Schedule & backups' }).click();
  await expect(page.getByRole('heading', { name: 'Nightly sync and backup' })).toBeVisible();
  await screenshot(page, '09-schedule');
});

test('a changed setting is kept and applies (dark theme)', async ({ page, served }) => {
  await served.open(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  await page.getByRole('radio', { name: 'Dark' }).click();
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, '10-settings-dark');
  await page.reload();
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const settings = JSON.parse(readFileSync(join(served.dir, 'config', 'config.json'), 'utf8')) as { theme: string };
  expect(settings.theme).toBe('dark');
});
