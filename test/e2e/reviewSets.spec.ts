import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshot, startServe, syncDemo, test } from './serveFixture';

// The reviewer's laptop: the set view must be usable at 1280×800, keyboard only.
test.use({ viewport: { width: 1280, height: 800 } });

test('a review set made from a search is coded from the keyboard, filtered by tag, and keeps its coding across a reload', async ({ page, served }) => {
  await served.open(page);
  await syncDemo(page);

  // A search, frozen into a set through "Make a review set…".
  await page.getByRole('link', { name: 'Search' }).click();
  await page.getByLabel('Search messages').fill('the');
  await page.getByRole('group', { name: 'Kinds' }).getByRole('checkbox', { name: 'channel' }).check();
  await expect(page.locator('[data-search-state="done"][data-search-query="the"]')).toBeVisible();
  await page.getByRole('button', { name: 'Make a review set…' }).click();
  await expect(page).toHaveURL(/#\/reviewSets\?new=1&q=the&kind=channel$/);
  const form = page.getByRole('form', { name: 'New review set' });
  await expect(form.getByRole('radio', { name: 'the current search' })).toBeChecked();
  await expect(form).toContainText('containing “the” · in channel');
  await form.getByLabel('Name').fill('Demo matter');
  await form.getByRole('button', { name: 'Make the review set' }).click();
  // The new set's view; once its items load it also records the first item as the current one.
  await expect(page).toHaveURL(/#\/reviewSets\/\d+(?:\?at=1)?$/);
  await expect(page.getByRole('heading', { name: 'Demo matter', level: 1 })).toBeVisible();
  await expect(page.getByText(/^search: /)).toBeVisible();
  const list = page.getByRole('listbox', { name: 'Items of the set' });
  await expect(list).toBeFocused();
  await expect(page.getByRole('progressbar', { name: /^Reviewed 0 of \d+$/ })).toBeVisible();
  const said = page.getByRole('status');

  // Three messages coded with the keyboard only: responsive; next, privileged; next, a new tag "hot".
  await page.keyboard.press('1');
  await expect(said).toContainText('Tagged responsive');
  await page.keyboard.press('j');
  await page.keyboard.press('3');
  await expect(said).toContainText('Tagged privileged');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('t');
  await expect(page.getByLabel('New tag')).toBeFocused();
  await page.keyboard.type('hot');
  await page.keyboard.press('Enter');
  await expect(said).toContainText('Tagged hot');
  await expect(list).toBeFocused();
  await expect(page.getByRole('region', { name: 'Current item' }).getByRole('button', { name: 'hot', pressed: true })).toHaveAttribute('aria-keyshortcuts', '5');
  await page.keyboard.press('n');
  await page.keyboard.type('ask counsel about j and k');
  await page.keyboard.press('Control+Enter');
  await expect(said).toContainText('Noted');
  await expect(page.getByRole('list', { name: 'Coding records' })).toContainText('noted: ask counsel about j and k');
  // Enter: the message in its conversation; Back: the same item of the set.
  await page.keyboard.press('Enter');
  await expect(page.locator('article[aria-current="true"]')).toBeVisible();
  await page.goBack();
  await expect(list.getByRole('option', { selected: true })).toContainText('#3');
  const progress = page.getByRole('progressbar', { name: /^Reviewed 3 of \d+$/ });
  await expect(progress).toBeVisible();
  await expect(page.locator('details.keys-help')).toContainText('code the whole conversation');
  await screenshot(page, '26-review-set-coding');

  // Filter by tag: only the privileged one.
  await page.getByLabel('Tag', { exact: true }).selectOption('privileged');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(list.getByRole('option').first()).toContainText('privileged');

  // A reload keeps the coding (it is the archive's, not the page's).
  await page.reload();
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Demo matter', level: 1 })).toBeVisible();
  await expect(progress).toBeVisible();
  // The address kept the filter too.
  await expect(page.getByLabel('Tag', { exact: true })).toHaveValue('privileged');
  await expect(list.getByRole('option')).toHaveCount(1);
  await page.getByLabel('Tag', { exact: true }).selectOption('');
  await list.focus();
  await expect(list.getByRole('option').nth(0)).toContainText('responsive');
  await expect(list.getByRole('option').nth(1)).toContainText('privileged');
  await expect(list.getByRole('option').nth(2)).toContainText('hot');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(page.getByRole('region', { name: 'Current item' })).toContainText('ask counsel about j and k');

  // Produce: responsive and not privileged (the picker's default) is the first item only.
  const produce = page.getByRole('region', { name: 'Produce' });
  await expect(produce).toContainText('Items tagged responsive, not tagged privileged.');
  await produce.getByRole('button', { name: 'Produce…' }).click();
  await expect(page).toHaveURL(/#\/audit\?set=\d+&with=responsive&without=privileged$/);
  await expect(page.getByRole('group', { name: 'Production from a review set' }).getByRole('link', { name: 'Demo matter' })).toBeVisible();
  await expect(page.getByLabel('Scope preview')).toContainText(/Messages\s*1(?!\d)/);
  await page.getByLabel(/Destination folder/).fill(join(served.dir, 'bundles'));
  await page.getByRole('button', { name: 'Export bundle' }).click();
  await expect(page.getByRole('heading', { name: 'Bundle written' })).toBeVisible({ timeout: 60_000 });
  await screenshot(page, '27-review-set-production');
  await page.getByRole('link', { name: 'Demo matter' }).click();
  await expect(page.getByRole('heading', { name: 'Demo matter', level: 1 })).toBeVisible();

  // The list of sets shows the same progress and counts.
  await page.getByRole('link', { name: '← All review sets' }).click();
  const row = page.getByRole('table', { name: 'Review sets' }).getByRole('row', { name: /Demo matter/ });
  await expect(row.getByRole('progressbar', { name: /^Reviewed 3 of \d+$/ })).toBeVisible();
  await expect(row).toContainText('responsive 1');
  await expect(row).toContainText('hot 1');
  await screenshot(page, '28-review-sets');

  // The same archive served read-only (`serve --archive`, no org of its own): the sets and their
  // coding show, coding is refused with the reason.
  const archive = join(served.dir, 'data', readdirSync(join(served.dir, 'data')).find((name) => name.endsWith('.sqlite')) ?? 'missing.sqlite');
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-e2e-ro-'));
  const { app, child } = await startServe(dir, ['--archive', archive]);
  try {
    await app.open(page);
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    await expect(page.getByRole('note')).toContainText('open read-only');
    await page.getByRole('link', { name: 'Demo matter' }).click();
    await expect(page.getByRole('progressbar', { name: /^Reviewed 3 of \d+$/ })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Current item' }).getByRole('button', { name: 'responsive', pressed: true })).toBeDisabled();
    await page.keyboard.press('2');
    await expect(page.getByRole('status')).toHaveText('This archive is open read-only: coding is not possible here.');
    await screenshot(page, '29-review-set-read-only');
  } finally {
    const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
