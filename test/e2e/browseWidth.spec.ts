import { expect, screenshot, test } from './serveFixture';

// The smaller laptop screen of issue 13: a 300-character title once grew the table to 2,621 px.
test.use({ viewport: { width: 1024, height: 700 } });

test('Browse at 1024 px: a 300-character title is clamped, the table fits, columns sort', async ({ page, served }) => {
  await served.open(page);
  await page.getByRole('button', { name: /try the demo org/i }).click();
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page.getByRole('heading', { name: /Sync finished/ })).toBeVisible({ timeout: 60_000 });

  await page.getByRole('link', { name: 'Browse' }).click();
  const table = page.getByRole('table', { name: 'Conversations' });
  await expect(table).toBeVisible();
  // The demo org's longest title is 301 characters: shown on one line, whole on hover.
  const long = table.getByRole('link', { name: /^Long title / });
  await expect(long).toBeVisible();
  // The cell holds the whole title for hover.
  expect(((await long.locator('xpath=ancestor::td[1]').getAttribute('title')) ?? '').length).toBeGreaterThan(300);
  const box = await long.boundingBox();
  expect(box?.height ?? 0).toBeLessThan(40);
  // The table is no wider than the screen's content area: nothing to scroll sideways.
  const widths = await table.evaluate((el) => ({ table: el.scrollWidth, parent: el.parentElement?.clientWidth ?? 0, page: document.documentElement.scrollWidth }));
  expect(widths.table).toBeLessThanOrEqual(widths.parent);
  expect(widths.page).toBeLessThanOrEqual(1024);
  // The counts stay on screen.
  await expect(table.getByRole('columnheader', { name: /Last synced/ })).toBeInViewport();

  // Sorting by title from its header button: ascending, then descending.
  const header = table.getByRole('columnheader', { name: /Title/ });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await screenshot(page, '22-browse-1024');
});
