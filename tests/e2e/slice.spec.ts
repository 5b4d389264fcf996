/**
 * The first slice, as a user does it: pick a CSV on the Imports page, watch the progress bar reach
 * 100 %, find the meter in Sites & meters, open it and see its half-hourly chart.
 */
import path from 'node:path';
import { AppShell, ImportsPage, MeterPage, MetersPage } from './pages/app';
import { CSV, expect, screenshotPath, test } from './fixtures';

const SAMPLE = path.join(CSV, 'long-autumn-with-errors.csv');

test('a picked CSV imports with live progress, and the meter chart shows every half-hour', async ({ page, server }) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/imports');
  const imports = new ImportsPage(page);
  await page.screenshot({ path: screenshotPath('01-imports-empty'), fullPage: true });

  await imports.importFiles([SAMPLE]);
  const job = imports.job('long-autumn-with-errors.csv');
  await expect(job).toHaveAttribute('data-status', 'done');
  await expect(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(job).toContainText('14'); // readings imported
  await expect(job).toContainText(/5/); // rows rejected
  await job
    .getByRole('button', { name: /error|problem|rejected/i })
    .first()
    .click();
  await expect(job).toContainText('fails its check digit');
  await expect(job).toContainText(/line 16|16/);
  await page.screenshot({ path: screenshotPath('02-imports-done'), fullPage: true });

  await shell.nav(/sites|meters/i).click();
  const meters = new MetersPage(page);
  await expect(meters.row('1012477457919')).toBeVisible();
  await expect(meters.row('2200012767323')).toBeVisible();
  await expect(meters.row('1012477457919')).toContainText('12');
  await page.screenshot({ path: screenshotPath('03-sites-meters'), fullPage: true });

  await meters.row('1012477457919').getByRole('link').first().click();
  const meter = new MeterPage(page);
  await expect(meter.chart()).toHaveAttribute('data-points', '12');
  await expect(meter.pointCount()).toContainText('12');
  await expect(meter.chart().locator('canvas').first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('04-meter-chart'), fullPage: true });
});

test('a dry run writes nothing and a file that cannot be read says why', async ({ page, server }) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/imports');
  const imports = new ImportsPage(page);
  // the worker's server is shared with other specs (one may have imported this meter for real)
  const before = JSON.stringify(server.core.meters.list());
  await imports.dryRun().check();
  await imports.importFiles([path.join(CSV, 'long-dry-run.csv')]);
  const dry = imports.job('long-dry-run.csv');
  await expect(dry).toHaveAttribute('data-status', 'done');
  await expect(dry).toContainText(/dry run/i);
  expect(JSON.stringify(server.core.meters.list())).toBe(before);

  await imports.dryRun().uncheck();
  await imports.importFiles([path.join(CSV, 'not-a-meter-file.csv')]);
  const bad = imports.job('not-a-meter-file.csv');
  await expect(bad).toHaveAttribute('data-status', 'failed');
  await expect(bad).toContainText(/No header row with a meter column/);
  await page.screenshot({ path: screenshotPath('05-imports-dry-run-and-failure'), fullPage: true });
});

test('an unknown meter page shows a designed error state, not a blank screen', async ({ page, server }) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/meters/2499999999991');
  await expect(page.getByText(/no meter 2499999999991/i)).toBeVisible();
  // nothing to retry: the meter does not exist; the way on is offered instead
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Go to Imports' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('06-meter-not-found'), fullPage: true });
});

test('an unknown site page says so, with the way back and no Retry that cannot help', async ({ page, server }) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/sites/987654');
  await expect(page.getByRole('heading', { name: 'Site not found' })).toBeVisible();
  await expect(page.getByText('No site 987654')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Back to Sites & meters' })).toBeVisible();
});
