/**
 * Data feeds: a watched folder added through the form (the core's refusal of a folder that is not
 * there shown beside the field), a real meter file dropped into the folder, Run now, and the feed's
 * status, its meter and its imports on the feeds page; the meter's page then says where its data
 * comes from. The folder and file are this spec's own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

const PUBLIC = path.join(process.cwd(), 'tests', 'fixtures', 'public');
const SHEFFIELD = '2336533093112';

test('a watched folder added through the form imports a file dropped into it', async ({ page, server }) => {
  test.setTimeout(90_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-e2e-drop-'));
  const shell = new AppShell(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await shell.open(server.url, '/dashboard');
  await shell.nav('Data feeds').click();
  await expect(page.getByRole('heading', { name: 'Data feeds', level: 1 })).toBeVisible();

  await page.getByTestId('source-add').click();
  const form = page.getByTestId('source-form');
  await expect(form.getByRole('radio', { name: 'Watched folder' })).toHaveAttribute('aria-checked', 'true');
  await form.getByLabel('Name', { exact: true }).fill('E2E DC drop');
  // a folder that is not there: the core says so beside the field, and nothing is added
  await form.getByLabel('Folder', { exact: true }).fill(path.join(folder, 'missing'));
  await page.getByTestId('source-save').click();
  await expect(page.getByTestId('source-path-error')).toHaveText(
    `There is no folder ${path.join(folder, 'missing')} on the computer running the app`,
  );
  await form.getByLabel('Folder', { exact: true }).fill(folder);
  await form.getByLabel('File names (optional)').fill('*.csv');
  await page.getByTestId('source-save').click();
  await expect(form).toHaveCount(0);
  const row = page.getByTestId('source-row').filter({ hasText: 'E2E DC drop' });
  await expect(row).toBeVisible();

  // the data collector's file lands in the folder
  fs.copyFileSync(path.join(PUBLIC, 'wide-hh-sheffield-energysparks.csv'), path.join(folder, 'sheffield.csv'));
  await row.getByTestId('source-run').click();
  await expect(row.getByTestId('source-status')).toHaveText('OK', { timeout: 30_000 });
  await expect(row.getByRole('link', { name: SHEFFIELD })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: screenshotPath('sources-list') });

  // the feed's page: the run, its import and the file taken in
  await row.getByTestId('source-name').click();
  await expect(page.getByTestId('source-page')).toBeVisible();
  await expect(page.getByTestId('source-items')).toContainText('sheffield.csv');
  await expect(page.getByTestId('source-job').first()).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('source-meters')).toContainText(SHEFFIELD);

  // the meter's page says where its data comes from
  await page.getByTestId('source-meters').getByRole('link', { name: SHEFFIELD }).click();
  await expect(page.getByTestId('meter-feed')).toContainText('Data from Watched folder ‘E2E DC drop’ · last received');
  await expect(page.getByTestId('meter-feed')).toContainText('next due');
  await page.screenshot({ path: screenshotPath('sources-meter-header') });
  const readings = await server.core.handlers['readings.quality'](
    { meter: SHEFFIELD },
    { role: 'admin', actor: 'e2e' },
  );
  expect(readings.presentHalfHours).toBe(96);
});
