import { expect, screenshot, test } from './serveFixture';

// A small laptop screen: the reviewer's flow must work at 1024×700.
test.use({ viewport: { width: 1024, height: 700 } });

test('a search keeps its filters across a hit, Back to results and a reload, then exports exactly that scope', async ({ page, served }) => {
  await served.open(page);
  await page.getByRole('button', { name: /try the demo org/i }).click();
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page.getByRole('heading', { name: /Sync finished/ })).toBeVisible({ timeout: 60_000 });

  // Search with a filter: words in channels only, dates read in the settings' zone.
  await page.getByRole('link', { name: 'Search' }).click();
  await page.getByLabel('Search messages').fill('the');
  const kinds = page.getByRole('group', { name: 'Kinds' });
  await kinds.getByRole('checkbox', { name: 'channel' }).check();
  await expect(page.getByRole('group', { name: /^Dates in / })).toBeVisible();
  await expect(page).toHaveURL(/#\/search\?q=the&kind=channel$/);
  await expect(page.locator('[data-search-state="done"][data-search-query="the"]')).toBeVisible();
  const hits = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  await expect(hits.nth(1)).toBeVisible();
  await expect(hits.first().locator('.tag')).toHaveText('channel');
  await screenshot(page, '19-search-filtered');

  // Open a hit: the transcript knows where it came from, and walks to the next hit.
  await hits.first().click();
  const nav = page.getByRole('navigation', { name: 'Search hits' });
  await expect(nav).toContainText(/Hit 1 of \d+/);
  await expect(page.locator('article[aria-current="true"]')).toBeVisible();
  await nav.getByRole('button', { name: 'Next hit →' }).click();
  await expect(nav).toContainText(/Hit 2 of \d+/);
  await expect(page.locator('article[aria-current="true"]')).toBeVisible();
  await screenshot(page, '20-transcript-from-search');

  // Back to results: the same text and filter, on the hit last opened.
  await nav.getByRole('link', { name: '← Back to results' }).click();
  await expect(page.getByRole('heading', { name: 'Search', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Search messages')).toHaveValue('the');
  await expect(kinds.getByRole('checkbox', { name: 'channel' })).toBeChecked();
  const selected = page.getByRole('listbox', { name: 'Search results' }).getByRole('option', { selected: true });
  await expect(selected).toHaveAttribute('data-index', '1');
  await expect(selected).toBeInViewport();

  // A reload keeps them too.
  await page.reload();
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(page.getByLabel('Search messages')).toHaveValue('the');
  await expect(kinds.getByRole('checkbox', { name: 'channel' })).toBeChecked();
  await expect(page.locator('[data-search-state="done"][data-search-query="the"]')).toBeVisible();

  // Export these results: the Audit screen opens on the same scope.
  await page.getByRole('button', { name: /^Export these \d+\+? results…$/ }).click();
  await expect(page.getByRole('heading', { name: 'Audit export' })).toBeVisible();
  await expect(page).toHaveURL(/#\/audit\?q=the&kind=channel$/);
  await expect(page.getByLabel('Containing')).toHaveValue('the');
  await expect(page.getByRole('group', { name: 'Kinds' }).getByRole('checkbox', { name: 'channel' })).toBeChecked();
  await expect(page.getByLabel('Scope preview')).toContainText(/Messages\s*[1-9]/);
  await screenshot(page, '21-search-to-audit');
});
