/**
 * Tariffs page: import a tariff file (Economy 7 + a dynamic tariff), import half-hourly prices for
 * the dynamic one, create a tariff with the form (overlapping bands refused in plain words, then
 * fixed and saved), add a new version, delete a tariff, and a broken file's problems listed readably.
 * Ids are prefixed e2e-tp- because the per-worker server is shared with other specs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

import { BUSINESS_TOU_RATES, DUOS_RAG_RATES, economy7 } from '../fixtures/tariffs';

const GOOD = {
  tariffs: [
    economy7({ id: 'e2e-tp-e7', name: 'E2E Economy 7' }),
    {
      id: 'e2e-tp-agile',
      name: 'E2E Agile',
      supplier: 'Octopus',
      fuel: 'electricity',
      validFrom: '2025-01-01',
      standingChargePencePerDay: 48.1,
      vatRate: 0.05,
      regions: ['C', 10],
      halfHourlyPrices: [],
    },
  ],
};

const BROKEN = {
  tariffs: [
    {
      id: 'e2e-tp-bad',
      name: 'Broken',
      supplier: 'Acme',
      fuel: 'electricity',
      validFrom: '2025-01-01',
      standingChargePencePerDay: 40,
      vatRate: 0.05,
      rates: [
        { pencePerKwh: 10, from: '00:00', to: '08:00' },
        { pencePerKwh: 30, from: '07:00', to: '24:00' },
      ],
    },
    {
      id: 'e2e-tp-bad2',
      supplier: 'Acme',
      fuel: 'electricity',
      validFrom: '2025-13-01',
      standingChargePencePerDay: 40,
      vatRate: 0.15,
      rates: [{ pencePerKwh: 20 }],
    },
  ],
};

const PRICES_CSV = [
  'start,price',
  '2025-01-01T00:00:00Z,12.5',
  '2025-01-01T00:30:00Z,11.2',
  '2025-01-01T01:00:00Z,-1.5',
  '2025-01-01T01:30:00Z,9.9',
  '',
].join('\n');

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-e2e-tariffs-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A full-page screenshot from the top (the shell's sticky bars would otherwise be drawn mid-page). */
async function fullPageShot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

const row = (page: Page, id: string) => page.locator(`[data-testid="tariff-row"][data-tariff="${id}"]`);
const detail = (page: Page, id: string) => page.locator(`[data-testid="tariff-detail"][data-tariff="${id}"]`);

