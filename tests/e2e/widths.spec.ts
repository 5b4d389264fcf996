/**
 * Every page at a laptop's 1024 × 700 and a desktop's 1440 × 900, after importing real meter files
 * (the public Energy Sparks and Octopus exports, and the project's CSV fixtures) and running the
 * switching analysis: nothing runs off the side without a cue (a table that cannot fit scrolls with
 * a shadow and its first column held), the Savings and Tariffs tables fit at 1024, the sidebar folds
 * to named icons below 1200 px, and no sentence shows an ISO date, "KWH", "CO2", "1 days" or "+£".
 * Meters and tariff ids used here are this spec's own; assertions never count other rows.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { AppShell, ImportsPage } from './pages/app';
import { CSV, expect, screenshotPath, test } from './fixtures';
import { economy7, flatTariff } from '../fixtures/tariffs';

const PUBLIC = path.join(process.cwd(), 'tests', 'fixtures', 'public');
const SHEFFIELD = '2336533093112';
const OCTOPUS_METER = '1710000008881';
const ctx = { role: 'admin' as const, actor: 'e2e' };

const TARIFFS = {
  tariffs: [
    flatTariff({
      id: 'e2e-w-flat',
      name: 'Widths Business Fixed',
      supplier: 'Widths Energy',
      validFrom: '2018-01-01',
      default: true,
    }),
    economy7({
      id: 'e2e-w-e7',
      name: 'Widths Economy 7',
      supplier: 'Widths Energy',
      validFrom: '2018-01-01',
      vatRate: 0.2,
    }),
  ],
};

/**
 * What overflows sideways without saying so, at the current size (empty when all is well): the page,
 * the main content, and each table wider than its wrapper without a shadow cue and a sticky first column.
 * A string, run in the page (the Node side of the tests has no DOM types).
 */
const HIDDEN_OVERFLOW = `(() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push('the page is ' + doc.scrollWidth + ' px wide in ' + doc.clientWidth);
  const main = document.querySelector('main.content');
  if (main.scrollWidth > main.clientWidth + 1)
    out.push('the main content is ' + main.scrollWidth + ' px wide in ' + main.clientWidth);
  for (const w of document.querySelectorAll('.table-wrap')) {
    if (w.scrollWidth - w.clientWidth <= 1 || w.offsetParent === null) continue;
    const t = w.querySelector('table');
    const name = (t && (t.getAttribute('data-testid') || t.className)) || 'without a name';
    const first = w.querySelector('tr > :first-child');
    const sticky = first !== null && getComputedStyle(first).position === 'sticky';
    const cue = w.hasAttribute('data-more-right') || w.hasAttribute('data-more-left');
    const shadow = getComputedStyle(w.parentElement, '::after').opacity === '1';
    if (!sticky || !cue || !shadow) out.push('table ' + name + ' is ' + w.scrollWidth + ' px wide in ' + w.clientWidth + ' with no cue');
  }
  return out;
})()`;

/** Date inputs that show the browser's own format (mm/dd/yyyy in a US-English browser): none should. */
const BROWSER_DATE_INPUTS = `[...document.querySelectorAll('main input[type="date"]')]
  .filter((i) => getComputedStyle(i).opacity !== '0' || i.getBoundingClientRect().width > 1)
  .map((i) => i.id || i.name || 'a date input')`;

async function hiddenOverflow(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(HIDDEN_OVERFLOW);
}

/** How wide a table is against its wrapper: [scrollWidth, clientWidth]. */
async function tableFit(page: Page, testId: string): Promise<[number, number]> {
  return page.evaluate<[number, number]>(
    `(() => { const w = document.querySelector('[data-testid="${testId}"]').closest('.table-wrap'); return [w.scrollWidth, w.clientWidth]; })()`,
  );
}

