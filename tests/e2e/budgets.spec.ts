/** A site's monthly budgets on its page: edited for a year, saved together, refused when not a number. */
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

test('a manager sets a site’s budgets for the months of a year, and a figure that is not a number is refused', async ({
  page,
  server,
}) => {
  const ctx = { role: 'admin' as const, actor: 'e2e' };
  const site = await server.core.handlers['sites.create']({ name: 'Budget hall' }, ctx);
  const year = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric' }).format(new Date()),
  );
  const list = () => server.core.handlers['budgets.list']({ siteId: site.id }, ctx);

  const shell = new AppShell(page);
  await shell.open(server.url, `/sites/${site.id}`);
  const card = page.getByTestId('site-budgets');
  await expect(card.getByTestId('budget-row')).toHaveCount(12);
  await card.getByLabel(`Mar ${year} kWh budget`).fill('4,500');
  await card.getByLabel(`Mar ${year} £ budget`).fill('£1,234.56');
  await card.getByLabel(`Apr ${year} kWh budget`).fill('lots');
  await card.getByRole('button', { name: 'Save budgets' }).click();
  await expect(card.getByRole('alert')).toHaveText(`Apr ${year}: kWh is a number of 0 or more`);
  expect(await list()).toEqual([]);

  await card.getByLabel(`Apr ${year} kWh budget`).fill('4200');
  await card.getByRole('button', { name: 'Save budgets' }).click();
  await expect
    .poll(async () => (await list()).map((b) => [b.month, b.kwh, b.pence]))
    .toEqual([
      [`${year}-03`, 4500, 123456],
      [`${year}-04`, 4200, null],
    ]);
  await expect(card.locator('tfoot')).toContainText('8,700 kWh');
  await expect(card.locator('tfoot')).toContainText('£1,234.56');
  await page.screenshot({ path: screenshotPath('40-site-budgets'), fullPage: true });

  // another year starts empty, and coming back shows what was saved
  await card.getByRole('button', { name: String(year - 1) }).click();
  await expect(card.getByLabel(`Mar ${year - 1} kWh budget`)).toHaveValue('');
  await card.getByRole('button', { name: String(year) }).click();
  await expect(card.getByLabel(`Mar ${year} kWh budget`)).toHaveValue('4500');
  await expect(card.getByLabel(`Mar ${year} £ budget`)).toHaveValue('1234.56');
});
