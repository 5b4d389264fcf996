/**
 * Costs and switching, as an energy manager uses them: import ~100 days of half-hourly data for
 * three meters and three tariffs, assign tariffs on the meter page (one change mid-month), check the
 * cost breakdown against the core, price a chosen period and another tariff, run a switching
 * analysis and a what-if, then analyse every meter from the Savings page with live progress.
 * The per-worker server is shared with other specs: only MPANs 1900000000031, 1900000000040,
 * 2000000000051 and tariff ids prefixed e2e-cp- are used, and assertions never count other rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPounds } from '../../src-renderer/lib/money';
import type { Locator, Page } from '@playwright/test';
import { AppShell } from './pages/app';
import { expect, screenshotPath, test } from './fixtures';
import { economy7, flatTariff } from '../fixtures/tariffs';

const M1 = '1900000000031';
const M2 = '1900000000040';
const M3 = '2000000000051';
const ctx = { role: 'admin' as const, actor: 'e2e' };

const TARIFFS = {
  tariffs: [
    flatTariff({ id: 'e2e-cp-flat', name: 'Northwind Business Fixed', supplier: 'Northwind Energy', default: true }),
    economy7(
      {
        id: 'e2e-cp-e7',
        name: 'Northwind Economy 7',
        supplier: 'Northwind Energy',
        vatRate: 0.2,
        cclPencePerKwh: 0.775,
      },
      { named: true },
    ),
    {
      id: 'e2e-cp-green',
      name: 'Bolt Green Business',
      supplier: 'Bolt Power',
      fuel: 'electricity',
      validFrom: '2025-01-01',
      validTo: null,
      standingChargePencePerDay: 60,
      vatRate: 0.2,
      cclPencePerKwh: 0.775,
      rates: [{ pencePerKwh: 24.9 }],
      halfHourlyPrices: null,
    },
  ],
};

/**
 * 100 UK days from 1 Jan 2025 (through the March clock change) for three meters: more by day than
 * at night, each meter its own size. M1 misses six hours on 12 March, so March's cost must say so.
 */
