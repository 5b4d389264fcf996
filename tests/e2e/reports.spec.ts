/**
 * Reports and exports as an energy manager uses them, on real files (Energy Sparks' exports and an
 * Octopus May 2020 page) imported through the Imports page: from the meter page to its month's
 * report, the HTML preview's figures against the API's totals, the PDF downloaded and read back,
 * and a day of readings exported as CSV whose first rows are the fixture's own values.
 * A server of its own, so no other spec's data changes the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { pdfText } from '../helpers/pdf';
import { AppShell, ImportsPage } from './pages/app';
import { expect, screenshotPath, startServer, test } from './fixtures';

const PUB = path.join(process.cwd(), 'tests', 'fixtures', 'public');
const OCTOPUS = 'octopus-consumption-electricity-2020-05.json';
const FILES = ['wide-hh-banes-energysparks.csv', 'wide-hh-sheffield-energysparks.csv', OCTOPUS];
const METER = '2700003645222';
const oneDp = (n: number) => n.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** The Octopus page's readings by UTC start (ms), read from the file itself. */
function octopusReadings(): Map<number, number> {
  const page = JSON.parse(fs.readFileSync(path.join(PUB, OCTOPUS), 'utf8')) as {
    results: { consumption: number; interval_start: string }[];
  };
  return new Map(page.results.map((r) => [Date.parse(r.interval_start), r.consumption]));
}

