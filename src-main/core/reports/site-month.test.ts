/**
 * The site and portfolio monthly reports end to end: a real core fed two Marches of half-hours for three
 * meters on two sites (one meter with gaps, one without a tariff), a flat tariff, a cheaper one found by
 * a switching analysis, an SECR factor and budgets; the PDFs read back with PDF.js and their figures
 * compared with sums made here from the CSV rows (UK days by `Intl`), priced and converted by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { pdfText } from '../../../tests/helpers/pdf';
import { flatTariff } from '../../../tests/fixtures/tariffs';
import { callAs } from '../exports/export';
import type { Call } from '../exports/tables';
import { buildReport } from './build';
import { renderPdf } from './pdf';
import type { Services } from '../services';

const [M1, M2, M3] = ['1200050000009', '1200050000106', '1200050000203'];
const FACTOR = 0.177;
const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' });
const localMonth = (ms: number): string => {
  const [m, y] = london.format(new Date(ms)).split('/');
  return `${y}-${m}`;
};
const oneDp = (n: number) => n.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const money = (pence: number) =>
  `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pc = (now: number, before: number) => {
  const v = ((now - before) / before) * 100;
  return `${v >= 0 ? '+' : ''}${oneDp(v)}%`;
};
const esc = (x: string) => x.replace(/[.+()£]/g, '\\$&');
const row = (...cells: string[]) => new RegExp(cells.map(esc).join(' +'));

// half-hours from 28/02 to 02/04 (UTC) in 2024 and 2025; M2 loses 8 half-hours on 10/03/2025
const rows: { meter: string; t: number; v: number }[] = [];
[M1, M2, M3].forEach((meter, n) => {
  for (const year of [2024, 2025])
    for (let t = Date.UTC(year, 1, 28); t < Date.UTC(year, 3, 2); t += 1_800_000) {
      if (meter === M2 && year === 2025 && t >= Date.UTC(2025, 2, 10, 6) && t < Date.UTC(2025, 2, 10, 10)) continue;
      const i = (t - Date.UTC(year, 0, 1)) / 1_800_000;
      rows.push({
        meter,
        t,
        v: Number((0.3 + n * 0.2 + ((i * 7 + n * 3) % 11) / 10 + (year - 2024) * 0.04).toFixed(2)),
      });
    }
});
const kwhOf = (meters: string[], month: string) =>
  rows.filter((r) => meters.includes(r.meter) && localMonth(r.t) === month).reduce((a, r) => a + r.v, 0);
/** A flat tariff by hand: (kWh × (unit + CCL) + days × standing) × (1 + VAT), in pence. */
const flatPence = (kwh: number, unit = 27.4) => (kwh * (unit + 0.775) + 31 * 55) * 1.2;

let core: Core;
let admin: Call;
let siteA: number;
let siteB: number;

async function reportText(call: Call, scope: { siteId: number } | { all: true }, month = '2025-03') {
  const doc = await buildReport(
    { services: core as unknown as Services, call, now: Date.UTC(2025, 3, 2, 9) },
    { scope, month },
  );
  return { doc, text: (await pdfText(await renderPdf(doc))).join('\n') };
}

