import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, test } from './serveFixture';

test('in serve, a bundle of the export history checks against the archive and downloads as a .zip whose SHA-256 is the one shown', async ({ page, served }) => {
  await served.open(page);
  await page.getByRole('button', { name: /try the demo org/i }).click();
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page.getByRole('heading', { name: /Sync finished/ })).toBeVisible({ timeout: 60_000 });

  await page.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByLabel('Scope preview')).toContainText(/\d/);
  await page.getByLabel(/Destination folder/).fill(join(served.dir, 'bundles'));
  await page.getByRole('button', { name: 'Export bundle' }).click();
  await expect(page.getByRole('heading', { name: 'Bundle written' })).toBeVisible({ timeout: 60_000 });

  const history = page.getByRole('table', { name: 'Export history' });
  await history.getByRole('button', { name: /against this archive/ }).first().click();
  await expect(history.getByText('This bundle belongs to this archive.')).toBeVisible({ timeout: 30_000 });
  await expect(history.getByText(/Seal linked: yes/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Seal history' }).getByRole('row')).not.toHaveCount(1);
  await history.getByRole('button', { name: /Download \.zip/ }).first().click();
  const shown = page.locator('code[aria-label="SHA-256 of the zip"]');
  await expect(shown).toHaveText(/^[0-9a-f]{64}$/, { timeout: 60_000 });
  await screenshot(page, 'bundle-zip');
  const [download] = await Promise.all([page.waitForEvent('download'), history.getByRole('link', { name: /^Save audit-.*\.zip$/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-.*\.zip$/);
  const path = await download.path();
  expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe((await shown.textContent())?.trim());
});
