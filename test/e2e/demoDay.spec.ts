import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './serveFixture';

/** The number a fact of the sync report shows (`<dt>label</dt><dd>n</dd>`). */
async function fact(page: Page, label: string): Promise<number> {
  const text = await page.locator('dl.facts div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

test('a second sync of the demo org simulates a day: edits, deletions, joins and leaves are archived', async ({ page, served }) => {
  await served.open(page);
  await page.getByRole('button', { name: /try the demo org/i }).click();
  await page.getByRole('button', { name: 'Start sync' }).click();
  const report = page.getByRole('heading', { name: /Sync finished/ });
  await expect(report).toContainText('complete', { timeout: 60_000 });
  expect(await fact(page, 'Changed messages')).toBe(0);

  // After the first sync the button says what it does on the demo org.
  await page.getByRole('button', { name: 'Simulate a day of activity and sync' }).click();
  await expect(page.getByText(/^run #2 ·/)).toBeVisible({ timeout: 60_000 });
  await expect(report).toContainText('complete');
  expect(await fact(page, 'New messages')).toBeGreaterThan(0);
  expect(await fact(page, 'Changed messages')).toBeGreaterThan(0);
  expect(await fact(page, 'Deleted messages')).toBeGreaterThan(0);
  expect(await fact(page, 'Members joined')).toBeGreaterThan(0);
  expect(await fact(page, 'Members left')).toBeGreaterThan(0);
  await screenshot(page, '21-demo-day');
  const changed = await fact(page, 'Changed messages');
  const deleted = await fact(page, 'Deleted messages');

  // The Changes screen says what that run brought, the same numbers, each linked to its transcript.
  await page.getByRole('link', { name: 'Changes' }).click();
  await page.getByRole('button', { name: 'Show the changes' }).click();
  const counts = page.getByRole('table', { name: 'Changes by kind' });
  await expect(counts).toContainText('Sync run 2');
  await expect(counts.getByRole('row', { name: /^Edited messages/ })).toContainText(String(changed));
  await expect(counts.getByRole('row', { name: /^Deleted messages/ })).toContainText(String(deleted));
  const edited = page.getByRole('region', { name: 'Edited messages' });
  await expect(edited.getByRole('row')).toHaveCount(changed + 1);
  await screenshot(page, '25-changes');
  await edited.getByRole('link').first().click();
  await expect(page).toHaveURL(/#\/browse\/[^?]+\?focus=\d+/);
});
