/**
 * "Export CSV" from the app's tables, on the real public fixtures imported into a server of its own:
 * the meters table filtered and sorted, the alerts inbox filtered to one meter, and an analysis
 * league table re-sorted. Each download is read back (BOM, CRLF, cells unquoted here) and compared
 * with the rows the page shows, in their order, and with the core's own raw figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { readCsvRecords } from '../helpers/csv-read';
import { AppShell } from './pages/app';
import { expect, screenshotPath, startServer, test } from './fixtures';

const PUBLIC = path.join(process.cwd(), 'tests', 'fixtures', 'public');
const FILES = [
  'row-per-reading-highlands-energysparks.csv',
  'wide-hh-banes-energysparks.csv',
  'wide-hh-imserv-row-per-day-energysparks.csv',
  'wide-hh-sheffield-energysparks.csv',
];
const SHEFFIELD = '2336533093112';
const ctx = { role: 'admin' as const, actor: 'e2e' };

/** A moment on the UK clock, `DD/MM/YYYY HH:MM`, by the Intl time zone data (not the app's code). */
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const ukClock = (iso: string): string => LONDON.format(new Date(iso)).replace(',', '');

/** Clicks the export button inside `scope` and reads the file it saves. */
async function exportFrom(page: Page, scope: Locator): Promise<{ name: string; rows: Record<string, string>[] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), scope.getByTestId('table-export').click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), rows: readCsvRecords(fs.readFileSync(file, 'utf8')) };
}

