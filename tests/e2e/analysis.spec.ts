/**
 * The meter page's Analysis view against figures worked out here, independently of the core: ten
 * weeks of generated half-hours (6 Jan – 16 Mar 2025, all GMT, no bank holiday) with a night-time
 * baseload, open-hours use that rises with the cold, a two-half-hour gap, a zero run and one evening
 * left on (Wed 5 Mar); a site with its own opening hours (Mon–Fri 07:30–17:30) and imported daily
 * temperatures. The spec checks the baseload kW, the out-of-hours share, the data-quality counts and
 * lists, the one exception day, links to the half-hourly chart at a gap and at that day, the weather
 * baseline's charts, a meter without a site saying why it has no baseline, and that the view reads
 * at 1024 px wide.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';

const PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
/** An MPAN core with a valid check digit. */
function mpan(body12: string): string {
  let s = 0;
  for (let k = 0; k < 12; k++) s += Number(body12[k]) * (PRIMES[k] as number);
  return body12 + ((s % 11) % 10);
}

const METER = mpan('171000000515');
const LONE = mpan('171000000516');
const ctx = { role: 'admin' as const, actor: 'e2e' };

const FIRST = Date.UTC(2025, 0, 6); // Mon 6 Jan 2025; the whole period is GMT, so UK time = UTC
const DAYS = 70;
const RANGE_DAYS = 56; // the view's default: the 8 weeks up to the last complete day
const iso = (day: number): string => new Date(FIRST + day * 864e5).toISOString().slice(0, 10);
const weekday = (day: number): number => day % 7; // day 0 is a Monday
const dayOf = (date: string): number => (Date.parse(`${date}T00:00:00Z`) - FIRST) / 864e5;

/** Mean temperature of a day, °C: a slow swing between 2 and 10 °C. */
const temperature = (day: number): number => Math.round((6 + 4 * Math.sin((2 * Math.PI * day) / 23)) * 10) / 10;

const GAP = { day: dayOf('2025-02-08'), slots: [4, 5] }; // Sat 02:00–03:00: no readings
const ZEROS = { day: dayOf('2025-02-23'), slots: [2, 3, 4, 5] }; // Sun 01:00–03:00 at 0 kWh
const LEFT_ON = dayOf('2025-03-05'); // Wed: 18:00–24:00 at open-hours use

/** kWh of a half-hour (null: missing), rounded as the file holds it. */
function kwhAt(day: number, slot: number): number | null {
  if (day === GAP.day && GAP.slots.includes(slot)) return null;
  if (day === ZEROS.day && ZEROS.slots.includes(slot)) return 0;
  const open = weekday(day) < 5;
  let v = slot < 8 ? 0.4 : 0.6; // 00:00–04:00 is the quietest
  if (open && slot >= 16 && slot < 36) v = 2 + (0.3 * Math.max(0, 15.5 - temperature(day))) / 20; // 08:00–18:00
  if (day === LEFT_ON && slot >= 36) v = 2;
  return Math.round(v * 1000) / 1000;
}

function csvFiles(): { readings: string; weather: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-analysis-'));
  const lines = ['MPAN,Timestamp,kWh,Quality'];
  for (const m of [METER, LONE])
    for (let d = 0; d < DAYS; d++)
      for (let k = 0; k < 48; k++) {
        const v = kwhAt(d, k);
        if (v === null) continue;
        lines.push(`${m},${new Date(FIRST + d * 864e5 + k * 18e5).toISOString().replace('.000Z', 'Z')},${v},A`);
      }
  const readings = path.join(dir, 'analysis-ten-weeks.csv');
  fs.writeFileSync(readings, lines.join('\n') + '\n');
  const weather = ['date,meanTemperatureC', ...Array.from({ length: DAYS }, (_, d) => `${iso(d)},${temperature(d)}`)];
  return { readings, weather: weather.join('\n') + '\n' };
}

