import { expect, screenshot, test } from './serveFixture';
import { join } from 'node:path';

/**
 * A scripted review session in the browser: a search typed letter by letter, a hit opened in its
 * conversation, a retention preview and an audit bundle. The Review log screen then holds one entry
 * per action (the typing folded into its search), and its own reading on record too.
 */
test('the review log has one entry per action of a review session', async ({ page, served }) => {
  await served.open(page);
  await page.getByRole('button', { name: /try the demo org/i }).click();
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page.getByRole('heading', { name: /Sync finished/ })).toContainText('complete', { timeout: 60_000 });

  // 1. A search, typed letter by letter.
  await page.getByRole('link', { name: 'Search' }).click();
  await page.getByLabel('Search messages').pressSequentially('the', { delay: 60 });
  await expect(page.locator('[data-search-state="done"][data-search-query="the"]')).toBeVisible();
  // 2. One hit opened in its conversation.
  await page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first().click();
  await expect(page.locator('article[aria-current="true"]')).toBeVisible();

  // 3. A retention dry run.
  await page.getByRole('link', { name: 'Retention' }).click();
  const days = page.getByLabel(/Keep messages of the last/);
  await days.fill('1');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('heading', { name: 'What this policy would do now' })).toBeVisible();

  // 4. An audit bundle of the whole archive.
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.getByLabel(/Destination folder/).fill(join(served.dir, 'bundles'));
  await page.getByRole('button', { name: 'Export bundle' }).click();
  await expect(page.getByRole('heading', { name: 'Bundle written' })).toBeVisible({ timeout: 60_000 });

  // The log is written in batches after a quiet moment: open the screen until the bundle shows.
  const log = page.getByRole('table', { name: 'Review log' });
  await expect(async () => {
    await page.getByRole('link', { name: 'Sync' }).click();
    await page.getByRole('link', { name: 'Review log' }).click();
    await expect(log.getByRole('row').filter({ hasText: 'Audit bundle' })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const rows = (label: string) => log.getByRole('row').filter({ has: page.getByRole('cell', { name: label, exact: true }) });
  await expect(rows('Search')).toHaveCount(1);
  await expect(rows('Search')).toContainText(/refined \d+ times? while typing/);
  await expect(rows('Transcript read')).toHaveCount(1);
  await expect(rows('Retention preview')).toHaveCount(1);
  await expect(rows('Audit bundle')).toHaveCount(1);
  await expect(rows('Search')).toContainText('the');
  await screenshot(page, '23-review-log');
});
