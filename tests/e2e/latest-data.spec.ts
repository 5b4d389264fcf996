/**
 * Real 2019–2020 files (Energy Sparks' BANES, Highlands and Sheffield exports, an Octopus May 2020
 * page) read years later: the dashboard anchors on the data and says which dates it shows, with the
 * month in £ and CO2, a 13-month trend and the meters behind; the meter page counts missing
 * half-hours one way, draws no baseload on partial days and says when CO2 is not available.
 * A server of its own, so no other spec's recent data moves the anchor.
 */
import path from 'node:path';
import { dispatch } from '../../src-main/core/rpc/dispatch';
import { economy7 } from '../fixtures/tariffs';
import { AppShell, DashboardPage, ImportsPage } from './pages/app';
import { expect, screenshotPath, startServer, test } from './fixtures';

const PUB = path.join(process.cwd(), 'tests', 'fixtures', 'public');
const FILES = [
  'wide-hh-banes-energysparks.csv',
  'row-per-reading-highlands-energysparks.csv',
  'wide-hh-sheffield-energysparks.csv',
  'octopus-consumption-electricity-2020-05.json',
];
const OCTOPUS_METER = '2700003645222';

test('2019–2020 data: real figures anchored on the data, with the dates they are for', async ({ page }) => {
  test.setTimeout(120_000);
  const server = await startServer();
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    const shell = new AppShell(page);
    await shell.open(server.url, '/imports');
    const imports = new ImportsPage(page);
    await imports.importFiles(FILES.map((f) => path.join(PUB, f)));
    for (const f of FILES) await expect(imports.job(f)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    // the Octopus meter is on a tariff; the others have none (named on the dashboard, not priced at £0)
    const admin = { role: 'admin' as const, actor: 'e2e' };
    const tariff = economy7({ validFrom: '2019-01-01' });
    expect(
      (await dispatch(server.core.handlers, 'tariffs.import', { text: JSON.stringify({ tariffs: [tariff] }) }, admin))
        .ok,
    ).toBe(true);
    const assign = { meter: OCTOPUS_METER, tariff: tariff.id, from: '2019-01-01' };
    expect((await dispatch(server.core.handlers, 'tariffs.assign', assign, admin)).ok).toBe(true);

    await shell.nav(/dashboard/i).click();
    const dashboard = new DashboardPage(page);
    // 8 meters' latest complete days: 4 Nov 2019, 13 Nov 2019 ×5, 11 Dec 2019, 7 May 2020 → median 13 Nov 2019
    await expect(page.getByTestId('dashboard-dates')).toContainText(/Latest data: .*13 Nov(ember)? 2019/);
    const day = dashboard.tile('electricity', 'day');
    await expect(day).toContainText('Latest day');
    await expect(day).toContainText('13 Nov');
    expect(Number(await day.getAttribute('data-kwh'))).toBeGreaterThan(1000);
    for (const kind of ['day', 'week', 'month', 'year'] as const) {
      const tile = dashboard.tile('electricity', kind);
      await expect(tile).not.toContainText('0.0 kWh');
      await expect(tile).not.toContainText('(0 % complete)');
    }
    await expect(dashboard.tile('electricity', 'month')).toContainText('Month to date');
    await expect(dashboard.tile('electricity', 'month')).toContainText('1–13 Nov 2019');

    // the month in £ and CO2: the meters without a tariff are named; CO2 by the 2019 annual factor
    const month = page.getByTestId('dashboard-month');
    await expect(month).toContainText('1–13 Nov 2019: cost and emissions');
    await expect(month.getByTestId('month-unpriced')).toContainText('have no tariff for this month');
    await expect(month.getByTestId('month-co2')).toContainText(/\d/);
    await expect(month).toContainText('Annual UK factor');
    await expect(page.getByTestId('dashboard-trend')).toHaveAttribute('data-points', '13');

    // completeness opens the meters missing half-hours, each leading to its page
    const completeness = page.getByTestId('dashboard-completeness');
    await expect(completeness).toContainText(/13 Nov(ember)? 2019/);
    await completeness.getByTestId('show-behind').click();
    const behind = page.getByTestId('behind-card').getByTestId('behind-row');
    await expect(behind).toHaveCount(8);
    // longest behind first: the Highlands meter, last complete on 4 Nov 2019
    await expect(behind.first()).toHaveAttribute('data-meter', '1712423842469');
    await expect(behind.first()).toContainText('4 Nov');
    await page.screenshot({ path: screenshotPath('40-dashboard-old-data-1440'), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: screenshotPath('41-dashboard-old-data-1024'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    // as at a date: the anchor moves back and the page says so
    await page.locator('#dashboard-as-at').fill('10/11/2019');
    await expect(page.getByTestId('dashboard-dates')).toContainText(/Latest data: .*4 Nov(ember)? 2019/);

    // the Octopus meter: 99 of 240 half-hours, 141 missing — on its tiles and on its cost card
    await page.locator(`[data-testid="behind-row"][data-meter="${OCTOPUS_METER}"] a`).click();
    await expect(page.getByTestId('missing-count')).toHaveAttribute('data-missing', '141');
    await expect(page.getByTestId('point-count')).toContainText('99 of 240');
    await expect(page.getByTestId('last-complete-day')).toContainText(/7 May 2020/);
    await expect(page.getByTestId('cost-period-card')).toContainText('99 of 240 half-hours with data');
    // CO2 with no grid intensity stored: not a bold 0 kg
    const halfHourly = page.locator('[data-testid="emissions-cell"][data-method="halfhourly"]').first();
    await expect(halfHourly).toContainText('Not available');
    await expect(halfHourly).toContainText('No grid carbon intensity');
    // the latest complete periods: 7 May 2020, and words for the week, month and year without readings
    await expect(page.getByTestId('comparison-anchor')).toContainText(/7 May 2020/);
    await expect(page.locator('[data-testid="comparison-row"][data-kind="day"]')).toContainText(/7 May 2020/);
    await expect(page.getByTestId('comparison-none')).toContainText('No complete week, month, year with readings');
    await page.screenshot({ path: screenshotPath('42-meter-old-data-1440'), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: screenshotPath('44-meter-old-data-1024'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    // the daily chart: no baseload drawn on the partial days (4 and 8 May)
    await page.getByRole('tab', { name: 'Daily' }).click();
    await expect(page.getByTestId('daily-chart')).toHaveAttribute('data-points', '5');
    await page.getByTestId('daily-chart').screenshot({ path: screenshotPath('43-meter-old-data-daily') });
  } finally {
    await server.close();
  }
});