/** The figures the view should show for the default range, worked out from kwhAt. */
function expected() {
  const from = DAYS - RANGE_DAYS;
  const present = (d: number) =>
    Array.from({ length: 48 }, (_, k) => kwhAt(d, k)).filter((v): v is number => v !== null);
  const total = (d: number) => present(d).reduce((s, v) => s + v, 0);
  // baseload: each day's 8 lowest half-hours, mean × 2 (kW), averaged over the days
  const baseloads: number[] = [];
  for (let d = from; d < DAYS; d++) {
    const sorted = present(d).sort((a, b) => a - b);
    baseloads.push((sorted.slice(0, 8).reduce((s, v) => s + v, 0) / 8) * 2);
  }
  const baseloadKw = baseloads.reduce((s, v) => s + v, 0) / baseloads.length;
  // in hours: Monday to Friday, half-hours starting 07:30 to 17:00
  let inHours = 0;
  let all = 0;
  for (let d = from; d < DAYS; d++)
    for (let k = 0; k < 48; k++) {
      const v = kwhAt(d, k) ?? 0;
      all += v;
      if (weekday(d) < 5 && k * 30 >= 450 && k * 30 < 1050) inHours += v;
    }
  // exceptions: a whole day against the whole same weekdays of the 8 weeks before (at least 4),
  // band max(3σ, 10 % of their mean), σ the sample standard deviation
  const whole = (d: number) => present(d).length === 48;
  const exceptions: string[] = [];
  for (let d = from; d < DAYS; d++) {
    if (!whole(d)) continue;
    const before = [1, 2, 3, 4, 5, 6, 7, 8].map((w) => d - 7 * w).filter((x) => x >= 0 && whole(x));
    if (before.length < 4) continue;
    const values = before.map(total);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    if (Math.abs(total(d) - mean) > Math.max(3 * sd, 0.1 * mean)) exceptions.push(iso(d));
  }
  // the weather baseline: the first half of all the data (it is shorter than a year); whole days only
  const half = Math.floor(DAYS / 2);
  const wholeDays = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i).filter(whole).length;
  /** Least squares of the baseline's whole days' kWh on HDD at base `tb`: [a, b]. */
  const fit = (tb: number): [number, number] => {
    const days = Array.from({ length: half }, (_, i) => i).filter(whole);
    const x = days.map((d) => Math.max(0, tb - temperature(d)));
    const y = days.map(total);
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const my = y.reduce((s, v) => s + v, 0) / y.length;
    const b = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0) / x.reduce((s, v) => s + (v - mx) ** 2, 0);
    return [my - b * mx, b];
  };
  return {
    fit,
    from: iso(from),
    to: iso(DAYS),
    baseloadKw,
    outOfHoursShare: 1 - inHours / all,
    exceptions,
    expectedHalfHours: RANGE_DAYS * 48,
    missing: GAP.slots.length,
    baseline: { from: iso(0), to: iso(half), days: wholeDays(0, half) },
    reportingDays: wholeDays(half, DAYS),
  };
}

/** What runs off the side of the page or the main content without a cue (empty when all is well). */
const OVERFLOW = `(() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push('page ' + doc.scrollWidth + ' in ' + doc.clientWidth);
  const main = document.querySelector('main.content');
  if (main && main.scrollWidth > main.clientWidth + 1) out.push('main ' + main.scrollWidth + ' in ' + main.clientWidth);
  return out;
})()`;

async function noOverflow(page: Page): Promise<void> {
  expect(await page.evaluate(OVERFLOW)).toEqual([]);
}

