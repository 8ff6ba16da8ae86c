import { expect, screenshot, test } from './serveFixture';

test('after a sync of the demo org, the directory, admin roles, calls, scheduled messages and sources are there to read', async ({ page, served }) => {
  await served.open(page);
  await page.getByRole('button', { name: /try the demo org/i }).click();
  await expect(page.getByRole('heading', { name: 'Sync', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Start sync' }).click();
  const report = page.getByRole('heading', { name: /Sync finished/ });
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(report).toContainText('complete');

  // Every optional source of the demo org was granted and archived.
  const sources = page.getByRole('table', { name: 'Evidence sources' });
  await expect(sources).toBeVisible();
  await expect(sources.getByRole('row').filter({ hasText: 'archived' }).first()).toBeVisible();
  await expect(sources).not.toContainText('Grant ');
  await screenshot(page, '14-evidence-sources');

  // Directory: people with their groups; who held an admin role, and when.
  await page.getByRole('link', { name: 'Directory' }).click();
  await expect(page.getByRole('heading', { name: 'Directory', level: 1 })).toBeVisible();
  const people = page.getByRole('list', { name: 'People' });
  await expect(people.getByRole('listitem').first()).toBeVisible();
  await screenshot(page, '15-directory-people');
  await page.getByRole('tab', { name: 'Admin roles' }).click();
  const admins = page.getByRole('table', { name: 'Admin role holders' });
  await expect(admins.getByRole('row').nth(1)).toBeVisible();
  await expect(admins).toContainText(/member when first archived|noticed/);
  await screenshot(page, '16-directory-admins');

  // Calls & scheduled: the admin's calls, the org's call notices, the scheduled messages.
  await page.getByRole('link', { name: 'Calls & scheduled' }).click();
  await expect(page.getByRole('table', { name: 'Calls and meetings' }).getByRole('row').nth(1)).toBeVisible();
  await screenshot(page, '17-calls');
  await page.getByRole('tab', { name: 'Call notices in conversations' }).click();
  await expect(page.getByRole('table', { name: 'Call notices' }).getByRole('row').nth(1)).toBeVisible();
  await page.getByRole('tab', { name: 'Scheduled messages' }).click();
  await expect(page.getByRole('table', { name: 'Scheduled messages' }).getByRole('row').nth(1)).toBeVisible();
  await screenshot(page, '18-scheduled');
});
