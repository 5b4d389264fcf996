/**
 * The portfolio league tables and the dashboard's "Where to look first" on two meters set up through
 * the core — one with a high always-on load, one used mostly out of hours with one unusual day —
 * and a site's details, opening hours, closures and weather edited on its page, read back with
 * sites.get.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { AppShell } from './pages/app';
import { expect, screenshotPath, startServer, test } from './fixtures';

const ctx = { role: 'admin' as const, actor: 'e2e' };
const PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** An MPAN core with a valid check digit. */
function mpan(body12: string): string {
  let s = 0;
  for (let k = 0; k < 12; k++) s += Number(body12[k]) * (PRIMES[k] as number);
  return body12 + ((s % 11) % 10);
}

/** A flat 2 kWh every half-hour: a 4 kW baseload, 70 % of it out of the default hours. */
const ALWAYS_ON = mpan('171000000901');
/** 0.1 kWh in hours and 1 kWh out of hours (floodlights left on), three times that on one Wednesday. */
const NIGHT_USER = mpan('171000000902');
const SPIKE = '2025-02-12';

/** Six weeks of GMT days, Monday 6 January to Sunday 16 February 2025 (no clock change, no bank holiday). */
function readingsCsv(): string {
  const lines = ['MPAN,Timestamp,kWh'];
  const start = Date.UTC(2025, 0, 6);
  for (let t = start; t < Date.UTC(2025, 1, 17); t += 1800_000) {
    const d = new Date(t);
    const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
    const open = weekday < 5 && d.getUTCHours() >= 8 && d.getUTCHours() < 18;
    const iso = d.toISOString();
    const spike = iso.startsWith(SPIKE) ? 3 : 1;
    lines.push(`${ALWAYS_ON},${iso},2`);
    lines.push(`${NIGHT_USER},${iso},${(open ? 0.1 : 1) * spike}`);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-league-')), 'league.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The meters of a league table, top to bottom. */
const order = (page: Page, table: string) =>
  page
    .getByTestId(`league-${table}`)
    .getByTestId('league-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-meter')));