test('the Analysis view shows the baseload, out-of-hours share, data quality and exceptions worked out independently', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const core = server.core;
  const files = csvFiles();
  const stored = await core.files.storePath(files.readings);
  await core.imports.wait(core.imports.enqueue([stored.fileId]).jobIds);
  await core.scheduler.idle();
  const site = await core.handlers['sites.create'](
    {
      name: 'Analysis Primary School',
      latitude: 51.38,
      longitude: -2.36,
      floorAreaM2: 2400,
      openingHours: 'mon-fri 07:30-17:30',
    },
    ctx,
  );
  await core.handlers['meters.update']({ meter: METER, siteId: site.id, label: 'Main incomer' }, ctx);
  const imported = await core.handlers['weather.import'](
    { siteId: site.id, fileName: 'analysis-weather.csv', text: files.weather },
    ctx,
  );
  expect(imported.days).toBe(DAYS);

  const want = expected();
  expect(want.exceptions).toEqual(['2025-03-05']); // the data is built so that one day stands out

  await page.setViewportSize({ width: 1440, height: 900 });
  const shell = new AppShell(page);
  await shell.open(server.url, `/meters/${METER}`);
  await page.getByRole('tab', { name: 'Analysis' }).click();
  const view = page.getByTestId('analysis-view');
  await expect(view).toHaveAttribute('data-from', want.from);
  await expect(view).toHaveAttribute('data-to', want.to);
  await expect(page.getByTestId('analysis-range-text')).toHaveText('20 Jan – 16 Mar 2025');

  // baseload: the mean of each day's 8 lowest half-hours × 2
  const baseload = page.getByTestId('baseload-kw');
  await expect(baseload).toHaveAttribute('data-value', /\d/);
  expect(Number(await baseload.getAttribute('data-value'))).toBeCloseTo(want.baseloadKw, 6);
  await expect(baseload).toHaveText(`${want.baseloadKw.toFixed(2)} kW`);
  await expect(page.getByTestId('baseload-method')).toContainText('8 lowest half-hours × 2');
  await expect(page.getByTestId('baseload-per-m2')).toBeVisible();
  expect(Number(await page.getByTestId('baseload-per-m2').getAttribute('data-value'))).toBeCloseTo(
    want.baseloadKw / 2400,
    6,
  );
  await expect(page.getByTestId('baseload-per-m2')).toHaveText(`${((want.baseloadKw / 2400) * 1000).toFixed(2)} W/m²`);

  // out-of-hours share against the site's own hours
  await expect(page.getByTestId('opening-hours')).toContainText('Monday to Friday 07:30–17:30');
  await expect(page.getByTestId('opening-hours')).toHaveAttribute('data-default', 'false');
  const ooh = page.getByTestId('ooh-share');
  expect(Number(await ooh.getAttribute('data-value'))).toBeCloseTo(want.outOfHoursShare, 6);
  await expect(ooh).toHaveText(`${(want.outOfHoursShare * 100).toFixed(1)} %`);
  await expect(page.getByTestId('hours-split-chart')).toHaveAttribute('data-points', String(RANGE_DAYS));
  await expect(page.getByTestId('profile-chart')).toHaveAttribute('data-points', '48');

  // data quality: the counts, one gap and one zero run, each a link to the half-hourly chart
  const quality = page.getByTestId('quality-card');
  await expect(quality.getByTestId('q-expected')).toHaveAttribute('data-value', String(want.expectedHalfHours));
  await expect(quality.getByTestId('q-missing')).toHaveAttribute('data-value', String(want.missing));
  await expect(quality.getByTestId('q-gaps')).toHaveAttribute('data-count', '1');
  await expect(quality.getByTestId('q-zero-runs')).toHaveAttribute('data-count', '1');
  await expect(quality.getByTestId('q-gaps')).toContainText('8 Feb 2025 02:00–03:00 GMT (2 half-hours)');
  await expect(quality.getByTestId('q-zero-runs')).toContainText('23 Feb 2025 01:00–03:00 GMT (4 half-hours)');
  await expect(quality.getByTestId('quality-calendar')).toHaveAttribute('data-points', String(RANGE_DAYS));
  // readings up to the range's end: not stale, however long ago that was
  await expect(quality.getByTestId('stale-warning')).toHaveCount(0);

  // exceptions: the evening left on, and nothing else
  const rows = page.getByTestId('exception-row');
  await expect(rows).toHaveCount(want.exceptions.length);
  expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-date')))).toEqual(want.exceptions);
  await expect(rows.first()).toContainText('Wed 5 Mar 2025');

  // the weather baseline: the data's first half, and a CUSUM over the rest
  const weather = page.getByTestId('weather-card');
  await expect(weather.getByTestId('baseline-period')).toHaveAttribute('data-from', want.baseline.from);
  await expect(weather.getByTestId('baseline-period')).toHaveAttribute('data-to', want.baseline.to);
  await expect(weather.getByTestId('baseline-scatter')).toHaveAttribute('data-points', String(want.baseline.days));
  await expect(weather.getByTestId('cusum-chart')).toHaveAttribute('data-points', String(want.reportingDays));
  await expect(weather.getByTestId('stat-days')).toHaveText(String(want.baseline.days));
  // a and b: least squares at the base temperature the model chose
  const tb = Number(/^([\d.]+) °C/.exec((await weather.getByTestId('stat-tb').textContent()) ?? '')?.[1]);
  expect(tb).toBeGreaterThanOrEqual(10);
  const [a, b] = want.fit(tb);
  await expect(weather.getByTestId('stat-a')).toHaveText(a.toFixed(1));
  await expect(weather.getByTestId('stat-b')).toHaveText(b.toFixed(2));
  await expect(weather.getByTestId('stat-tb')).toContainText('°C');
  await page.screenshot({ path: screenshotPath('40-analysis-1440'), fullPage: true });

  // at a laptop's width nothing runs off the side
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(baseload).toBeVisible();
  await noOverflow(page);
  await page.screenshot({ path: screenshotPath('41-analysis-1024'), fullPage: true });

  // a gap opens the half-hourly chart on its day, marked at its start; Back returns to the analysis
  await quality.getByTestId('q-gaps').getByTestId('issue-link').click();
  await expect(page).toHaveURL(/view=half-hourly&day=2025-02-08/);
  await expect(page.getByRole('tab', { name: 'Half-hourly' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('half-hourly-focus')).toContainText('8 Feb 2025');
  await expect(page.getByTestId('meter-chart')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('exception-row')).toHaveCount(1);

  // the exception day opens its half-hours too
  await page.getByTestId('exception-link').first().click();
  await expect(page).toHaveURL(/view=half-hourly&day=2025-03-05/);
  await expect(page.getByTestId('half-hourly-focus')).toContainText('5 Mar 2025');

  // a chosen range is kept in the page's address
  await page.goBack();
  await page.locator('#analysis-from').fill('03/02/2025');
  await page.getByRole('button', { name: 'Analyse' }).click();
  await expect(view).toHaveAttribute('data-from', '2025-02-03');
  await expect(page).toHaveURL(/from=2025-02-03&to=2025-03-17/);
  await expect(page.getByTestId('q-expected')).toHaveAttribute('data-value', String(42 * 48));
});

test('a meter without a site says why it has no weather baseline, and uses the default hours', async ({
  page,
  server,
}) => {
  const core = server.core;
  if (!core.meters.list().some((m) => m.mpan === LONE)) {
    const stored = await core.files.storePath(csvFiles().readings);
    await core.imports.wait(core.imports.enqueue([stored.fileId]).jobIds);
  }
  await core.handlers['meters.update']({ meter: LONE, siteId: null }, ctx);
  const shell = new AppShell(page);
  await shell.open(server.url, `/meters/${LONE}?view=analysis`);
  await expect(page.getByTestId('opening-hours')).toHaveAttribute('data-default', 'true');
  await expect(page.getByTestId('opening-hours')).toContainText('Monday to Friday 08:00–18:00');
  const weather = page.getByTestId('weather-card');
  await expect(weather).toHaveAttribute('data-state', 'error');
  await expect(weather.getByRole('alert')).toContainText(/site/i);
  await page.screenshot({ path: screenshotPath('42-analysis-no-site'), fullPage: true });
});
