/**
 * Schedules: a monthly meter report delivered to a folder, added through the form (the core's refusal
 * of a folder that is not there, and the form's of a bad email recipient, shown beside their fields),
 * run now, its result in the list and its file in the delivery log and in the folder; and a readings
 * export to a real SFTP server on 127.0.0.1 signed in by a password set in the form, its host key
 * pinned by the first delivery, shown, and forgotten from the form. Screenshots at 1440 and 1024 px.
 * The meter's readings cover last month and this one, whenever the test runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Core } from '../../src-main/core/app';
import { startSftpServer } from '../helpers/sftp-server';
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

// a meter no other spec uses: the shared server's other data never stands in for this one's
const METER = '1200050007779';

/** Half-hourly readings for METER from two days before last month began until now (UTC instants). */
function lastMonthCsv(): string {
  const now = new Date();
  const from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1) - 2 * 86_400_000;
  const lines = ['MPAN,Timestamp,kWh'];
  for (let t = from; t < now.getTime() - 3_600_000; t += 1_800_000) {
    const hour = new Date(t).getUTCHours();
    lines.push(`${METER},${new Date(t).toISOString()},${hour < 7 ? '0.400' : hour < 18 ? '1.250' : '0.800'}`);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-schedules-')), 'schedule-meter.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The meter's readings imported, unless another test of this worker's server did already. */
async function seed(core: Core): Promise<void> {
  const meters = await core.handlers['meters.list']({}, { role: 'admin', actor: 'e2e' });
  if (meters.some((m) => m.mpan === METER)) return;
  const stored = await core.files.storePath(lastMonthCsv());
  await core.imports.wait(core.imports.enqueue([stored.fileId]).jobIds);
  await core.scheduler.idle();
}

async function dismissToasts(page: Page): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

test('a meter report scheduled to a folder through the form is delivered by Run now and logged', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const core = server.core;
  await seed(core);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-e2e-reports-'));

  const shell = new AppShell(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await shell.open(server.url, '/dashboard');
  await shell.nav('Schedules').click();
  await expect(page.getByRole('heading', { name: 'Schedules', level: 1 })).toBeVisible();
  await expect(page.getByText('No schedules yet')).toBeVisible();
  await page.screenshot({ path: screenshotPath('schedules-empty') });
  await page.getByTestId('schedule-add-empty').click();
  // one form at a time: New schedule waits until it is saved or cancelled
  await expect(page.getByTestId('schedule-add')).toBeDisabled();

  const form = page.getByTestId('schedule-form');
  // a bad email recipient: the form says so beside the recipient, and nothing is added
  await form.getByLabel('Name', { exact: true }).fill('E2E meter pack');
  await form.getByTestId('schedule-dest').getByRole('radio', { name: 'Email' }).click();
  await form.getByLabel('Recipient 1', { exact: true }).fill('energy.manager@example.org');
  await page.getByTestId('schedule-to-add').click();
  await form.getByLabel('Recipient 2', { exact: true }).fill('finance at example.org');
  await page.getByTestId('schedule-save').click();
  await expect(page.getByTestId('schedule-to-1-error')).toHaveText('“finance at example.org” is not an email address');
  await expect(page.getByTestId('schedule-to-0-error')).toHaveCount(0);

  // a monthly PDF report of one meter, to a folder that is not there: the core says so beside the field
  await form.getByTestId('schedule-scope').getByRole('radio', { name: 'A meter' }).click();
  await form.getByLabel('Meter', { exact: true }).selectOption(METER);
  await form.getByTestId('schedule-dest').getByRole('radio', { name: 'A folder' }).click();
  await form.getByLabel('Folder', { exact: true }).fill(path.join(folder, 'missing'));
  await page.getByTestId('schedule-save').click();
  await expect(page.getByTestId('schedule-path-error')).toHaveText(
    `There is no folder ${path.join(folder, 'missing')} on the computer running the app`,
  );
  await form.getByLabel('Folder', { exact: true }).fill(folder);
  // a monthly report every week would send one month four times: said beside Every, before saving
  await form.getByTestId('schedule-every').getByRole('radio', { name: 'Week' }).click();
  await expect(page.getByTestId('schedule-every-error')).toHaveText(
    'A monthly report every week would send the same month about 4 times: choose Month',
  );
  await page.screenshot({ path: screenshotPath('schedules-form-repeat'), fullPage: true });
  await form.getByTestId('schedule-every').getByRole('radio', { name: 'Month' }).click();
  await expect(page.getByTestId('schedule-every-error')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('schedules-form'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: screenshotPath('schedules-form-1024'), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('schedule-save').click();
  await expect(form).toHaveCount(0);

  const row = page.getByTestId('schedule-row').filter({ hasText: 'E2E meter pack' });
  await expect(row.getByTestId('schedule-what')).toHaveText(`Monthly report · Meter ${METER} · PDF`);
  await expect(row.getByTestId('schedule-cadence')).toHaveText('Monthly on the 1st at 07:00');
  await expect(row.getByTestId('schedule-dest')).toHaveText(`Folder ${folder}`);
  await expect(row.getByTestId('schedule-next')).toContainText(/Next 01\/\d\d\/20\d\d 07:00/);
  await expect(row).toContainText('Not run yet');

  // Run now: the toast says what was delivered; the row shows OK
  await row.getByTestId('schedule-run').click();
  const toast = page.getByTestId('toast').filter({ hasText: 'E2E meter pack: delivered' });
  await expect(toast).toBeVisible({ timeout: 60_000 });
  await expect(toast).toContainText(`folder ${folder}`);
  await expect(row.getByTestId('schedule-status')).toHaveText('OK');
  const [listed] = await core.handlers['schedules.list']({}, { role: 'admin', actor: 'e2e' });
  const fileName = listed!.lastRun!.fileName!;
  expect(fileName).toMatch(/\.pdf$/);
  await expect(row).toContainText(fileName);
  await dismissToasts(page);
  await page.screenshot({ path: screenshotPath('schedules-list-1440') });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(500); // the sidebar narrows to its icons
  await page.screenshot({ path: screenshotPath('schedules-list-1024') });

  // the file is in the folder, a PDF
  const file = path.join(folder, fileName);
  expect(fs.existsSync(file)).toBe(true);
  expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(listed!.lastRun!.bytes).toBe(fs.statSync(file).size);

  // the schedule's page: its settings in words and the delivery log with the file
  await row.getByTestId('schedule-name').click();
  await expect(page.getByTestId('schedule-page')).toBeVisible();
  await expect(page.getByTestId('schedule-facts')).toContainText(`Folder ${folder}`);
  const log = page.getByTestId('schedule-run-row');
  await expect(log).toHaveCount(1);
  await expect(log.first().getByTestId('schedule-status')).toHaveText('OK');
  await expect(log.first()).toContainText('Run now');
  await expect(log.first()).toContainText(fileName);
  await page.screenshot({ path: screenshotPath('schedule-page-1024'), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: screenshotPath('schedule-page-1440'), fullPage: true });

  // the folder moved away: Run now fails and says why in words, in the toast, on the page, in the log and the list
  fs.renameSync(folder, `${folder}-moved`);
  await page.getByTestId('schedule-run').click();
  const why = `There is no folder ${folder} on this computer`;
  await expect(page.getByTestId('toast').filter({ hasText: 'E2E meter pack: the run failed' })).toContainText(why);
  await expect(page.getByTestId('schedule-error')).toContainText(why);
  await expect(page.getByTestId('schedule-run-row')).toHaveCount(2);
  await expect(page.getByTestId('schedule-run-row').first().getByTestId('schedule-status')).toHaveText('Failed');
  await expect(page.getByTestId('schedule-run-row').first().getByTestId('schedule-run-error')).toContainText(why);
  await page.getByRole('link', { name: 'Schedules', exact: true }).first().click();
  const failed = page.getByTestId('schedule-row').filter({ hasText: 'E2E meter pack' });
  await expect(failed.getByTestId('schedule-status')).toHaveText('Failed');
  await expect(failed.getByTestId('schedule-error')).toContainText(why);
  await expect(page.getByTestId('schedules-attention')).toContainText('E2E meter pack');
  await dismissToasts(page);
  await page.screenshot({ path: screenshotPath('schedules-failed-1440') });
});

test('a readings export to an SFTP server signs in with the password set in the form and pins its host key', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const core = server.core;
  await seed(core);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-e2e-sftp-'));
  const sftp = await startSftpServer(root, [{ username: 'bureau', password: 'e2e bureau password' }]);
  try {
    const shell = new AppShell(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await shell.open(server.url, '/schedules');
    await page.getByTestId('schedule-add').click();
    const form = page.getByTestId('schedule-form');
    await form.getByLabel('Name', { exact: true }).fill('E2E bureau readings');
    await form.getByTestId('schedule-kind').getByRole('radio', { name: 'CSV export' }).click();
    await form.getByTestId('schedule-scope').getByRole('radio', { name: 'A meter' }).click();
    await form.getByLabel('Meter', { exact: true }).selectOption(METER);
    await form.getByLabel('Period covered', { exact: true }).selectOption('yesterday');
    await form.getByTestId('schedule-every').getByRole('radio', { name: 'Day' }).click();
    await form.getByLabel('At (UK time)').fill('06:15');
    await form.getByTestId('schedule-dest').getByRole('radio', { name: 'An SFTP server' }).click();
    await form.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await form.getByLabel('Port', { exact: true }).fill(String(sftp.port));
    await form.getByLabel('User name', { exact: true }).fill('bureau');
    await form.getByLabel('Folder on the server').fill('/in');
    // no way to sign in yet: the form says so beside the password
    await page.getByTestId('schedule-save').click();
    await expect(page.getByTestId('schedule-secret-password-error')).toHaveText(
      'Set a password or a private key to sign in with',
    );
    await page.getByTestId('schedule-secret-password-set').click();
    await page.getByTestId('schedule-secret-password').fill('e2e bureau password');
    await page.getByTestId('schedule-save').click();
    await expect(form).toHaveCount(0);

    const row = page.getByTestId('schedule-row').filter({ hasText: 'E2E bureau readings' });
    await expect(row.getByTestId('schedule-what')).toHaveText(`Readings CSV (long) · Meter ${METER} · yesterday`);
    await expect(row.getByTestId('schedule-cadence')).toHaveText('Daily at 06:15');
    // written as the CLI writes it, broken only after a slash
    await expect(row.getByTestId('schedule-dest')).toHaveText(`sftp://bureau@127.0.0.1:${sftp.port}/in`);
    expect(await row.getByTestId('schedule-dest').locator('wbr').count()).toBe(2);
    await row.getByTestId('schedule-run').click();
    await expect(row.getByTestId('schedule-status')).toHaveText('OK', { timeout: 60_000 });
    const all = await core.handlers['schedules.list']({}, { role: 'admin', actor: 'e2e' });
    const saved = all.find((x) => x.name === 'E2E bureau readings')!;
    expect(fs.readdirSync(path.join(root, 'in'))).toEqual([saved.lastRun!.fileName]);
    expect(sftp.logins).toContain('bureau:password');
    const pinned = saved.hostKey!;
    expect(pinned).toMatch(/^SHA256:/);

    // its page: signs in with a password, the pinned key; the log says the key was pinned
    await row.getByTestId('schedule-name').click();
    await expect(page.getByTestId('schedule-facts')).toContainText('Signs in withpassword');
    await expect(page.getByTestId('schedule-facts-hostkey')).toHaveText(pinned);
    await expect(page.getByTestId('schedule-facts-hostkey')).toHaveClass(/mono/);
    await expect(page.getByTestId('schedule-run-row').first()).toContainText('Pinned');

    // Edit: the password is set (never shown); Forget key unpins it when saved
    await page.getByTestId('schedule-edit').click();
    await expect(page.getByTestId('schedule-secret-password-state')).toContainText('Set');
    await expect(page.getByTestId('schedule-secret-privateKey-state')).toContainText('Not set');
    await expect(page.getByTestId('schedule-hostkey')).toContainText(pinned);
    await page.screenshot({ path: screenshotPath('schedules-sftp-form'), fullPage: true });
    await page.getByTestId('schedule-forget-key').click();
    await expect(page.getByTestId('schedule-hostkey')).toContainText('Forgotten when you save');
    await page.getByTestId('schedule-save').click();
    await expect(page.getByTestId('schedule-form')).toHaveCount(0);
    // not pinned yet: said in words, not set as a fingerprint
    await expect(page.getByTestId('schedule-facts-hostkey')).toHaveText(
      'Not pinned yet — pinned at the first delivery',
    );
    await expect(page.getByTestId('schedule-facts-hostkey')).not.toHaveClass(/mono/);
    const after = await core.handlers['schedules.get']({ id: saved.id }, { role: 'admin', actor: 'e2e' });
    expect([after.hostKey, after.secretsSet]).toEqual([null, ['password']]);

    // the server gone: three attempts fail; the log says the error once, tried 3 times, the attempts folded
    await sftp.close();
    await page.getByTestId('schedule-run').click();
    const failed = page.getByTestId('schedule-run-row').first();
    await expect(failed.getByTestId('schedule-status')).toHaveText('Failed', { timeout: 60_000 });
    const error = failed.getByTestId('schedule-run-error');
    await expect(error).toContainText('(tried 3 times)');
    const attempts = failed.getByTestId('schedule-run-attempts');
    await expect(attempts).not.toHaveAttribute('open');
    await expect(attempts.locator('summary')).toHaveText('The attempts before');
    // the column is wide enough to read: not the 70 px a long error once squeezed it to
    expect((await failed.locator('td.schedule-notes').boundingBox())!.width).toBeGreaterThanOrEqual(270);
    await dismissToasts(page);
    await page.screenshot({ path: screenshotPath('schedule-sftp-failed-1440'), fullPage: true });
    await attempts.locator('summary').click();
    await expect(attempts).toContainText('Attempt 1: the same error; tried again after');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(500);
    expect((await failed.locator('td.schedule-notes').boundingBox())!.width).toBeGreaterThanOrEqual(270);
    await page.screenshot({ path: screenshotPath('schedule-sftp-failed-1024'), fullPage: true });
  } finally {
    await sftp.close();
  }
});
