/**
 * Undo as a person does it: a finished import rolled back from its card on the Imports page (the
 * confirmation says what will go, and the meter's page then shows only what remains), and a meter
 * deleted from its page and put back with the toast's Undo.
 *
 * The per-worker server is shared with other specs: this one uses only MPANs starting 18.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { mpanCheckDigit } from '../../src-shared/domain/meter-id';
import { AppShell, ImportsPage } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

const mpan = (n: number): string => {
  const core = `18${String(n).padStart(10, '0')}`;
  return `${core}${mpanCheckDigit(core)}`;
};

/** A long-format file: every half-hour of `meter` over `days` UTC days from `from` (ISO date). */
function file(name: string, parts: { meter: string; from: string; days: number }[]): string {
  const lines = ['MPAN,Timestamp,kWh'];
  for (const p of parts)
    for (let i = 0; i < p.days * 48; i++) {
      const t = new Date(Date.parse(`${p.from}T00:00:00Z`) + i * 1800_000).toISOString().replace('.000Z', 'Z');
      lines.push(`${p.meter},${t},${((i % 48) / 10 + 0.5).toFixed(2)}`);
    }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-e2e-undo-'));
  fs.writeFileSync(path.join(dir, name), lines.join('\n') + '\n');
  return path.join(dir, name);
}

async function importDone(page: Page, imports: ImportsPage, f: string): Promise<void> {
  await imports.importFiles([f]);
  await expect(imports.job(path.basename(f))).toHaveAttribute('data-status', 'done');
}

/** The meter page's count of half-hours with a value, once loaded. */
async function present(page: Page, url: string, meter: string): Promise<string | null> {
  await page.goto(`${url}#/meters/${meter}`);
  const count = page.getByTestId('point-count');
  await expect(count).toHaveAttribute('data-present', /\d+/);
  return count.getAttribute('data-present');
}

test('a finished import rolled back from the Imports page takes its readings off the meter’s page', async ({
  page,
  server,
}) => {
  const [m1, m2] = [mpan(1), mpan(2)];
  const shell = new AppShell(page);
  await shell.open(server.url, '/imports');
  const imports = new ImportsPage(page);
  await importDone(page, imports, file('undo-march.csv', [{ meter: m1, from: '2024-03-01', days: 3 }]));
  const bad = file('undo-april.csv', [
    { meter: m1, from: '2024-03-04', days: 2 },
    { meter: m2, from: '2024-03-04', days: 1 },
  ]);
  await importDone(page, imports, bad);
  expect(await present(page, server.url, m1)).toBe(String(5 * 48));

  await shell.open(server.url, '/imports');
  const job = imports.job('undo-april.csv');
  await job.getByTestId('rollback-open').click();
  const dialog = page.getByTestId('rollback-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Roll back undo-april.csv?');
  const lines = dialog.getByTestId('rollback-lines');
  await expect(lines).toContainText('144 readings it added will be taken out of 2 meters.');
  await expect(lines).toContainText(`Meter ${m2}, created by this import, will have no readings left`);
  await expect(lines).toContainText('Roll-ups, analyses and alerts are brought up to date straight away.');
  await page.screenshot({ path: screenshotPath('undo-rollback-confirm') });
  await dialog.getByTestId('rollback-dialog-confirm').click();
  await expect(job).toHaveAttribute('data-status', 'rolled-back');
  await expect(job.getByTestId('rolled-back-note')).toContainText(/^Rolled back on .* by /);
  await expect(page.getByTestId('toast').filter({ hasText: 'undo-april.csv rolled back' })).toContainText(
    '144 readings taken out, 0 values put back; 1 empty meter deleted.',
  );
  // no Roll back… on a rolled-back card
  await expect(job.getByTestId('rollback-open')).toHaveCount(0);

  expect(await present(page, server.url, m1)).toBe(String(3 * 48));
  // the meter the roll-back left empty was deleted (kept): its page says so and where to put it back
  await page.goto(`${server.url}#/meters/${m2}`);
  await expect(page.getByText('This meter was deleted')).toBeVisible();
  await page.getByRole('button', { name: 'Go to Recently deleted' }).click();
  await expect(page.getByTestId('trash-row').filter({ hasText: m2 })).toBeVisible();
});

test('a meter deleted from its page comes back, readings and all, with Undo in the toast', async ({ page, server }) => {
  const m3 = mpan(3);
  const shell = new AppShell(page);
  await shell.open(server.url, '/imports');
  const imports = new ImportsPage(page);
  await importDone(page, imports, file('undo-meter.csv', [{ meter: m3, from: '2024-01-08', days: 4 }]));
  expect(await present(page, server.url, m3)).toBe(String(4 * 48));

  await page.getByTestId('actions-menu').click();
  await page.getByTestId('delete-meter').click();
  const dialog = page.getByTestId('delete-meter-dialog');
  await expect(dialog.getByTestId('delete-what')).toHaveText(`Meter ${m3} with 192 readings over 4 days.`);
  await dialog.getByTestId('delete-meter-dialog-confirm').click();

  await expect(page).toHaveURL(/#\/meters$/);
  await expect(page.locator(`[data-testid="meter-row"][data-mpan="${m3}"]`)).toHaveCount(0);
  const toast = page.getByTestId('toast').filter({ hasText: `Meter ${m3}` });
  await expect(toast).toContainText('Deleted');
  await page.screenshot({ path: screenshotPath('undo-meter-deleted-toast') });
  await toast.getByTestId('toast-action').click();

  await expect(page).toHaveURL(new RegExp(`#/meters/${m3}$`));
  await expect(page.getByTestId('point-count')).toHaveAttribute('data-present', String(4 * 48));
  await expect(page.getByTestId('toast').filter({ hasText: 'Put back' })).toContainText(`Meter ${m3}`);

  // and Activity → Recently deleted says it was put back
  await page.goto(`${server.url}#/activity?view=trash`);
  const row = page.getByTestId('trash-row').filter({ hasText: `Meter ${m3}` });
  await expect(row).toHaveAttribute('data-restored', 'true');
  await expect(row).toContainText('Put back on');
});