/** Text a user reads in the main content: no ISO dates in sentences, no "KWH", no "CO2", one way to say a saving. */
async function wording(page: Page): Promise<string[]> {
  let text = await page.locator('main').innerText();
  // a file's rejected rows quote the file's own text (its timestamps as written): not ours to reword
  for (const quoted of await page.locator('.job-errors table').allInnerTexts()) text = text.replace(quoted, '');
  const out: string[] = [];
  for (const m of text.matchAll(/\b\d{4}-\d{2}-\d{2}\b/g)) out.push(`ISO date ${m[0]}`);
  if (/KWH/.test(text)) out.push('KWH');
  if (/CO2/.test(text)) out.push('CO2');
  if (/\(1 days\)|\b1 days\b/.test(text)) out.push('1 days');
  // one way to say a saving: "saves £0.56" / "costs £0.56 more", never "+£0.56" or "£0.56 less"
  if (/\+£|£[\d,.]+ less\b/.test(text)) out.push('a saving shown as +£ or "less"');
  return out;
}

async function settle(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 15_000 });
}

test('every page fits 1024 × 700 and 1440 × 900, with the sidebar folded to icons below 1200 px', async ({
  page,
  server,
}) => {
  test.setTimeout(240_000);
  const core = server.core;
  const shell = new AppShell(page);

  // --- real files, imported through the Imports page
  await page.setViewportSize({ width: 1440, height: 900 });
  await shell.open(server.url, '/imports');
  const imports = new ImportsPage(page);
  const files = [
    'row-per-reading-highlands-energysparks.csv',
    'wide-hh-banes-energysparks.csv',
    'wide-hh-imserv-row-per-day-energysparks.csv',
    'wide-hh-sheffield-energysparks.csv',
  ];
  await imports.importFiles([...files.map((f) => path.join(PUBLIC, f)), path.join(CSV, 'long-autumn-with-errors.csv')]);
  // the server is shared with the other specs: a file one of them imported before is asked about first
  const ask = page.getByTestId('duplicate-confirm');
  await expect(imports.job(files[0]!).or(ask)).toBeVisible({ timeout: 30_000 });
  if (await ask.isVisible()) await ask.getByRole('button', { name: 'Import again' }).click();
  for (const f of [...files, 'long-autumn-with-errors.csv'])
    await expect(imports.job(f)).toHaveAttribute('data-status', /done|failed/, { timeout: 60_000 });
  // the Octopus consumption export has no meter column: it is given one
  const octopus = await core.files.storePath(path.join(PUBLIC, 'octopus-consumption-electricity-2020-05.json'));
  const { jobIds } = core.imports.enqueue([octopus.fileId], { meter: OCTOPUS_METER });
  await expect.poll(() => core.imports.get(jobIds[0]!).status, { timeout: 30_000 }).toBe('done');
  await core.scheduler.idle();

  // a site, tariffs and a switching analysis, so the site page and Savings have rows
  const site = await core.handlers['sites.create']({ name: 'Mossbrook Primary School', postcode: 'S8 8AB' }, ctx);
  await core.handlers['meters.update']({ meter: SHEFFIELD, siteId: site.id, label: 'Mossbrook main' }, ctx);
  await core.handlers['tariffs.import']({ text: JSON.stringify(TARIFFS), fileName: 'e2e-widths.json' }, ctx);
  for (const m of [SHEFFIELD, OCTOPUS_METER, '1712423842469'])
    await core.handlers['meters.update']({ meter: m, supplier: 'Widths Energy' }, ctx);
  await core.handlers['tariffs.assign']({ meter: SHEFFIELD, tariff: 'e2e-w-e7', from: '2019-01-01' }, ctx);
  await core.handlers['switching.runAll']({ days: 90 }, ctx);
  // alert rules that fire on these files, so the inbox, an alert's page and the rules have rows
  await core.handlers['alerts.importRules'](
    {
      text: JSON.stringify({
        rules: [
          { id: 'e2e-w-daily', name: 'Widths daily use', kind: 'daily-kwh-above', all: true, kwh: 1 },
          { id: 'e2e-w-demand', kind: 'halfhour-kw-above', site: site.id, kw: 1, consecutive: 2, severity: 'critical' },
          { id: 'e2e-w-health', kind: 'health', all: true, level: 'warn', channels: ['tray', 'email'] },
        ],
      }),
    },
    ctx,
  );
  await core.handlers['alerts.check']({}, ctx);
  const [alert] = await core.handlers['alerts.list']({ rule: 'e2e-w-daily' }, ctx);
  expect(alert, 'an alert of the daily-use rule').toBeDefined();

  const pages: [string, string][] = [
    ['dashboard', '/'],
    ['imports', '/imports'],
    ['meters', '/meters'],
    ['meter', `/meters/${SHEFFIELD}`],
    ['meter-octopus', `/meters/${OCTOPUS_METER}`],
    ['site', `/sites/${site.id}`],
    ['analysis', '/analysis'],
    ['carbon', '/carbon'],
    ['tariffs', '/tariffs'],
    ['savings', '/savings'],
    ['activity', '/activity'],
    ['settings', '/settings'],
    ['users', '/settings/users'],
    ['activity-audit', '/activity?view=audit'],
    ['alerts', '/alerts'],
    ['alert', `/alerts/${alert!.id}`],
    ['alert-rules', '/alerts/rules'],
    ['health', '/health'],
  ];

  for (const [width, height] of [
    [1024, 700],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const [name, route] of pages) {
      await shell.open(server.url, route);
      await settle(page);
      if (name === 'imports')
        await imports
          .job('long-autumn-with-errors.csv')
          .getByRole('button', { name: /Show problems/ })
          .click();
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: screenshotPath(`w${width}-${name}`), fullPage: true });
      if (name === 'meter')
        for (const part of ['emissions-panel', 'cost-tariff', 'switch-panel'])
          if (await page.getByTestId(part).count())
            await page.getByTestId(part).screenshot({ path: screenshotPath(`w${width}-meter-${part}`) });
      // polled: a table's shadow cue fades in (0.15 s) once its rows have loaded and been measured
      await expect.poll(() => hiddenOverflow(page), { message: `${name} at ${width} px` }).toEqual([]);
      expect(await wording(page), `${name} at ${width} px`).toEqual([]);
      expect(await page.evaluate<string[]>(BROWSER_DATE_INPUTS), `${name} at ${width} px`).toEqual([]);
    }

    // the sidebar: icons with their names below 1200 px, the full list above
    const sidebar = page.locator('aside.sidebar');
    const savingsLink = shell.nav('Savings');
    await expect(savingsLink).toBeVisible();
    const box = await sidebar.boundingBox();
    const labelOpacity = () =>
      savingsLink
        .locator('.nav-label')
        .evaluate((l) => Number(l.ownerDocument.defaultView!.getComputedStyle(l).opacity));
    if (width < 1200) {
      expect(box!.width).toBeLessThanOrEqual(64);
      await expect.poll(labelOpacity).toBe(0);
      // its name shows beside it on hover, and on keyboard focus
      await savingsLink.hover();
      await expect.poll(labelOpacity).toBe(1);
      await page.mouse.move(width - 10, height - 10);
      await expect.poll(labelOpacity).toBe(0);
      await shell.nav('Tariffs').focus();
      await page.keyboard.press('Tab');
      await expect(savingsLink).toBeFocused();
      await expect.poll(labelOpacity).toBe(1);
      await page.screenshot({ path: screenshotPath(`w${width}-sidebar-focus`) });
    } else {
      expect(box!.width).toBeGreaterThanOrEqual(200);
      await expect.poll(labelOpacity).toBe(1);
    }

    // the tables that were cut off: they fit at 1024
    await shell.open(server.url, '/savings');
    await settle(page);
    await expect(page.getByTestId('savings-table')).toContainText(/Saves £[\d,]+\.\d\d|Costs £[\d,]+\.\d\d more/);
    const [savingsScroll, savingsClient] = await tableFit(page, 'savings-table');
    expect(savingsScroll, `savings table at ${width} px`).toBeLessThanOrEqual(savingsClient + 1);
    await shell.open(server.url, '/tariffs');
    await settle(page);
    const [tariffsScroll, tariffsClient] = await tableFit(page, 'tariffs-table');
    expect(tariffsScroll, `tariffs table at ${width} px`).toBeLessThanOrEqual(tariffsClient + 1);
  }
});