beforeAll(async () => {
  core = await makeCore();
  admin = callAs(core.handlers, { role: 'admin', actor: 'test' });
  const csv = ['MPAN,Timestamp,kWh', ...rows.map((r) => `${r.meter},${new Date(r.t).toISOString()},${r.v}`)];
  await importFiles(core, [writeTemp('three-meters.csv', csv.join('\n'))]);
  siteA = (await admin('sites.create', { name: 'Bath School' })).id;
  siteB = (await admin('sites.create', { name: 'Wells Library' })).id;
  await admin('meters.update', { meter: M1, siteId: siteA });
  await admin('meters.update', { meter: M2, siteId: siteA });
  await admin('meters.update', { meter: M3, siteId: siteB });
  const cheap = flatTariff({ id: 'beta-flat', name: 'Beta Flat', supplier: 'Beta', rates: [{ pencePerKwh: 20 }] });
  await admin('tariffs.import', { text: JSON.stringify({ tariffs: [flatTariff(), cheap] }) });
  await admin('tariffs.assign', { meter: M1, tariff: 'acme-flat-2025', from: '2025-01-01' });
  await admin('tariffs.assign', { meter: M3, tariff: 'acme-flat-2025', from: '2025-01-01' });
  await admin('carbon.setFactor', { year: 2025, fuel: 'electricity', kgPerKwh: FACTOR });
  await admin('switching.analyse', { meter: M1, from: '2025-03-01', to: '2025-04-01' });
  await admin('budgets.set', { siteId: siteA, months: [{ month: '2025-03', kwh: 3000, pence: 100_000 }] });
  await admin('budgets.set', { siteId: siteB, months: [{ month: '2025-03', kwh: 1500, pence: 50_000 }] });
}, 60_000);
afterAll(() => core?.stop());

describe('site monthly report', () => {
  it('states consumption against last March and the budget, the cost, emissions and each meter as the CSV adds up', async () => {
    const { doc, text } = await reportText(admin, { siteId: siteA });
    const now = kwhOf([M1, M2], '2025-03');
    const before = kwhOf([M1, M2], '2024-03');
    expect(doc.title).toBe('Site report: Bath School, March 2025');
    expect(text).toMatch(row('Electricity, kWh', oneDp(now), oneDp(before), pc(now, before)));
    expect(text).toMatch(row(pc(now, before), oneDp(3000), pc(now, 3000)));
    // M1 is priced on the flat tariff; M2 has none and is named as not priced
    const m1 = kwhOf([M1], '2025-03');
    const pence = flatPence(m1);
    expect(text).toMatch(row('Cost incl. VAT', money(pence), money(100_000), pc(pence, 100_000)));
    expect(text).toMatch(row('Standing charges', money(31 * 55)));
    expect(text).toMatch(row('Climate Change Levy', money(m1 * 0.775)));
    expect(text).toMatch(row('VAT', money(pence / 6)));
    expect(text).toMatch(new RegExp(`Not priced \\(1\\): ${M2}`));
    // SECR: the factor × kWh of the month
    expect(text).toMatch(row('kg CO2e, SECR factors', oneDp(now * FACTOR)));
    // per meter: kWh, against last year, £, kg CO2e, missing half-hours (31 March days: 1,486 half-hours)
    const m1Before = kwhOf([M1], '2024-03');
    expect(text).toMatch(row(M1, 'electricity', oneDp(m1), pc(m1, m1Before), money(pence), oneDp(m1 * FACTOR), '0'));
    const m2 = kwhOf([M2], '2025-03');
    expect(text).toMatch(row(M2, 'electricity', oneDp(m2), pc(m2, kwhOf([M2], '2024-03')), 'not priced'));
    expect(text).toMatch(row(M2, '8', '1,486', `${oneDp((1478 / 1486) * 100)}%`));
    expect(doc.completeness).toBe(`Data: 2,964 of 2,972 half-hours (${oneDp((2964 / 2972) * 100)}%) across 2 meters`);
    expect(doc.period).toBe('March 2025: 01/03/2025 to 31/03/2025 (UK local time)');
  });

  it('names the best tariff saving the latest analysis found', async () => {
    const { text } = await reportText(admin, { siteId: siteA });
    const m1 = kwhOf([M1], '2025-03');
    const saving = flatPence(m1) - flatPence(m1, 20);
    expect(text).toContain(`The best saving found: ${money(saving)}`);
    expect(text).toContain('to "Beta Flat"');
  });

  it('leaves costs out for a viewer', async () => {
    const viewer = callAs(core.handlers, { role: 'viewer', actor: 'v' });
    const { text } = await reportText(viewer, { siteId: siteA });
    expect(text).toContain('Costs and tariff savings are shown to managers and admins only.');
    expect(text).not.toMatch(/Cost incl\. VAT/);
  });

  it('refuses an unknown site and a month without readings', async () => {
    await expect(reportText(admin, { siteId: 999 })).rejects.toThrow(/^There is no site 999/);
    await expect(reportText(admin, { siteId: siteA }, '2023-06')).rejects.toThrow(
      /^Site Bath School has no readings in June 2023/,
    );
  });
});

