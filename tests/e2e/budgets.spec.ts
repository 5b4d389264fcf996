/**
 * A site's monthly budgets on its page: edited for a year, saved together, refused when not a number;
 * and, for a site with a year of readings and a tariff, opened on its budgets' year with the actual
 * kWh and £ of each month beside the budget.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPounds } from '../../src-renderer/lib/money';
import { flatTariff } from '../fixtures/tariffs';
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
  // saved figures read as they were typed
  await expect(card.getByLabel(`Mar ${year} kWh budget`)).toHaveValue('4,500');
  await expect(card.getByLabel(`Mar ${year} £ budget`)).toHaveValue('£1,234.56');
  await expect(card.getByRole('button', { name: 'Save budgets' })).toHaveClass(/btn-primary/);
});

const MPAN = '1200050000408';

/** A year of half-hours (UK 01/04/2024 to 31/03/2025), 0.5 kWh each, as an import CSV. */
function yearCsv(): string {
  const lines = ['MPAN,Timestamp,kWh'];
  // 00:00 on 1 April 2024 and 2025, UK time (BST): 23:00 UTC the day before
  for (let t = Date.UTC(2024, 2, 31, 23); t < Date.UTC(2025, 2, 31, 23); t += 1_800_000)
    lines.push(`${MPAN},${new Date(t).toISOString()},0.5`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-budgets-')), 'budget-year.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('the budget card opens on the year of the budgets, with each month’s actual kWh and £ and the variance', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const core = server.core;
  const ctx = { role: 'admin' as const, actor: 'e2e' };
  const stored = await core.files.storePath(yearCsv());
  const { jobIds } = core.imports.enqueue([stored.fileId]);
  await expect.poll(() => core.imports.get(jobIds[0]!).status, { timeout: 30_000 }).toBe('done');
  await core.scheduler.idle();
  const site = await core.handlers['sites.create']({ name: 'Budget depot' }, ctx);
  await core.handlers['meters.update']({ meter: MPAN, siteId: site.id }, ctx);
  const tariff = flatTariff({ id: 'e2e-budget-flat', supplier: 'Budget Power', validFrom: '2024-01-01' });
  await core.handlers['tariffs.import']({ text: JSON.stringify({ tariffs: [tariff] }), fileName: 'b.json' }, ctx);
  await core.handlers['tariffs.assign']({ meter: MPAN, tariff: 'e2e-budget-flat', from: '2024-04-01' }, ctx);
  const months = ['2024-11', '2024-12', '2025-01', '2025-02', '2025-03'];
  await core.handlers['budgets.set'](
    { siteId: site.id, months: months.map((month) => ({ month, kwh: 700, pence: 25_000 })) },
    ctx,
  );

  // January 2025: 31 days of 48 half-hours at 0.5 kWh; priced on the flat tariff by hand
  const janKwh = 31 * 48 * 0.5;
  const janPence = (janKwh * (27.4 + 0.775) + 31 * 55) * 1.2;
  // March 2025 loses an hour at the clock change
  const marKwh = (31 * 48 - 2) * 0.5;

  await page.setViewportSize({ width: 1440, height: 900 });
  const shell = new AppShell(page);
  await shell.open(server.url, `/sites/${site.id}`);
  const card = page.getByTestId('site-budgets');
  await expect(card.locator('.budget-year-label')).toHaveText('2025');
  const jan = card.locator('[data-month="2025-01"]');
  await expect(card.getByLabel('Jan 2025 kWh budget')).toHaveValue('700');
  await expect(card.getByLabel('Jan 2025 £ budget')).toHaveValue('£250.00');
  await expect(jan.getByTestId('budget-actual-kwh')).toHaveText(janKwh.toLocaleString('en-GB'));
  await expect(jan.getByTestId('budget-actual-gbp')).toHaveText(formatPounds(janPence));
  await expect(jan).toContainText(`+${janKwh - 700} +${(((janKwh - 700) / 700) * 100).toFixed(1)} %`);
  await expect(card.locator('[data-month="2025-03"]').getByTestId('budget-actual-kwh')).toHaveText(
    marKwh.toLocaleString('en-GB'),
  );
  // no readings after March: no actual, no variance
  await expect(card.locator('[data-month="2025-04"]').getByTestId('budget-actual-kwh')).toHaveText('—');
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: screenshotPath('41-site-budgets-actuals-1440') });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(800);
  await card.screenshot({ path: screenshotPath('41-site-budgets-actuals-1024') });

  // the year before: November's budget against its 30 days
  await card.getByRole('button', { name: '2024' }).click();
  await expect(card.locator('[data-month="2024-11"]').getByTestId('budget-actual-kwh')).toHaveText(
    (30 * 24).toLocaleString('en-GB'),
  );
});