function seedCsv(): string {
  const lines = ['MPAN,Timestamp,kWh'];
  const start = Date.UTC(2025, 0, 1);
  const gapFrom = Date.UTC(2025, 2, 12, 9);
  const gapTo = Date.UTC(2025, 2, 12, 15);
  for (const [meter, scale] of [
    [M1, 1],
    [M2, 0.6],
    [M3, 2.5],
  ] as const) {
    for (let i = 0; i < 100 * 48; i++) {
      const t = start + i * 1_800_000;
      if (meter === M1 && t >= gapFrom && t < gapTo) continue;
      const hour = new Date(t).getUTCHours();
      const base = hour < 7 ? 0.35 : hour < 17 ? 1.4 : 0.9;
      const kwh = Math.round(base * scale * (1 + ((i * 7) % 11) / 50) * 1000) / 1000;
      lines.push(`${meter},${new Date(t).toISOString()},${kwh}`);
    }
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-costs-')), 'costs-meters.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** A screenshot of one part of the page at its place in the full page (no sticky top bar over it), toasts dismissed. */
async function shot(page: Page, part: Locator, name: string): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await page.waitForTimeout(600); // charts finish animating
  // at the top, the sticky top bar stays at the top of a full-page capture instead of over the part
  await page.evaluate('window.scrollTo(0, 0)');
  const box = await part.boundingBox();
  if (!box) throw new Error(`${name}: nothing to capture`);
  await page.screenshot({
    path: screenshotPath(name),
    fullPage: true,
    clip: { x: Math.max(0, box.x - 8), y: Math.max(0, box.y - 8), width: box.width + 16, height: box.height + 16 },
  });
}

test('costs, switching and savings: a tariff assigned on the meter page prices its days, ranks alternatives and adds up across the portfolio', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const core = server.core;
  const stored = await core.files.storePath(seedCsv());
  const { jobIds } = core.imports.enqueue([stored.fileId]);
  await expect.poll(() => core.imports.get(jobIds[0]!).status, { timeout: 30_000 }).toBe('done');
  await core.scheduler.idle();
  const imported = await core.handlers['tariffs.import'](
    { text: JSON.stringify(TARIFFS), fileName: 'e2e-costs.json' },
    ctx,
  );
  expect(imported.ids.sort()).toEqual(['e2e-cp-e7', 'e2e-cp-flat', 'e2e-cp-green']);
  // M2 is on the flat tariff; M3 has no assignment but its supplier's default prices it
  await core.handlers['tariffs.assign']({ meter: M2, tariff: 'e2e-cp-flat', from: '2025-01-01' }, ctx);
  await core.handlers['meters.update']({ meter: M3, supplier: 'Northwind Energy', label: 'Warehouse' }, ctx);
  await core.handlers['meters.update']({ meter: M1, label: 'Main incomer' }, ctx);

  const shell = new AppShell(page);
  await shell.open(server.url, `/meters/${M1}`);
  const panel = page.getByTestId('meter-costs');
  await expect(panel.getByRole('heading', { name: 'Costs & tariffs' })).toBeVisible();
  const tariffCard = panel.getByTestId('cost-tariff');
  await expect(tariffCard).toContainText('No tariff assigned');

  // --- assign: the flat tariff from the first day of data, then Economy 7 from 15 March
  const form = tariffCard.getByTestId('assign-form');
  const options = await form.getByLabel('Tariff').locator('option').allTextContents();
  expect(options).toContain('Northwind Business Fixed — Northwind Energy (supplier default)');
  // a UK date field: DD/MM/YYYY whatever the browser's language, and bad dates refused in words
  await expect(form.getByLabel('From (UK day)')).toHaveValue('01/01/2025');
  await expect(form.getByLabel('From (UK day)')).toHaveAttribute('placeholder', 'DD/MM/YYYY');
  await form.getByLabel('Tariff').selectOption('e2e-cp-flat');
  await form.getByRole('button', { name: 'Assign tariff' }).click();
  await expect(tariffCard.getByTestId('assignment-row')).toHaveCount(1);
  await form.getByLabel('Tariff').selectOption('e2e-cp-e7');
  await form.getByLabel('From (UK day)').fill('31/02/2025');
  await expect(form.getByTestId('assign-from-format')).toHaveText('February 2025 has 28 days: there is no day 31.');
  await form.getByRole('button', { name: 'Assign tariff' }).click();
  await expect(form.getByTestId('assign-from-error')).toHaveText('February 2025 has 28 days: there is no day 31.');
  await form.getByLabel('From (UK day)').fill('15/03/2025');
  await form.getByLabel(/Capacity kVA/).fill('69');
  await form.getByRole('button', { name: 'Assign tariff' }).click();
  await expect(tariffCard.getByTestId('assignment-row')).toHaveCount(2);
  const e7Row = tariffCard.locator('[data-testid="assignment-row"][data-tariff="e2e-cp-e7"]');
  await expect(e7Row).toContainText('15 Mar 2025');
  await expect(e7Row).toContainText('ongoing');
  await expect(tariffCard.locator('[data-testid="assignment-row"][data-tariff="e2e-cp-flat"]')).toContainText(
    '14 Mar 2025',
  ); // the last day on it
  await expect(tariffCard.getByLabel('Agreed capacity (kVA)')).toHaveValue('69');
  expect((await core.handlers['tariffs.assignments']({ meter: M1 }, ctx)).map((a) => [a.tariff, a.from, a.to])).toEqual(
    [
      ['e2e-cp-flat', '2025-01-01', '2025-03-15'],
      ['e2e-cp-e7', '2025-03-15', null],
    ],
  );

  // --- cost: opens on March 2025, the last full month, priced in two periods, the data gap called out
  const costCard = panel.getByTestId('cost-period-card');
  await expect(costCard).toContainText('March 2025, the last full calendar month of data');
  const march = await core.handlers['cost.meter']({ meter: M1, from: '2025-03-01', to: '2025-04-01' }, ctx);
  expect(march.periods.map((p) => p.tariff)).toEqual(['e2e-cp-flat', 'e2e-cp-e7']);
  await expect(costCard.getByTestId('cost-total')).toHaveText(formatPounds(march.totalPence));
  await expect(costCard.getByTestId('cost-periods').getByTestId('cost-period')).toHaveCount(2);
  const warnings = costCard.getByTestId('cost-breakdown-warnings');
  await expect(warnings).toBeVisible();
  await expect(warnings).toContainText(
    `${march.missingHalfHours} of ${march.expectedHalfHours.toLocaleString('en-GB')} half-hours`,
  );
  // the bill lines add up: subtotal + VAT = total, each shown in pounds
  const lines = costCard.getByTestId('cost-breakdown-lines');
  await expect(lines.locator('[data-kind="energy"]')).toHaveCount(3); // Unit rate (flat) + Night + Day
  await expect(lines.locator('[data-kind="standing"]')).toContainText('31 days at the rates of each period');
  await expect(lines.locator('[data-kind="vat"]')).toContainText(formatPounds(march.vatPence));
  await expect(lines.locator('[data-kind="total"]')).toContainText(formatPounds(march.totalPence));
  await expect(costCard.getByTestId('cost-bands-chart')).toHaveAttribute('data-points', /^[1-9]/);
  await shot(page, panel, 'meter-costs');

  // --- a chosen period (both days included) and another tariff
  await costCard.getByLabel('From').fill('20/03/2025');
  await costCard.getByLabel('To', { exact: true }).fill('26/03/2025');
  await costCard.getByRole('button', { name: 'Work out' }).click();
  const week = await core.handlers['cost.meter']({ meter: M1, from: '2025-03-20', to: '2025-03-27' }, ctx);
  await expect(costCard.getByTestId('cost-total')).toHaveText(formatPounds(week.totalPence));
  await expect(costCard.locator('[data-kind="standing"]').first()).toContainText('7 days × 45.2p/day');
  await costCard.getByTestId('cost-tariff-select').selectOption('e2e-cp-green');
  const weekGreen = await core.handlers['cost.meter'](
    { meter: M1, from: '2025-03-20', to: '2025-03-27', tariff: 'e2e-cp-green' },
    ctx,
  );
  await expect(costCard.getByTestId('cost-total')).toHaveText(formatPounds(weekGreen.totalPence));
  await expect(costCard.getByTestId('cost-result')).toContainText('Bolt Green Business');
  await costCard.getByTestId('cost-tariff-select').selectOption('');

  // --- switching analysis over the last 90 days: current is Economy 7, alternatives ranked
  const sw = panel.getByTestId('switch-panel');
  await expect(sw).toContainText('Not analysed yet');
  await sw.getByTestId('switch-run').click();
  const result = sw.getByTestId('switch-result');
  await expect(result).toBeVisible();
  await expect(sw.getByTestId('switch-warning')).toContainText(/same/i);
  await expect(sw.getByTestId('switch-current')).toHaveAttribute('data-basis', 'assignment');
  await expect(sw.getByTestId('switch-current')).toContainText('Northwind Economy 7');
  // run by the person at this machine, through the browser — not "local"
  await expect(result).toContainText(`by ${os.userInfo().username} (browser)`);
  const saved = (await core.handlers['switching.history']({ meter: M1 }, ctx))[0]!;
  const analysis = await core.handlers['switching.get']({ id: saved.id }, ctx);
  const mine = analysis.alternatives.filter((a) => a.tariff.startsWith('e2e-cp-'));
  expect(mine.map((a) => a.tariff).sort()).toEqual(['e2e-cp-flat', 'e2e-cp-green']);
  await expect(sw.getByTestId('switch-current')).toContainText(formatPounds(analysis.current.totalPence));
  for (const alt of mine) {
    const row = sw.locator(`[data-testid="alternative-row"][data-tariff="${alt.tariff}"]`);
    await expect(row).toContainText(formatPounds(alt.totalPence));
    await expect(row.getByTestId('saving')).toHaveClass(alt.savingPence > 0 ? /saving-saving/ : /saving-extra/);
  }
  // ranked best first
  const savings = await sw
    .getByTestId('alternative-row')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-saving-pence'))));
  expect([...savings].sort((a, b) => b - a)).toEqual(savings);
  // a row opens to its full breakdown
  const green = sw.locator('[data-testid="alternative-row"][data-tariff="e2e-cp-green"]');
  await green.getByRole('button', { name: /Show the breakdown of Bolt Green Business/ }).click();
  await expect(sw.getByTestId('alternative-breakdown').locator('[data-kind="standing"]')).toContainText('× 60p/day');

  // --- what-if: move 50 % of use from the dearest band to the cheapest
  await sw.getByLabel('Share of use to move, percent').fill('50');
  await sw.getByTestId('whatif-run').click();
  await expect(sw.getByTestId('switch-result')).toHaveAttribute('data-whatif', '50');
  const whatIf = sw.getByTestId('whatif-result');
  await expect(whatIf).toContainText('50 % of use moved');
  await expect(whatIf).toContainText('from Day to Night');
  const hist = await core.handlers['switching.history']({ meter: M1 }, ctx);
  expect(hist.map((h) => h.whatIfPercent)).toEqual([50, null]);
  const shifted = await core.handlers['switching.get']({ id: hist[0]!.id }, ctx);
  // Economy 7 is cheaper with use moved to night
  expect(shifted.current.totalPence).toBeLessThan(analysis.current.totalPence);
  await expect(sw.getByTestId('switch-current')).toContainText(formatPounds(shifted.current.totalPence));

  // history: both runs listed; the chart leaves the what-if out; a past one opens again
  await expect(sw.getByTestId('switch-history-row')).toHaveCount(2);
  await expect(sw.getByTestId('saving-history-chart')).toHaveAttribute('data-points', '1');
  await sw
    .locator(`[data-testid="switch-history-row"][data-id="${saved.id}"]`)
    .getByRole('button', { name: /^Open the analysis run/ })
    .click();
  await expect(sw.getByTestId('switch-result')).toHaveAttribute('data-analysis-id', String(saved.id));
  await expect(sw.getByTestId('switch-result')).toHaveAttribute('data-whatif', '');
  await expect(sw.getByTestId('switch-result')).toContainText('Saved analysis');
  await sw
    .locator(`[data-testid="switch-history-row"][data-id="${hist[0]!.id}"]`)
    .getByRole('button', { name: /what-if 50 %$/ })
    .click();
  await expect(sw.getByTestId('whatif-result')).toBeVisible();
  await shot(page, sw, 'meter-switching');

  // --- Savings: analyse every meter with live progress, then the portfolio ranked by saving
  await shell.open(server.url, '/savings');
  const savingsPage = page.getByTestId('savings-page');
  await expect(savingsPage.getByRole('heading', { name: 'Savings', level: 1 })).toBeVisible();
  const progressSeen: string[] = [];
  await page.exposeFunction('e2eProgress', (s: string) => progressSeen.push(s));
  // record every state the progress card passes through (the run can be quicker than polling)
  await page.evaluate(`new MutationObserver(() => {
    const el = document.querySelector('[data-testid="run-progress"]');
    if (el) window.e2eProgress(el.getAttribute('data-state') + '|' + el.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow'));
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })`);
  await savingsPage.getByTestId('run-all').click();
  const progress = savingsPage.getByTestId('run-progress');
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  expect(progressSeen.some((s) => s.startsWith('running|'))).toBe(true);
  await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(progress.getByTestId('run-progress-text')).toContainText(/analysed in/);

  const portfolio = await core.handlers['switching.portfolio']({}, ctx);
  const table = savingsPage.getByTestId('savings-table');
  for (const m of [M1, M2, M3]) {
    const p = portfolio.find((r) => r.meter === m)!;
    expect(p.whatIfPercent).toBeNull();
    const row = table.locator(`[data-testid="savings-row"][data-mpan="${m}"]`);
    await expect(row).toContainText(formatPounds(p.currentPence));
    await expect(row.getByRole('link', { name: m })).toHaveAttribute('href', `#/meters/${m}`);
  }
  await expect(table.locator(`[data-testid="savings-row"][data-mpan="${M3}"]`)).toContainText('Warehouse');
  await expect(table.locator(`[data-testid="savings-row"][data-mpan="${M3}"]`)).toContainText(
    'Northwind Business Fixed',
  );
  // sorted by saving, largest first
  const order = await table
    .getByTestId('savings-row')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-saving-pence'))));
  expect([...order].sort((a, b) => b - a)).toEqual(order);
  const potential = portfolio
    .filter((r) => Math.round(r.bestSavingPence) > 0)
    .reduce((s, r) => s + r.bestSavingPence, 0);
  await expect(savingsPage.getByTestId('potential-saving')).toHaveText(formatPounds(potential));
  await expect(savingsPage.getByTestId('savings-chart')).toHaveAttribute('data-points', /^[1-9]/);
  await expect(savingsPage.getByTestId('recent-analyses').getByTestId('recent-row').first()).toBeVisible();
  await shot(page, page.locator('#root'), 'savings');

  // the meter link opens the meter page
  await table.getByRole('link', { name: M3 }).click();
  await expect(page.getByTestId('meter-costs')).toBeVisible();
  // its latest saved analysis opens by itself, and says plainly it was priced on the supplier's default
  await expect(page.getByTestId('switch-result')).toBeVisible();
  await expect(page.getByTestId('switch-current')).toHaveAttribute('data-basis', 'supplier-default');
  await expect(page.getByTestId('switch-basis')).toContainText('supplier’s default tariff');
  await expect(page.getByTestId('cost-tariff')).toContainText('Northwind Energy’s default');

  // the dashboard sums the same potential saving and leads to the Savings page
  await page.goto(`${server.url}#/dashboard`);
  const card = page.getByTestId('dashboard-savings');
  await expect(card).toContainText(`${formatPounds(potential)} could be saved`);
  await card.getByRole('link', { name: 'Go to Savings →' }).click();
  await expect(page).toHaveURL(/#\/savings$/);
});
