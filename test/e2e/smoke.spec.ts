import { expect, test } from './serveFixture';

test('the served app loads under its CSP and reaches the ready state', async ({ page, served }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await served.open(page);
  // The token left the address bar once traded for the cookie.
  expect(page.url()).not.toContain('token');
  expect(page.url().startsWith(`${served.origin}/`)).toBe(true);
  expect(problems).toEqual([]);
});

test('without the token link the page says how to get in', async ({ page, served }) => {
  const response = await page.goto(`${served.origin}/`);
  expect(response?.status()).toBe(401);
  await expect(page.getByText('open the link `cliq-vault serve` printed')).toBeVisible();
});
