/**
 * Import outcomes and errors as people read them: each import card is graded in words and colour
 * (done green, done with problems amber, nothing imported amber, failed red) with Retry only where it
 * can help; a file imported before asks first; and a portfolio run groups meters with the same
 * problem ("3 meters have no tariff: assign tariffs") instead of a line per meter.
 *
 * The per-worker server is shared with other specs: this one uses only MPANs starting 17.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { mpanCheckDigit } from '../../src-shared/domain/meter-id';
import { AppShell, ImportsPage } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

const mpan = (n: number): string => {
  const core = `17${String(n).padStart(10, '0')}`;
  return `${core}${mpanCheckDigit(core)}`;
};

function file(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-e2e-outcomes-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const rows = (meter: string, n: number, day = '2024-03-0'): string[] =>
  Array.from({ length: n }, (_, i) => `${meter},${day}${1 + Math.floor(i / 48)}T${hh(i % 48)}Z,${(i % 7) / 10 + 0.1}`);
const hh = (slot: number): string => `${String(Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}:00`;

async function background(page: Page, selector: string): Promise<string> {
  // run in the page (this file is type-checked without the DOM library)
  return (await page.evaluate(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`,
  )) as string;
}

test('import cards say done, done with problems, nothing imported or failed, in the colour that fits, and offer Retry only where it helps', async ({
  page,
  server,
}) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/imports');
  const imports = new ImportsPage(page);
  const clean = file('outcome-clean.csv', ['MPAN,Timestamp,kWh', ...rows(mpan(1), 48)].join('\n') + '\n');
  const mostly = file(
    'outcome-mostly-rejected.csv',
    ['MPAN,Timestamp,kWh', ...rows(mpan(2), 7).map((r, i) => (i < 6 ? r.replace(/,[^,]+$/, ',abc') : r))].join('\n'),
  );
  const header = file('outcome-header-only.csv', 'MPAN,Timestamp,kWh\n');
  const binary = file('outcome-binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  // a wide file whose rows each have two bad half-hours: 3 rejected rows, 6 problems (the 120 / 240 of the issue)
  const wideHeader = ['MPAN', 'Date', ...Array.from({ length: 48 }, (_, i) => `kWh_${i + 1}`)].join(',');
  const wideRow = (d: number) =>
    [mpan(4), `0${d}/05/2024`, ...Array.from({ length: 48 }, (_, i) => (i === 5 || i === 9 ? 'x' : '0.5'))].join(',');
  const wide = file('outcome-wide-two-bad.csv', [wideHeader, wideRow(1), wideRow(2), wideRow(3)].join('\n') + '\n');
  await imports.importFiles([clean, mostly, header, binary, wide]);

  const card = (name: string) => imports.job(name);
  await expect(card('outcome-clean.csv')).toHaveAttribute('data-outcome', 'done');
  await expect(card('outcome-mostly-rejected.csv')).toHaveAttribute('data-outcome', 'done-with-problems');
  await expect(card('outcome-header-only.csv')).toHaveAttribute('data-outcome', 'nothing-imported');
  await expect(card('outcome-binary.csv')).toHaveAttribute('data-outcome', 'failed');

  const badge = (name: string) => card(name).getByTestId('job-badge');
  await expect(badge('outcome-clean.csv')).toHaveText('Done');
  await expect(badge('outcome-clean.csv')).toHaveAttribute('data-tone', 'green');
  await expect(badge('outcome-mostly-rejected.csv')).toHaveText('Done with problems');
  await expect(badge('outcome-mostly-rejected.csv')).toHaveAttribute('data-tone', 'amber');
  await expect(badge('outcome-header-only.csv')).toHaveText('Nothing imported');
  await expect(badge('outcome-header-only.csv')).toHaveAttribute('data-tone', 'amber');
  await expect(badge('outcome-binary.csv')).toHaveText('Failed');
  await expect(badge('outcome-binary.csv')).toHaveAttribute('data-tone', 'red');
  // the colours people see
  expect(await background(page, '[data-tone="green"]')).toBe('rgb(240, 253, 244)');
  expect(await background(page, '[data-tone="amber"]')).toBe('rgb(255, 251, 235)');
  expect(await background(page, '[data-tone="red"]')).toBe('rgb(254, 242, 242)');

  await expect(card('outcome-mostly-rejected.csv').getByTestId('job-outcome')).toHaveText(
    'Done with problems. 1 reading imported; 6 of 7 rows rejected.',
  );
  // the problems link counts what the card counts
  await expect(card('outcome-mostly-rejected.csv').locator('.stat', { hasText: 'Rejected rows' })).toHaveText(
    'Rejected rows6',
  );
  await expect(card('outcome-mostly-rejected.csv').getByRole('button', { name: /problems/ })).toHaveText(
    /Show problems \(6 rejected rows\)/,
  );
  // every count on the card agrees: 3 rows rejected, the link says 3 rejected rows, the list its 6 problems
  const w = card('outcome-wide-two-bad.csv');
  await expect(w.locator('.stat', { hasText: 'Rejected rows' })).toHaveText('Rejected rows3');
  await w.getByRole('button', { name: /problems/ }).click();
  await expect(w.getByRole('button', { name: /problems/ })).toHaveText(/Hide problems \(3 rejected rows\)/);
  await expect(w.locator('tbody tr')).toHaveCount(6);
  await expect(w).toContainText('6 problems on 3 rows: some rows have more than one bad value.');
  await expect(card('outcome-header-only.csv').getByTestId('job-outcome')).toContainText(
    'Nothing was imported. The file has a header (line 1) but no rows',
  );
  // Retry cannot help a file that is not a meter file, nor one with no rows
  await expect(card('outcome-binary.csv').getByRole('button', { name: /retry/i })).toHaveCount(0);
  await expect(card('outcome-header-only.csv').getByRole('button', { name: /retry/i })).toHaveCount(0);
  await expect(card('outcome-binary.csv').getByTestId('job-outcome')).toContainText('Retrying will not help');

  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await card('outcome-clean.csv').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath(`import-outcomes-${width}`), fullPage: true });
  }

  // the dashboard's last import is graded the same way, not a green "Done" for every finished job
  const grades: Record<string, string> = {
    'outcome-clean.csv': 'Done',
    'outcome-mostly-rejected.csv': 'Done with problems',
    'outcome-header-only.csv': 'Nothing imported',
    'outcome-binary.csv': 'Failed',
    'outcome-wide-two-bad.csv': 'Done with problems',
  };
  await shell.open(server.url, '/dashboard');
  const last = page.getByTestId('last-import');
  await expect(last.getByTestId('job-badge')).toBeVisible();
  const lastFile = (await last.locator('.strong').first().textContent())!.trim();
  expect(Object.keys(grades)).toContain(lastFile);
  await expect(last.getByTestId('job-badge')).toHaveText(grades[lastFile]!);
});

test('a file imported before asks first: "Import again" or "Cancel"', async ({ page, server }) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/imports');
  const imports = new ImportsPage(page);
  const meter = mpan(3);
  const once = file('outcome-twice.csv', ['MPAN,Timestamp,kWh', ...rows(meter, 4)].join('\n') + '\n');
  await imports.importFiles([once]);
  await expect(imports.job('outcome-twice.csv')).toHaveAttribute('data-outcome', 'done');
  const before = await imports.jobRows().count();

  // the same bytes picked again (a copy elsewhere, as a user would pick it from another folder)
  const copy = file('outcome-twice.csv', fs.readFileSync(once));
  await imports.importFiles([copy]);
  const ask = page.getByTestId('duplicate-confirm');
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('outcome-twice.csv was imported before');
  await expect(ask).toContainText(`The same file was imported on`);
  await expect(ask).toContainText(`into meter ${meter}`);
  await expect(ask.getByRole('link', { name: meter })).toHaveAttribute('href', `#/meters/${meter}`);
  await page.screenshot({ path: screenshotPath('import-duplicate-confirm'), fullPage: true });
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  await expect(imports.jobRows()).toHaveCount(before);

  await imports.importFiles([file('outcome-twice.csv', fs.readFileSync(once))]);
  await page.getByTestId('duplicate-confirm').getByRole('button', { name: 'Import again' }).click();
  await expect(imports.jobRows()).toHaveCount(before + 1);
  const again = imports.jobRows().first();
  await expect(again).toHaveAttribute('data-outcome', 'nothing-imported');
  await expect(again.getByTestId('job-badge')).toHaveText('Nothing new');
  await expect(again.getByTestId('job-badge')).toHaveAttribute('data-tone', 'grey');
});

test('meters without a tariff are grouped on the Savings page, and each links to its tariff, with no Retry that cannot help', async ({
  page,
  server,
}) => {
  const meters = [mpan(11), mpan(12), mpan(13), mpan(14)];
  const csv = file('outcome-no-tariffs.csv', ['MPAN,Timestamp,kWh', ...meters.flatMap((m) => rows(m, 96))].join('\n'));
  const stored = await server.core.files.storePath(csv);
  const { jobIds } = server.core.imports.enqueue([stored.fileId]);
  await server.core.imports.wait(jobIds);

  const shell = new AppShell(page);
  await shell.open(server.url, '/savings');
  const savings = page.getByTestId('savings-page');
  await savings.getByTestId('run-all').click();
  await expect(savings.getByTestId('run-progress-text')).toContainText(/analysed in/, { timeout: 30_000 });
  const failed = savings.getByTestId('run-failed');
  const group = failed.locator('[data-testid="failure-group"][data-reason="no-tariff"]');
  await expect(group).toHaveCount(1); // one line for all of them, not one per meter
  await expect(group.locator('strong')).toHaveText(/^\d+ meters have no tariff$/);
  const n = Number((await group.locator('strong').textContent())!.split(' ')[0]);
  expect(n).toBeGreaterThanOrEqual(meters.length);
  await expect(group.getByRole('link', { name: 'assign tariffs' })).toHaveAttribute('href', /\?section=tariff$/);
  // the list stays closed, so the results are not pushed down the page
  const box = await failed.boundingBox();
  expect(box!.height).toBeLessThan(120);
  await expect(failed).not.toContainText('tariffs assign');
  await page.screenshot({ path: screenshotPath('savings-grouped-failures'), fullPage: true });

  await group.getByText(/Show the \d+ meters/).click();
  for (const m of meters) {
    const item = group.locator('li', { hasText: m });
    await expect(item).toContainText(/no tariff from \d{1,2} \w{3} 2024/);
    await expect(item.getByRole('link', { name: 'Assign a tariff' })).toHaveAttribute(
      'href',
      `#/meters/${m}?section=tariff`,
    );
  }
  await page.screenshot({ path: screenshotPath('savings-grouped-failures-open'), fullPage: true });

  // the meter page: the tariff card in view, the cost card says what to do and offers no Retry
  await group.locator('li', { hasText: meters[0]! }).getByRole('link', { name: 'Assign a tariff' }).click();
  await expect(page.getByTestId('cost-tariff')).toBeInViewport();
  const costs = page.getByTestId('meter-costs');
  await expect(costs.getByRole('alert').first()).toContainText(`No tariff prices ${meters[0]} from`);
  await expect(costs.getByRole('alert').first()).not.toContainText('tariffs assign');
  await expect(costs.getByTestId('problem-action').first()).toHaveText('Assign a tariff');
  await expect(costs.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('meter-no-tariff'), fullPage: true });
});

test('two meters that are one are merged from the meter page, after a confirmation that says what will happen', async ({
  page,
  server,
}) => {
  const [from, into] = [mpan(21), mpan(22)];
  const lines = (m: string) => ['MPAN,Timestamp,kWh', ...rows(m, 48, '2024-04-0')].join('\n') + '\n';
  for (const m of [from, into]) {
    const stored = await server.core.files.storePath(file(`outcome-merge-${m}.csv`, lines(m)));
    await server.core.imports.wait(server.core.imports.enqueue([stored.fileId]).jobIds);
  }
  const shell = new AppShell(page);
  await shell.open(server.url, `/meters/${from}`);
  await page.getByTestId('merge-open').click();
  const form = page.getByTestId('merge-form');
  await form.getByLabel(`Merge ${from} into`).selectOption(into);
  const confirm = form.getByRole('alertdialog', { name: 'Confirm merge' });
  await expect(confirm).toContainText(`Merge ${from} into ${into}?`);
  await expect(confirm).toContainText(`Its 48 readings move to ${into}`);
  await expect(confirm).toContainText(`${from} is then removed. This cannot be undone.`);
  await page.screenshot({ path: screenshotPath('meter-merge-confirm'), fullPage: true });
  await confirm.getByRole('button', { name: 'Merge meters' }).click();
  await expect(page).toHaveURL(new RegExp(`#/meters/${into}$`));
  await expect(page.getByText(`${from} was removed.`)).toBeVisible();
  expect(server.core.meters.list().some((m) => m.mpan === from)).toBe(false);
  expect(server.core.meters.list().find((m) => m.mpan === into)?.readings).toBe(48);
});