test('tariffs: import a file and prices, create with validation, new version, delete, broken file', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const shell = new AppShell(page);
  await shell.open(server.url, '/tariffs');
  await expect(page.getByTestId('tariffs-page')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tariffs', level: 1 })).toBeVisible();

  // With no tariffs yet (this spec may run first on its worker's server) the page explains itself.
  await expect(page.getByTestId('tariffs-empty').or(page.getByTestId('tariffs-table'))).toBeVisible();
  if (await page.getByTestId('tariffs-empty').isVisible()) {
    await expect(page.getByTestId('tariffs-empty')).toContainText(
      'A tariff is what a meter’s half-hours are costed on',
    );
    await expect(
      page.getByTestId('tariffs-empty').getByRole('button', { name: 'Import a tariff file…' }),
    ).toBeVisible();
    await page.screenshot({ path: screenshotPath('tariffs-empty'), fullPage: true });
  }

  // 1. Import a tariff file: Economy 7 and a dynamic tariff.
  await page
    .getByTestId('tariff-file-input')
    .setInputFiles(tempFile('e2e-tariffs.json', JSON.stringify(GOOD, null, 2)));
  await expect(page.getByTestId('tariff-import-result')).toContainText('2 tariffs: 2 versions added');
  const e7 = row(page, 'e2e-tp-e7');
  await expect(e7).toContainText('E2E Economy 7');
  await expect(e7).toContainText('Acme');
  await expect(e7).toContainText('Time of use');
  await expect(e7).toContainText('National');
  await expect(e7).toContainText('45.2p/day');
  await expect(e7).toContainText('5 %');
  await expect(e7.getByTestId('tariff-rates')).toHaveText('00:30–07:30 13.1p · 07:30–00:30 31.9p');
  const agile = row(page, 'e2e-tp-agile');
  await expect(agile).toContainText('Half-hourly (dynamic)');
  await expect(agile).toContainText('Eastern (A), London (C)');
  await expect(agile.getByTestId('tariff-rates')).toHaveText('Half-hourly prices · no prices stored yet');

  // Imported tariffs open: Economy 7 shows its band strip (one row: every day priced alike) and its version.
  const e7Detail = detail(page, 'e2e-tp-e7');
  await expect(e7Detail).toBeVisible();
  const strip = e7Detail.getByTestId('band-strip');
  await expect(strip.getByTestId('band-strip-row')).toHaveCount(1);
  await expect(strip.getByTestId('band-strip-row')).toContainText('Every day & bank holidays');
  await expect(strip.locator('.band-cell')).toHaveCount(48);
  await expect(strip.locator('.band-strip-cells')).toHaveAttribute(
    'aria-label',
    '00:00–00:30 31.9p, 00:30–07:30 13.1p, 07:30–24:00 31.9p',
  );
  await expect(e7Detail.getByTestId('tariff-version')).toHaveCount(1);
  await expect(e7Detail.getByTestId('tariff-version')).toContainText('1 Jan 2025 onwards');
  await expect(e7Detail.getByTestId('tariff-version')).toContainText('In force');

  // 2. Import half-hourly prices (CSV) for the dynamic tariff.
  const agileDetail = detail(page, 'e2e-tp-agile');
  await expect(agileDetail.getByTestId('prices-stored')).toContainText('No prices stored yet');
  await agileDetail.getByTestId('prices-file-input').setInputFiles(tempFile('agile-prices.csv', PRICES_CSV));
  await expect(agileDetail.getByTestId('prices-result')).toContainText(
    'agile-prices.csv: Stored 4 half-hourly prices from 1 Jan 2025 00:00 to 1 Jan 2025 01:30',
  );
  await expect(agileDetail.getByTestId('prices-stored')).toContainText('4 prices stored');
  await expect(agile.getByTestId('tariff-rates')).toHaveText('Half-hourly prices · 4 prices stored');
  // A prices file for a half-hour that is not on :00/:30 is refused with the core's words.
  await agileDetail
    .getByTestId('prices-file-input')
    .setInputFiles(tempFile('bad-prices.csv', 'start,price\n2025-01-01T00:10:00Z,12\n'));
  await expect(agileDetail.getByTestId('prices-result')).toContainText('bad-prices.csv: no prices were imported.');
  await expect(agileDetail.getByTestId('prices-result')).toContainText('not the start of a half-hour');
  await page.getByTestId('tariff-import-result').getByRole('button', { name: 'Dismiss' }).click();
  await fullPageShot(page, 'tariffs-list');

  // 3. Create a tariff with the form: overlapping bands first (refused, nothing saved), then fixed.
  await page.getByRole('button', { name: 'New tariff' }).click();
  const form = page.getByTestId('tariff-form');
  await expect(form).toBeVisible();
  await form.locator('#tf-supplier').fill('Beta Energy');
  await form.locator('#tf-name').fill('E2E Night Saver');
  await expect(form.locator('#tf-id')).toHaveValue('beta-energy-e2e-night-saver'); // suggested
  await form.locator('#tf-id').fill('e2e-tp-new');
  await form.locator('#tf-standing').fill('30');
  await form.locator('#tf-vat').selectOption('0.05');
  await form.getByRole('checkbox', { name: /London/ }).check();
  await expect(form.getByTestId('tf-regions-summary')).toHaveText('1 of 14 areas');
  await form.getByRole('button', { name: 'Economy 7 (00:30–07:30)' }).click();
  await form.getByLabel('Rate 1 p/kWh', { exact: true }).fill('12.5');
  await form.getByLabel('Rate 2 p/kWh', { exact: true }).fill('30');
  await form.getByLabel('Rate 1 to', { exact: true }).fill('08:00');
  await expect(form.getByTestId('rates-problems')).toContainText(
    'rates 1 and 2 overlap on every day from 07:30 to 08:00',
  );
  await expect(form.locator('[data-testid="rate-row"][data-flagged]')).toHaveCount(2); // both rows the message names are marked
  await form.getByRole('button', { name: 'Create tariff' }).click();
  await expect(form.getByTestId('tariff-form-summary')).toContainText('Not saved');
  await expect(form.getByTestId('rates-problems')).toHaveClass(/callout-error/);
  expect(server.core.tariffStore.find('e2e-tp-new')).toBeNull();
  await fullPageShot(page, 'tariffs-form-page');
  await form.screenshot({ path: screenshotPath('tariffs-form') });

  await form.getByLabel('Rate 1 to', { exact: true }).fill('07:30');
  await expect(form.getByTestId('rates-problems')).toHaveCount(0);
  await expect(form.getByTestId('rates-coverage-ok')).toBeVisible();
  await form.getByRole('button', { name: 'Create tariff' }).click();
  await expect(form).toHaveCount(0);
  const created = row(page, 'e2e-tp-new');
  await expect(created).toBeVisible();
  await expect(created.getByTestId('tariff-rates')).toHaveText('00:30–07:30 12.5p · 07:30–00:30 30p');
  await expect(created).toContainText('London (C)');
  expect(server.core.tariffStore.find('e2e-tp-new')).toMatchObject({
    name: 'E2E Night Saver',
    supplier: 'Beta Energy',
    regions: [12],
  });

  // 4. A new version of Economy 7 pre-fills from the latest one; past periods keep the old prices.
  await e7Detail.getByTestId('new-version').click();
  await expect(form).toBeVisible();
  await expect(form).toContainText('Past periods keep the old prices');
  await expect(form.locator('#tf-standing')).toHaveValue('45.2');
  await expect(form.locator('#tf-id')).toBeDisabled();
  await form.locator('#tf-standing').fill('47.5');
  await form.getByRole('button', { name: 'Add version' }).click();
  await expect(form).toHaveCount(0);
  await expect(e7Detail.getByTestId('tariff-version')).toHaveCount(2);
  await expect(e7).toContainText('47.5p/day');
  await expect(e7Detail.getByTestId('tariff-version').last()).toContainText('1 Jan 2025 – ');
  await expect(e7Detail.getByTestId('tariff-version').last()).toContainText('Ended');

  // 5. Delete the tariff made with the form, after a confirmation.
  const createdDetail = detail(page, 'e2e-tp-new');
  await createdDetail.getByRole('button', { name: 'Delete…' }).click();
  await expect(createdDetail.getByRole('alertdialog')).toContainText('This cannot be undone');
  await createdDetail.getByRole('button', { name: 'Delete tariff' }).click();
  await expect(row(page, 'e2e-tp-new')).toHaveCount(0);
  expect(server.core.tariffStore.find('e2e-tp-new')).toBeNull();

  // 6. A broken file: nothing imported, every problem listed readably.
  await page
    .getByTestId('tariff-file-input')
    .setInputFiles(tempFile('broken-tariffs.json', JSON.stringify(BROKEN, null, 2)));
  const error = page.getByTestId('tariff-import-error');
  await expect(error).toContainText('broken-tariffs.json was not imported: 4 problems');
  const items = error.locator('.problem-list li');
  await expect(items).toHaveCount(4);
  await expect(items.first()).toContainText(
    'Tariff 1 “e2e-tp-bad” › rates: rates 1 and 2 overlap on every day from 07:00 to 08:00',
  );
  await expect(error).toContainText('Tariff 2 “e2e-tp-bad2” › name: a tariff needs a name');
  await expect(error).toContainText('Tariff 2 “e2e-tp-bad2” › vatRate: vatRate is 0.05 (5 %), 0.2 (20 %) or 0');
  await expect(error).toContainText('Format: docs/tariffs.md');
  expect(server.core.tariffStore.find('e2e-tp-bad')).toBeNull();
  // The outcome is at the top of the page; it is scrolled into view wherever the user was.
  await expect(error).toBeInViewport({ ratio: 1 });
  await page.waitForTimeout(400); // let the smooth scroll settle before the picture
  await page.screenshot({ path: screenshotPath('tariffs-import-error'), fullPage: false });

  // Not JSON at all: the core's message with the line and column, whole.
  await page
    .getByTestId('tariff-file-input')
    .setInputFiles(tempFile('not-json.json', '{ "tariffs": [\n  { "id": "x", }\n'));
  await expect(error).toContainText('not-json.json was not imported.');
  await expect(error).toContainText(/is not valid JSON at line 2, column \d+/);
});