describe('portfolio monthly report', () => {
  it('totals each site and the portfolio as the CSV adds up, against last year and the budgets', async () => {
    const { doc, text } = await reportText(admin, { all: true });
    expect(doc.title).toBe('Portfolio report: March 2025');
    const all = [M1, M2, M3];
    const now = kwhOf(all, '2025-03');
    const before = kwhOf(all, '2024-03');
    expect(text).toMatch(row('Electricity, kWh', oneDp(now), oneDp(before), pc(now, before)));
    const pA = flatPence(kwhOf([M1], '2025-03'));
    const pB = flatPence(kwhOf([M3], '2025-03'));
    expect(text).toMatch(row('Cost incl. VAT', money(pA + pB), money(150_000), pc(pA + pB, 150_000)));
    expect(text).toMatch(row('kg CO2e, SECR factors', oneDp(now * FACTOR)));
    const a = kwhOf([M1, M2], '2025-03');
    const b = kwhOf([M3], '2025-03');
    expect(text).toMatch(
      row('Bath School', oneDp(a), pc(a, kwhOf([M1, M2], '2024-03')), pc(a, 3000), money(pA), oneDp(a * FACTOR)),
    );
    expect(text).toMatch(
      row(
        'Wells Library',
        oneDp(b),
        pc(b, kwhOf([M3], '2024-03')),
        pc(b, 1500),
        money(pB),
        oneDp(b * FACTOR),
        '100.0%',
      ),
    );
    expect(text).toMatch(row('Total', oneDp(now), pc(now, before), pc(now, 4500), money(pA + pB), oneDp(now * FACTOR)));
  });
});

describe('budgets', () => {
  it('sets, lists by year, clears a figure, removes a month and refuses an unknown site whole', async () => {
    await admin('budgets.set', {
      siteId: siteB,
      months: [
        { month: '2026-01', kwh: 1200.5, pence: 40_000 },
        { month: '2026-02', kwh: null, pence: 30_000 },
      ],
    });
    const y2026 = await admin('budgets.list', { siteId: siteB, year: 2026 });
    expect(y2026.map((b) => [b.month, b.kwh, b.pence, b.updatedBy])).toEqual([
      ['2026-01', 1200.5, 40_000, 'test'],
      ['2026-02', null, 30_000, 'test'],
    ]);
    await admin('budgets.set', { siteId: siteB, months: [{ month: '2026-01', kwh: null, pence: null }] });
    expect((await admin('budgets.list', { year: 2026 })).map((b) => b.month)).toEqual(['2026-02']);
    await expect(
      admin('budgets.set', { siteId: 4242, months: [{ month: '2026-03', kwh: 1, pence: 1 }] }),
    ).rejects.toThrow(/^There is no site 4242/);
    await expect(
      admin('budgets.set', {
        siteId: siteB,
        months: [
          { month: '2026-03', kwh: 1, pence: 1 },
          { month: '2026-03', kwh: 2, pence: 2 },
        ],
      }),
    ).rejects.toThrow(/^Month 2026-03 is given twice/);
    expect((await admin('budgets.list', { siteId: siteB, year: 2026 })).map((b) => b.month)).toEqual(['2026-02']);
    const viewer = callAs(core.handlers, { role: 'viewer', actor: 'v' });
    await expect(
      viewer('budgets.set', { siteId: siteB, months: [{ month: '2026-04', kwh: 1, pence: 1 }] }),
    ).rejects.toThrow();
    expect(await viewer('budgets.list', { siteId: siteA })).toHaveLength(1);
  });
});
