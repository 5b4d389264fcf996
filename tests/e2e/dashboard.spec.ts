/**
 * The dashboard and the meter's totals, as a user gets there: import two weeks of half-hourly data
 * ending yesterday through the Imports page, rebuild the roll-ups from Settings, read the tiles on
 * the dashboard, then open the meter's Daily, Heatmap and Week / Month / Year views.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { londonMidnight, toLondonParts } from '../../src-shared/domain/london-time';
import { AppShell, DashboardPage, ImportsPage, MeterCharts, SettingsPage } from './pages/app';
import type { Page } from '@playwright/test';
import { expect, screenshotPath, startServer, test } from './fixtures';

const DAYS = 14;
const PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** An MPAN core with a valid check digit. */
function mpan(body12: string): string {
  let s = 0;
  for (let k = 0; k < 12; k++) s += Number(body12[k]) * (PRIMES[k] as number);
  return body12 + ((s % 11) % 10);
}

const METER = mpan('171000000777');

/** Half-hourly readings for the 14 UK local days before today, a little more each day. */
function recentCsv(): { file: string; yesterdayKwh: number } {
  const now = toLondonParts(Math.floor(Date.now() / 1000));
  const todayStart = londonMidnight(now.year, now.month, now.day);
  const first = new Date(Date.UTC(now.year, now.month - 1, now.day - DAYS));
  const start = londonMidnight(first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate());
  const y = new Date(Date.UTC(now.year, now.month - 1, now.day - 1));
  const yesterdayStart = londonMidnight(y.getUTCFullYear(), y.getUTCMonth() + 1, y.getUTCDate());
  const lines = ['MPAN,Timestamp,kWh,Quality'];
  let yesterdayKwh = 0;
  for (let t = start; t < todayStart; t += 1800) {
    const day = Math.floor((t - start) / 86400);
    const kwh = Math.round((0.5 + day * 0.01) * 1000) / 1000;
    if (t >= yesterdayStart) yesterdayKwh += kwh;
    lines.push(`${METER},${new Date(t * 1000).toISOString().replace('.000Z', 'Z')},${kwh},A`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-dash-'));
  const file = path.join(dir, 'recent-two-weeks.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { file, yesterdayKwh: Math.round(yesterdayKwh * 1000) / 1000 };
}

test('an imported fortnight shows on the dashboard tiles and as one bar per day on the meter', async ({ page }) => {
  // a server of its own: the dashboard anchors on its meters' data, so no other spec's meters may move it
  const server = await startServer();
  try {
    await fortnight(page, server);
  } finally {
    await server.close();
  }
});

async function fortnight(page: Page, server: { url: string }) {
  const { file, yesterdayKwh } = recentCsv();
  const shell = new AppShell(page);
  await shell.open(server.url, '/imports');
  const imports = new ImportsPage(page);
  await page.getByLabel('Batch notes').fill('Two weeks from the portal');
  await page.getByLabel(/^Tags/).fill('e2e, recent');
  await imports.importFiles([file]);
  const job = imports.job('recent-two-weeks.csv');
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(job).toContainText('Two weeks from the portal');
  await expect(job).toContainText('e2e');

  // Search narrows the job list to this batch.
  await page.getByTestId('job-search').fill('portal');
  await expect(imports.jobRows()).toHaveCount(1);
  await page.screenshot({ path: screenshotPath('10-imports-options-and-filter'), fullPage: true });
  await page.getByTestId('job-search').fill('');

  await shell.nav(/settings/i).click();
  await new SettingsPage(page).rebuildRollups();
  await page.screenshot({ path: screenshotPath('11-settings-rebuilt'), fullPage: true });

  await shell.nav(/dashboard/i).click();
  const dashboard = new DashboardPage(page);
  for (const kind of ['day', 'week', 'month', 'year'] as const)
    await expect(dashboard.tile('electricity', kind)).toBeVisible();
  const yesterday = dashboard.tile('electricity', 'day');
  // the latest complete day is yesterday here: the tile says so with its date
  await expect(yesterday).toContainText('Latest day');
  await expect(yesterday).toHaveAttribute('data-kwh', /\d/);
  expect(Number(await yesterday.getAttribute('data-kwh'))).toBeGreaterThanOrEqual(yesterdayKwh - 0.001);
  await expect(yesterday).toContainText('kWh');
  await expect(page.getByTestId('last-import')).toContainText('recent-two-weeks.csv');
  await page.screenshot({ path: screenshotPath('12-dashboard'), fullPage: true });

  await shell.open(server.url, `/meters/${METER}`);
  const charts = new MeterCharts(page);
  await charts.tab('Daily').click();
  await expect(charts.daily()).toHaveAttribute('data-points', String(DAYS));
  await expect(charts.daily().locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('comparison-row').first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('13-meter-daily'), fullPage: true });

  await charts.tab('Heatmap').click();
  const cells = Number(await charts.heatmap().getAttribute('data-points'));
  // every local half-hour is a cell (46 or 50 on a clock-change day)
  expect(cells).toBeGreaterThanOrEqual(DAYS * 48 - 2);
  await page.screenshot({ path: screenshotPath('14-meter-heatmap'), fullPage: true });

  await charts.tab(/week/i).click();
  await page.getByRole('radio', { name: 'Week' }).click();
  await expect(charts.periods()).toHaveAttribute('data-points', /^[2-4]$/);
}