const BUSINESS = {
  id: 'e2e-tp-biz',
  name: 'E2E Business ToU',
  supplier: 'E2E Beta',
  fuel: 'electricity',
  validFrom: '2025-04-01',
  standingChargePencePerDay: 120,
  vatRate: 0.2,
  cclPencePerKwh: 'statutory',
  regions: ['C'],
  default: true,
  rates: BUSINESS_TOU_RATES,
  duosRates: DUOS_RAG_RATES,
  capacityPencePerKvaPerDay: 3.5,
};

test('tariffs: a business time-of-use tariff, and the fuel filter and search', async ({ page, server }) => {
  const shell = new AppShell(page);
  await shell.open(server.url, '/tariffs');
  await page.getByTestId('tariff-file-input').setInputFiles(
    tempFile(
      'e2e-more.json',
      JSON.stringify([
        BUSINESS,
        {
          id: 'e2e-tp-gas',
          name: 'E2E Gas Fixed',
          supplier: 'Gasco',
          fuel: 'gas',
          validFrom: '2024-01-01',
          validTo: '2024-07-01',
          standingChargePencePerDay: 29.6,
          vatRate: 0.2,
          cclPencePerKwh: 'statutory',
          rates: [{ pencePerKwh: 6.1 }],
        },
      ]),
    ),
  );
  await expect(page.getByTestId('tariff-import-result')).toContainText('2 tariffs: 2 versions added');

  // The business tariff: default badge, one strip row per group of days priced alike, DUoS and capacity.
  const biz = row(page, 'e2e-tp-biz');
  await expect(biz).toContainText('Supplier default');
  await expect(biz).toContainText('London (C)');
  await expect(biz).toContainText('120p/day');
  await expect(biz).toContainText('20 %');
  const bizDetail = detail(page, 'e2e-tp-biz');
  await expect(bizDetail.getByTestId('band-strip').getByTestId('band-strip-row')).toHaveText([
    'Mon–Fri',
    'Sat, Sun & bank holidays',
  ]);
  await expect(bizDetail.getByTestId('tariff-version')).toContainText('Statutory (gov.uk rates)');
  await expect(bizDetail.getByTestId('tariff-version')).toContainText('3.5p/kVA/day');
  await expect(bizDetail.getByTestId('tariff-version')).toContainText('DUoS rates (in addition)');
  await bizDetail.scrollIntoViewIfNeeded();
  await bizDetail.screenshot({ path: screenshotPath('tariffs-business-tou') });
  const gas = row(page, 'e2e-tp-gas');
  await expect(gas).toContainText('Ended');
  await expect(gas.getByTestId('tariff-rates')).toHaveText('6.1p all day');
  await expect(detail(page, 'e2e-tp-gas').getByTestId('tariff-version')).toContainText('1 Jan – 30 Jun 2024');
  await expect(detail(page, 'e2e-tp-gas').getByTestId('tariff-version')).toContainText('Statutory (gov.uk rates)');

  await page.getByRole('radio', { name: /^Gas/ }).click();
  await expect(gas).toBeVisible();
  await expect(biz).toHaveCount(0);
  await expect(page.locator('.group-row')).toHaveText([/^Gas/]);
  await page.getByRole('checkbox', { name: /Show ended/ }).uncheck();
  await expect(gas).toHaveCount(0);
  await page.getByRole('checkbox', { name: /Show ended/ }).check();
  await page.getByRole('radio', { name: /^All/ }).click();
  await page.getByLabel('Search tariffs').fill('gasco');
  await expect(page.locator('[data-testid="tariff-row"]')).toHaveCount(1);
  await page.getByLabel('Search tariffs').fill('no such tariff');
  await expect(page.getByText('No tariff matches these filters')).toBeVisible();
  expect(server.core.tariffStore.find('e2e-tp-gas')).not.toBeNull();
  await page.getByLabel('Search tariffs').fill('');

  // A dynamic tariff made with the form needs no fixed rates; its prices are imported afterwards.
  await page.getByRole('button', { name: 'New tariff' }).click();
  const form = page.getByTestId('tariff-form');
  await form.locator('#tf-name').fill('E2E Form Agile');
  await form.locator('#tf-supplier').fill('Octopus');
  await form.locator('#tf-id').fill('e2e-tp-form-agile');
  await form.locator('#tf-standing').fill('47.9');
  await form.getByTestId('tf-dynamic').check();
  await expect(form.getByTestId('rate-row')).toHaveCount(0);
  await expect(form.getByRole('heading', { name: 'Fallback unit rates (optional)' })).toBeVisible();
  await form.getByRole('button', { name: 'Create tariff' }).click();
  await expect(form).toHaveCount(0);
  await expect(row(page, 'e2e-tp-form-agile').getByTestId('tariff-rates')).toHaveText(
    'Half-hourly prices · no prices stored yet',
  );
  await expect(detail(page, 'e2e-tp-form-agile').getByTestId('prices-file-input')).toBeAttached();
});