test('the meters, alerts and analysis tables export the rows shown, in their order, with raw figures', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const server = await startServer();
  try {
    const core = server.core;
    for (const f of FILES) {
      const stored = await core.files.storePath(path.join(PUBLIC, f));
      await core.imports.wait(core.imports.enqueue([stored.fileId]).jobIds);
    }
    await core.scheduler.idle();
    const meters = await core.handlers['meters.list']({}, ctx);
    expect(meters.length).toBe(8);
    const shell = new AppShell(page);
    await page.setViewportSize({ width: 1440, height: 900 });

    // ---- meters: the search narrows to the four B&NES 2200… meters, sorted by MPAN, largest first
    await shell.open(server.url, '/meters');
    await page.getByRole('searchbox', { name: 'Filter meters' }).fill('22000');
    const rows = page.getByTestId('meter-row');
    await expect(rows).toHaveCount(4);
    const mpanSort = page.getByRole('button', { name: /^MPAN \/ MPRN/ });
    const mpanHead = page.getByRole('columnheader').filter({ has: mpanSort });
    await mpanSort.click();
    if ((await mpanHead.getAttribute('aria-sort')) !== 'descending') await mpanSort.click();
    await expect(mpanHead).toHaveAttribute('aria-sort', 'descending');
    const shownMeters = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({ mpan: tr.getAttribute('data-mpan')!, last: tr.querySelectorAll('td')[7]!.textContent! })),
    );
    const order = shownMeters.map((x) => x.mpan);
    expect(order).toEqual(
      meters
        .map((x) => x.mpan)
        .filter((x) => x.includes('22000'))
        .sort()
        .reverse(),
    );
    const m = await exportFrom(page, page.locator('.vt-line'));
    expect(m.name).toMatch(/^meters-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(m.rows.map((r) => r['MPAN / MPRN'])).toEqual(order);
    // the last reading as the core stores it, in UTC and on the UK clock, and the same moment the row shows
    for (const [k, r] of m.rows.entries()) {
      const last = meters.find((x) => x.mpan === r['MPAN / MPRN'])!.lastReading!;
      expect(r['Last reading (UTC)']).toBe(new Date(last).toISOString().replace('.000Z', 'Z'));
      expect(r['Last reading (UK local)']).toBe(ukClock(last));
      const [date, time] = r['Last reading (UK local)']!.split(' ');
      const [dd, mm, yyyy] = date!.split('/').map(Number);
      const mon = new Date(Date.UTC(yyyy!, mm! - 1, 1)).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
      expect(shownMeters[k]!.last).toBe(`${dd} ${mon} ${yyyy} ${time}`);
    }

    // ---- alerts: a rule fires on the Sheffield meter's two days; the inbox filtered to it
    await core.handlers['alerts.saveRule'](
      {
        rule: {
          id: 'e2e-export-daily',
          name: 'E2E export daily use',
          kind: 'daily-kwh-above',
          meter: SHEFFIELD,
          kwh: 1,
          severity: 'warning',
          channels: [],
          enabled: true,
        },
      },
      ctx,
    );
    await core.handlers['alerts.check']({}, ctx);
    const fired = (await core.handlers['alerts.list']({ rule: 'e2e-export-daily', status: 'open' }, ctx)).filter(
      (a) => a.meter === SHEFFIELD,
    );
    expect(fired.length).toBe(2);
    await shell.open(server.url, '/alerts');
    await page.getByTestId('alerts-meter').fill(SHEFFIELD);
    await page.getByTestId('alerts-kind').selectOption('daily-kwh-above');
    const alertRows = page.getByTestId('alert-row');
    await expect(alertRows).toHaveCount(2);
    await page.screenshot({ path: screenshotPath('table-export-alerts-1440') });
    const shownIds = await alertRows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))));
    const a = await exportFrom(page, page.locator('body'));
    expect(a.name).toMatch(/^alerts-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(a.rows.length).toBe(2);
    for (const [i, row] of a.rows.entries()) {
      const alert = fired.find((x) => x.id === shownIds[i])!;
      expect(row.What).toBe(alert.message);
      expect(row.Period).toBe(alert.period);
      expect(row['Fired (UTC)']).toBe(alert.firedAt.replace(/\.\d{3}Z$/, 'Z'));
      expect(row['Fired (UK local)']).toBe(ukClock(alert.firedAt));
      expect(row.Unit).toBe('kWh');
      expect(row.Limit).toBe('1');
      // the day's use summed here from the stored readings; a number (no unit, no thousands comma)
      const next = new Date(Date.parse(`${alert.period}T00:00:00Z`) + 86_400_000).toISOString();
      const readings = await core.handlers['readings.list'](
        { meter: SHEFFIELD, from: `${alert.period}T00:00:00Z`, to: next },
        ctx,
      );
      const total = readings.reduce((s, r) => s + (r.kwh ?? 0), 0);
      // the core keeps the value to the hundredth; the file holds it as stored
      expect(Number(row.Value)).toBe(alert.value);
      expect(Math.abs(Number(row.Value) - total)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(row.Value).toMatch(/^\d+(\.\d+)?$/);
    }
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: screenshotPath('table-export-alerts-1024') });

    // ---- analysis: the data-quality league, sorted by gaps, every meter shown
    await page.setViewportSize({ width: 1440, height: 900 });
    await shell.open(server.url, '/analysis');
    const quality = page.getByTestId('league-quality');
    await expect(quality.getByTestId('league-row')).toHaveCount(8);
    const gapsSort = quality.getByRole('button', { name: /^Gaps/ });
    const gaps = quality.getByRole('columnheader').filter({ has: page.getByRole('button', { name: /^Gaps/ }) });
    await gapsSort.click();
    await expect(gaps).toHaveAttribute('aria-sort', 'descending');
    const shownLeague = await quality.getByTestId('league-row').evaluateAll((trs) =>
      trs.map((tr) => ({
        meter: tr.getAttribute('data-meter')!,
        complete: tr.querySelectorAll('td')[0]!.textContent!,
      })),
    );
    const q = await exportFrom(page, quality);
    expect(q.name).toMatch(/^analysis-quality-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(q.rows.map((r) => r['MPAN / MPRN'])).toEqual(shownLeague.map((r) => r.meter));
    const league = core.analytics.portfolio({});
    for (const [i, row] of q.rows.entries()) {
      const l = league.rows.find((x) => x.meter === row['MPAN / MPRN'])!;
      expect(Number(row['Complete (%)'])).toBeCloseTo(l.completeness * 100, 1);
      expect(Number(row.Gaps)).toBe(l.gaps);
      expect(Number(row['Missing half-hours'])).toBe(l.missingHalfHours);
      if (shownLeague[i]!.complete.trim() === '100 %') expect(row['Complete (%)']).toBe('100');
    }
    const gapsInFile = q.rows.map((r) => Number(r.Gaps));
    expect(gapsInFile).toEqual([...gapsInFile].sort((x, y) => y - x));
    await page.screenshot({ path: screenshotPath('table-export-analysis-1440'), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: screenshotPath('table-export-analysis-1024') });

    // the button is reached with the keyboard and saves with Enter
    await quality.getByTestId('table-export').focus();
    const [viaKey] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(viaKey.suggestedFilename()).toBe(q.name);
  } finally {
    await server.close();
  }
});