/** A contract method's value, called over the host's RPC route. */
async function rpc(url: string, method: string, args: unknown): Promise<unknown> {
  const res = await fetch(`${url}rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url.replace(/\/$/, '') },
    body: JSON.stringify(args),
  });
  const reply = (await res.json()) as { ok: true; value: unknown };
  return reply.value;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(`${name}-1440`), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 700 });
  // the sidebar folds to icons with a short transition: shoot it folded
  await page.waitForTimeout(800);
  await page.screenshot({ path: screenshotPath(`${name}-1024`), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
}

test('a meter month report: preview, PDF and a CSV export from the Reports page', async ({ page }) => {
  test.setTimeout(120_000);
  const server = await startServer();
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    const shell = new AppShell(page);
    await shell.open(server.url, '/imports');
    const imports = new ImportsPage(page);
    await imports.importFiles(FILES.map((f) => path.join(PUB, f)));
    for (const f of FILES) await expect(imports.job(f)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });

    // the month's total as the API gives it, and as the file adds up
    const totals = (await rpc(server.url, 'totals.list', {
      meter: METER,
      period: 'month',
      from: '2020-05-01',
      to: '2020-06-01',
    })) as { kwh: number }[];
    const apiKwh = totals[0]!.kwh;
    const fileKwh = [...octopusReadings().values()].reduce((a, b) => a + b, 0);
    expect(apiKwh).toBeCloseTo(fileKwh, 6);

    // from the sidebar: both panels open on the first meter's latest whole month of data, not the clock's
    const meters = (await rpc(server.url, 'meters.list', {})) as {
      mpan: string;
      firstReading: string;
      lastCompleteDay: string;
    }[];
    // its latest whole month with readings, else (less than a month of data) the month of its last day
    const first = meters[0]!.firstReading.slice(0, 10);
    const last = meters[0]!.lastCompleteDay;
    const endsMonth = new Date(Date.parse(`${last}T12:00:00Z`) + 86_400_000).getUTCDate() === 1;
    const before = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)) - 2, 1)).toISOString();
    const dataMonth = endsMonth
      ? last.slice(0, 7)
      : first < `${last.slice(0, 7)}-01`
        ? before.slice(0, 7)
        : last.slice(0, 7);
    await page.getByRole('link', { name: 'Reports' }).click();
    await expect(page.locator('#report-scope-meter')).toHaveValue(meters[0]!.mpan);
    await expect(page.locator('#report-month')).toHaveValue(dataMonth);
    // a CSV of data is "Export CSV" as on every table
    await expect(page.getByTestId('export-download')).toHaveText('Export CSV');
    await expect(page.locator('#export-from')).toHaveValue(`01/${dataMonth.slice(5)}/${dataMonth.slice(0, 4)}`);
    // another meter: the month follows its data (the Octopus page is May 2020)
    await page.locator('#report-scope-meter').selectOption(METER);
    await expect(page.locator('#report-month')).toHaveValue('2020-05');

    // from the meter page to its month's report
    await page.goto(`${server.url}#/meters/${METER}`);
    await page.getByRole('link', { name: 'Monthly report' }).click();
    await expect(page.getByTestId('reports-page')).toBeVisible();
    await expect(page.locator('#report-scope-meter')).toHaveValue(METER);
    await expect(page.locator('#report-month')).toHaveValue('2020-05');
    await shoot(page, '60-reports');

    await page.getByTestId('report-preview-button').click();
    const preview = page.getByTestId('report-preview');
    await expect(preview).toBeVisible({ timeout: 30_000 });
    // sandboxed: no scripts, no same origin
    await expect(preview.locator('iframe')).toHaveAttribute('sandbox', '');
    const frame = page.frameLocator('[data-testid="report-preview"] iframe');
    await expect(frame.locator('h1')).toContainText(`Meter report: ${METER}, May 2020`);
    await expect(frame.locator('body')).toContainText(`Consumption was ${oneDp(apiKwh)} kWh`);
    await expect(frame.locator('body')).toContainText('May 2020: 01/05/2020 to 31/05/2020 (UK local time)');
    await shoot(page, '61-reports-preview');

    // the PDF: a real PDF, its text stating the same figures
    const pdfDownload = page.waitForEvent('download');
    await page.getByTestId('report-pdf').click();
    const pdf = await pdfDownload;
    expect(pdf.suggestedFilename()).toBe(`eclectyc-report-meter-${METER}-2020-05.pdf`);
    const bytes = fs.readFileSync((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(20_000);
    expect(bytes.length).toBeLessThan(2_000_000);
    const text = (await pdfText(bytes)).join('\n');
    expect(text).toContain(`Consumption was ${oneDp(apiKwh)} kWh`);
    expect(text).toMatch(/Page 1 of \d/);

    // a day of readings as CSV: the first rows are the file's first half-hours of 7 May 2020 (UK)
    const card = page.getByTestId('export-card');
    await card.locator('#export-scope-meter').selectOption(METER);
    await page.locator('#export-from').fill('07/05/2020');
    await page.locator('#export-to').fill('07/05/2020');
    const csvDownload = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toBe(`eclectyc-readings-meter-${METER}-2020-05-07-to-2020-05-07.csv`);
    const body = fs.readFileSync((await csv.path())!, 'utf8');
    expect(body.startsWith('\uFEFF')).toBe(true);
    const lines = body.slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^Meter,Start \(UTC\),Start \(UK local\),kWh,Quality/);
    const octopus = octopusReadings();
    const midnight = Date.UTC(2020, 4, 6, 23); // 00:00 on 7 May, BST
    for (let k = 0; k < 3; k++) {
      const t = midnight + k * 1_800_000;
      const hh = `${String(Math.floor(k / 2)).padStart(2, '0')}:${k % 2 ? '30' : '00'}`;
      const iso = new Date(t).toISOString().replace('.000Z', 'Z');
      expect(lines[k + 1]).toBe(`${METER},${iso},07/05/2020 ${hh},${octopus.get(t)},Actual,`);
    }
    expect(lines.filter((l) => l.startsWith(METER))).toHaveLength(48);
    await expect(page.getByTestId('export-problem')).toHaveCount(0);

    // a day range the wrong way round is refused on the page, in words
    await page.locator('#export-to').fill('01/05/2020');
    await page.getByTestId('export-download').click();
    await expect(page.getByTestId('export-to-error')).toHaveText('The last day must not be before the first');

    // days without readings: said in words with where the readings are (the file's first and last), nothing downloaded
    const ukDate = (ms: number) => new Date(ms).toLocaleDateString('en-GB', { timeZone: 'Europe/London' });
    const starts = [...octopus.keys()];
    const held = `readings from ${ukDate(Math.min(...starts))} to ${ukDate(Math.max(...starts))}`;
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.locator('#export-from').fill('01/01/2021');
    await page.locator('#export-to').fill('31/01/2021');
    await page.getByTestId('export-download').click();
    await expect(page.getByTestId('export-problem')).toHaveText(
      `No readings for meter ${METER} between 01/01/2021 and 31/01/2021 (it has ${held}): nothing to export`,
    );
    expect(downloads).toBe(0);

    // the preview goes when the form changes, and a month without readings says where the readings are
    await page.getByTestId('report-preview-button').click();
    await expect(preview).toBeVisible({ timeout: 30_000 });
    await page.locator('#report-month').fill('2021-01');
    await expect(preview).toHaveCount(0);
    await page.getByTestId('report-preview-button').click();
    await expect(page.getByTestId('report-problem')).toContainText(`(meter ${METER} has ${held}).`);
    await expect(preview).toHaveCount(0);
  } finally {
    await server.close();
  }
});