test('the league tables rank the meters, sort by any column and lead to each meter; the dashboard shows the worst', async ({
  page,
}) => {
  // a server of its own: the tables list every meter, so no other spec's meters may join them
  const server = await startServer();
  try {
    const stored = await server.core.files.storePath(readingsCsv());
    await server.core.imports.wait(server.core.imports.enqueue([stored.fileId]).jobIds);
    await server.core.scheduler.idle();

    const shell = new AppShell(page);
    await shell.open(server.url, '/dashboard');
    await shell.nav('Analysis').click();
    await expect(page).toHaveURL(/#\/analysis$/);
    // the 4 weeks to the meters' latest complete day (16 Feb 2025)
    await expect(page.getByTestId('league-period')).toContainText('20 Jan – 16 Feb 2025');
    await expect(page.getByTestId('league-elapsed')).toContainText(/Worked out in \d/);

    // baseload: 4 kW against well under 1 kW; out of hours the other way round (≈ 96 % against 70.2 %)
    await expect.poll(() => order(page, 'baseload')).toEqual([ALWAYS_ON, NIGHT_USER]);
    const top = page.getByTestId('league-baseload').getByTestId('league-row').first();
    await expect(top.locator('td').first()).toHaveText('4');
    expect(await order(page, 'outOfHours')).toEqual([NIGHT_USER, ALWAYS_ON]);
    // 1 − 400 in-hours half-hours ÷ 1,344 of a flat meter
    await expect(page.getByTestId('league-outOfHours').locator(`[data-meter="${ALWAYS_ON}"] td`).first()).toHaveText(
      '70.2 %',
    );
    // the Wednesday at three times its usual use is the only exception
    expect(await order(page, 'exceptions')).toEqual([NIGHT_USER, ALWAYS_ON]);
    await expect(page.getByTestId('league-exceptions').locator(`[data-meter="${NIGHT_USER}"] td`).first()).toHaveText(
      '1',
    );
    await page.screenshot({ path: screenshotPath('league-tables'), fullPage: true });

    // a click on a header turns the order round; the header says which way
    const kw = page.getByTestId('league-baseload').getByRole('columnheader', { name: /^kW/ });
    await expect(kw).toHaveAttribute('aria-sort', 'descending');
    await kw.getByRole('button').click();
    await expect(kw).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(() => order(page, 'baseload')).toEqual([NIGHT_USER, ALWAYS_ON]);

    // each row leads to its meter's Analysis view, over the league's days so the figures agree
    const league = server.core.analytics.portfolio({});
    await page.getByTestId('league-outOfHours').getByTestId('league-row').first().click();
    await expect(page).toHaveURL(
      new RegExp(`#/meters/${NIGHT_USER}\\?view=analysis&from=${league.from}&to=${league.to}$`),
    );

    await shell.nav(/dashboard/i).click();
    const card = page.getByTestId('look-first');
    await expect(card.getByTestId('look-first-baseload').getByTestId('look-first-row').first()).toHaveAttribute(
      'data-meter',
      ALWAYS_ON,
    );
    await expect(card.getByTestId('look-first-outOfHours').getByTestId('look-first-row').first()).toHaveAttribute(
      'data-meter',
      NIGHT_USER,
    );
    await expect(card.getByTestId('look-first-exceptions').getByTestId('look-first-row')).toHaveCount(1);
    await expect(card.getByTestId('look-first-exceptions')).toContainText('1 day');
    await card.screenshot({ path: screenshotPath('dashboard-look-first') });
    await card.getByRole('link', { name: 'See the full league tables →' }).click();
    await expect(page).toHaveURL(/#\/analysis$/);
  } finally {
    await server.close();
  }
});

test('a site’s details, opening hours, closures and weather are edited on its page', async ({ page, server }) => {
  const site = await server.core.handlers['sites.create']({ name: 'League school' }, ctx);
  const get = () => server.core.handlers['sites.get']({ id: site.id }, ctx);
  const shell = new AppShell(page);
  await shell.open(server.url, `/sites/${site.id}`);

  // location: refused outside the UK, with the reason beside the field
  const details = page.getByTestId('site-details');
  await expect(page.getByTestId('weather-needs-location')).toBeVisible();
  await details.getByLabel('Latitude').fill('40.7');
  await details.getByLabel('Longitude').fill('-2.36');
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(details.getByTestId('site-latitude-error')).toContainText('outside the UK');
  await details.getByLabel('Latitude').fill('51.38');
  await details.getByLabel('Floor area (m²)').fill('2,400');
  await details.getByRole('checkbox', { name: 'On-site generation' }).check();
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect
    .poll(async () => {
      const s = (await get()).site;
      return [s.latitude, s.longitude, s.floorAreaM2, s.generation];
    })
    .toEqual([51.38, -2.36, 2400, true]);
  await expect(page.getByTestId('weather-needs-location')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Fetch from Open-Meteo' })).toBeVisible();

  // opening hours, with the editor's own messages for times that are wrong
  const hours = page.getByTestId('site-hours');
  await expect(hours.getByTestId('site-hours-words')).toHaveText(
    'Open Monday to Friday 08:00–18:00; closed Saturday and Sunday',
  );
  await hours.getByRole('button', { name: 'Change hours…' }).click();
  await hours.getByLabel('Friday to', { exact: true }).fill('13:00');
  await hours.getByLabel('Saturday closed').uncheck();
  await hours.getByLabel('Saturday from', { exact: true }).fill('09:00');
  await hours.getByLabel('Saturday to', { exact: true }).fill('12:30');
  await hours.getByLabel('Monday to', { exact: true }).fill('7pm');
  await hours.getByRole('button', { name: 'Save hours' }).click();
  await expect(hours.getByTestId('hours-error')).toHaveText(
    'Monday: “7pm” is not a time: type it as HH:MM, e.g. 08:00',
  );
  await hours.getByLabel('Monday to', { exact: true }).fill('07:00');
  await expect(hours.getByTestId('hours-error')).toHaveText(/^Monday: 08:00 to 07:00 ends before it starts/);
  await hours.getByLabel('Monday to', { exact: true }).fill('18:00');
  await expect(hours.getByTestId('hours-error')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('site-hours-editor'), fullPage: true });
  await hours.getByRole('button', { name: 'Save hours' }).click();
  await expect
    .poll(async () => {
      const s = (await get()).site;
      return [s.openingHours, s.openingHoursDefault];
    })
    .toEqual(['mon-thu 08:00-18:00; fri 08:00-13:00; sat 09:00-12:30', false]);
  await expect(hours.getByTestId('site-hours-words')).toHaveText(
    'Open Monday to Thursday 08:00–18:00, Friday 08:00–13:00, Saturday 09:00–12:30; closed Sunday',
  );
  // 4 × 10 h + 5 h + 3.5 h
  await expect(hours.getByTestId('site-hours-weekly')).toContainText('48.5 hours a week');

  // Monday's hours copied to the weekdays, then back to the default (no hours of its own)
  await hours.getByRole('button', { name: 'Change hours…' }).click();
  await hours.getByRole('button', { name: 'Copy Monday to Tuesday–Friday' }).click();
  await hours.getByRole('button', { name: 'Save hours' }).click();
  await expect.poll(async () => (await get()).site.openingHours).toBe('mon-fri 08:00-18:00; sat 09:00-12:30');
  await hours.getByRole('button', { name: 'Change hours…' }).click();
  await hours.getByRole('button', { name: /^Reset to the default/ }).click();
  await hours.getByRole('button', { name: 'Save hours' }).click();
  await expect.poll(async () => (await get()).site.openingHoursDefault).toBe(true);

  // a closure: both days shown as typed, the contract's end the day after the last
  const closures = page.getByTestId('site-closures');
  await closures.getByLabel('Last day closed').fill('21/12/2025');
  await closures.getByLabel('First day closed').fill('22/12/2025');
  await closures.getByRole('button', { name: 'Add closure' }).click();
  await expect(closures.getByTestId('closure-last-error')).toHaveText(
    'The last day (21/12/2025) is before the first (22/12/2025)',
  );
  await closures.getByLabel('Last day closed').fill('02/01/2026');
  await closures.getByLabel('Note (optional)').fill('Christmas holidays');
  await closures.getByRole('button', { name: 'Add closure' }).click();
  await expect
    .poll(async () => (await get()).closures.map((c) => [c.from, c.to, c.note]))
    .toEqual([['2025-12-22', '2026-01-03', 'Christmas holidays']]);
  await expect(closures.getByTestId('closure-row')).toContainText(['22/12/2025']);
  await expect(closures.getByTestId('closure-row')).toContainText(['02/01/2026']);

  // weather from a file: a refused file lists its problems by line and column; a good one is charted
  const weather = page.getByTestId('site-weather');
  const input = weather.getByTestId('weather-file-input');
  await input.setInputFiles({
    name: 'bad-weather.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('date,meanTemperatureC\n2025-01-01,4.5\n2025-01-02,hot\n'),
  });
  await expect(weather.getByTestId('weather-problem')).toContainText(['Line 3, column 2']);
  await expect(weather.getByTestId('weather-import-outcome')).toContainText('nothing was stored');
  await input.setInputFiles({
    name: 'bath-weather.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('date,meanTemperatureC\n2025-01-01,4.5\n2025-01-02,-1.5\n2025-01-03,6\n'),
  });
  await expect(weather.getByTestId('weather-import-outcome')).toContainText('Imported 3 days of mean temperatures');
  await expect(weather.getByTestId('weather-coverage')).toContainText(
    '3 days stored, 1–3 Jan 2025, from bath-weather.csv',
  );
  await expect(weather.getByTestId('weather-chart')).toHaveAttribute('data-points', '3');
  expect((await get()).weather).toMatchObject({ first: '2025-01-01', last: '2025-01-03', days: 3 });
  await page.screenshot({ path: screenshotPath('site-settings'), fullPage: true });
});
