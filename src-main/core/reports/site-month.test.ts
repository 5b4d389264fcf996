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
import { chartSvg } from './chart';
import { TEXT_WIDTH } from './model';
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

describe('report layout', () => {
  it('reads long month headings whole, labels every month and sets legends no larger than the axis text', async () => {
    const { doc, text } = await reportText(admin, { siteId: siteA }, '2025-02');
    expect(text).toMatch(/Figure +February 2025 +February 2024 +Change +Budget +vs budget/);
    expect(text).toMatch(/Baseload, kW +\d+\.\d\d(?!\d)/);
    const months = ['Mar 24', 'Apr 24', 'May 24', 'Jun 24', 'Jul 24', 'Aug 24', 'Sep 24', 'Oct 24', 'Nov 24'];
    expect(text).toMatch(new RegExp([...months, 'Dec 24', 'Jan 25', 'Feb 25'].join(' +')));
    const sizes = (svg: string, words: string[]) =>
      [...svg.matchAll(/<text[^>]*font-size:([\d.]+)px[^>]*>([^<]*)<\/text>/g)]
        .filter((m) => words.includes(m[2]!))
        .map((m) => Number(m[1]));
    const charts = doc.blocks.flatMap((b) => (b.kind === 'chart' && b.option.legend ? [b] : []));
    expect(charts).toHaveLength(2);
    for (const c of charts) {
      const svg = chartSvg(c.option, TEXT_WIDTH, c.height);
      const legend = sizes(svg, ['February 2025', 'February 2024', '12 months to February 2025', 'The 12 before']);
      const axis = sizes(svg, ['01/02', '28/02', 'Mar 24', 'Feb 25']);
      expect(legend.length).toBeGreaterThan(0);
      expect(axis.length).toBeGreaterThan(0);
      expect(Math.max(...legend)).toBeLessThanOrEqual(Math.min(...axis));
    }
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

/**
 * The cases the review found, on a portfolio of four sites: a kWh budget on two of them and a £ budget on
 * one, a meter with one day of March 2025 (3.2 % of its half-hours), a meter with no reading in March, a
 * gas-only site, grid intensities stored for the first half of March, and alerts about March days
 * raised in April.
 */
describe('monthly reports compare like for like', () => {
  const [E1, E2, E3, G1] = ['1200050000009', '1200050000106', '1200050000203', '7654321'];
  const GAS = 0.183;
  const INTENSITY = 200; // g per kWh, 01/03/2025 00:00 to 16/03/2025 00:00 UTC
  const hh: { meter: string; t: number; v: number }[] = [];
  const span = (meter: string, from: number, to: number, base: number) => {
    for (let t = from; t < to; t += 1_800_000)
      hh.push({ meter, t, v: Number((base + ((t / 1_800_000) % 7) / 10).toFixed(2)) });
  };
  for (const year of [2024, 2025]) {
    span(E1, Date.UTC(year, 1, 28), Date.UTC(year, 3, 2), 0.5);
    span(G1, Date.UTC(year, 1, 28), Date.UTC(year, 3, 2), 2);
  }
  span(E2, Date.UTC(2024, 1, 28), Date.UTC(2024, 3, 2), 0.8);
  span(E2, Date.UTC(2025, 2, 3), Date.UTC(2025, 2, 4), 0.8); // 03/03/2025 (GMT): one day
  span(E3, Date.UTC(2025, 1, 1), Date.UTC(2025, 1, 20), 0.4); // February only
  const of = (meters: string[], month: string) =>
    hh.filter((r) => meters.includes(r.meter) && localMonth(r.t) === month).reduce((a, r) => a + r.v, 0);
  let c: Core;
  let call: Call;
  const sites: Record<string, number> = {};
  const text = async (scope: { siteId: number } | { all: true }) => {
    const doc = await buildReport(
      { services: c as unknown as Services, call, now: Date.UTC(2025, 3, 20, 9) },
      { scope, month: '2025-03' },
    );
    return { doc, text: (await pdfText(await renderPdf(doc))).join('\n') };
  };

  beforeAll(async () => {
    c = await makeCore();
    call = callAs(c.handlers, { role: 'admin', actor: 'test' });
    const csv = ['MPAN,Timestamp,kWh', ...hh.map((r) => `${r.meter},${new Date(r.t).toISOString()},${r.v}`)];
    await importFiles(c, [writeTemp('review.csv', csv.join('\n'))]);
    for (const [name, meters] of [
      ['Bath School', [E1]],
      ['Wells Library', [E2]],
      ['Frome Hall', [E3]],
      ['Gas Depot', [G1]],
    ] as const) {
      sites[name] = (await call('sites.create', { name })).id;
      for (const meter of meters) await call('meters.update', { meter, siteId: sites[name] });
    }
    await call('budgets.set', {
      siteId: sites['Bath School']!,
      months: [{ month: '2025-03', kwh: 3000, pence: null }],
    });
    await call('budgets.set', {
      siteId: sites['Wells Library']!,
      months: [{ month: '2025-03', kwh: 1500, pence: 50_000 }],
    });
    await call('carbon.setFactor', { year: 2025, fuel: 'electricity', kgPerKwh: FACTOR });
    await call('carbon.setFactor', { year: 2025, fuel: 'gas', kgPerKwh: GAS });
    const put = c.sqlite.prepare(
      'INSERT INTO carbon_national (ts, forecast, actual, "index", fetched_at) VALUES (?, NULL, ?, NULL, 0)',
    );
    for (let t = Date.UTC(2025, 2, 1); t < Date.UTC(2025, 2, 16); t += 1_800_000) put.run(t / 1000, INTENSITY);
    await call('alerts.saveRule', { rule: { id: 'daily', kind: 'daily-kwh-above', meter: E1, kwh: 1 } });
    await call('alerts.check', { at: '2025-04-01T06:00:00Z' });
  }, 60_000);
  afterAll(() => c?.stop());

  it('compares a budget with the actuals of the sites that set it, kWh and £ each on their own', async () => {
    const { text: t } = await text({ all: true });
    const budgeted = of([E1, E2], '2025-03');
    const complete = (1486 + 48) / (2 * 1486);
    expect(t).toMatch(
      row(
        'kWh, budget covers 2 of 4 sites',
        oneDp(budgeted),
        oneDp(4500),
        pc(budgeted, 4500),
        `(incomplete data: ${oneDp(complete * 100)}%)`,
      ),
    );
    expect(t).toContain(
      'Budgets: kWh budgets are set for 2 of 4 sites and £ budgets are set for 1 of 4 sites; each budget',
    );
    // no meter is priced: the £ budget of Wells Library has nothing to compare with
    expect(t).toMatch(row('£, budget covers 1 of 4 sites', '—', money(50_000), '—'));
    expect(t).not.toMatch(/-100\.0%/);
  });

  it('marks comparisons made on a month with too few half-hours, and shows no change without a figure', async () => {
    const { text: t } = await text({ siteId: sites['Wells Library']! });
    const now = of([E2], '2025-03');
    const before = of([E2], '2024-03');
    const mark = `(incomplete data: ${oneDp((48 / 1486) * 100)}%)`;
    expect(t).toMatch(
      row('Electricity, kWh', oneDp(now), oneDp(before), pc(now, before), oneDp(1500), pc(now, 1500), mark),
    );
    // the meter's row in the table, and its note
    expect(t).toMatch(
      row(E2, 'electricity', oneDp(now), pc(now, before), 'not priced', oneDp(now * FACTOR), '1,438', '3.2%', mark),
    );
    expect(t).toMatch(row('Cost incl. VAT', '—', money(50_000), '—'));
  });

  it('states the half-hourly emissions of electricity only, with their coverage in half-hours', async () => {
    const { text: t } = await text({ all: true });
    const inWindow = (r: { t: number }) => r.t >= Date.UTC(2025, 2, 1) && r.t < Date.UTC(2025, 2, 16);
    const elec = hh.filter((r) => r.meter !== G1 && localMonth(r.t) === '2025-03');
    const kg = elec.filter(inWindow).reduce((a, r) => a + r.v * INTENSITY, 0) / 1000;
    expect(t).toMatch(row('kg CO2e, electricity, grid half-hourly', oneDp(kg)));
    expect(t).toMatch(row('kg CO2e, gas, SECR factors', oneDp(of([G1], '2025-03') * GAS)));
    const share = elec.filter(inWindow).length / elec.length;
    expect(t).toContain(`${oneDp(kg)} kg CO2e, covering ${oneDp(share * 100)}% of the electricity's half-hours`);
    const gasSite = (await text({ siteId: sites['Gas Depot']! })).text;
    expect(gasSite).toMatch(row('kg CO2e, SECR factors', oneDp(of([G1], '2025-03') * GAS)));
    expect(gasSite).not.toMatch(/grid half-hourly|electricity's/);
  });

  it('lists the alerts about the month whenever they were raised', async () => {
    const about = (await call('alerts.list', { limit: 5000 })).filter((a) => a.period.startsWith('2025-03-'));
    expect(about.length).toBeGreaterThan(0);
    expect(about.every((a) => !a.firedAt.startsWith('2025-03'))).toBe(true);
    const { text: t } = await text({ siteId: sites['Bath School']! });
    expect(t).toContain(`${about.length} alert${about.length === 1 ? '' : 's'} about March 2025`);
    for (const a of about.slice(0, 25)) expect(t).toContain(a.periodLabel);
  });

  it('lists meters without a reading in the month once, apart from the completeness and pricing', async () => {
    const { doc, text: t } = await text({ all: true });
    expect(t).toContain(`Meters with no readings in March 2025 (1): ${E3}.`);
    expect(t.split(E3)).toHaveLength(2);
    expect(t).toMatch(new RegExp(`Not priced \\(3\\): ${[E1, E2, G1].sort().join(', ')}\\.`));
    const present = 1486 + 48 + 1486;
    expect(doc.completeness).toBe(
      `Data: ${present.toLocaleString('en-GB')} of 4,458 half-hours (${oneDp((present / 4458) * 100)}%) across 3 ` +
        `meters that reported; ${oneDp((present / 5944) * 100)}% over all 4 meters (1 with no reading)`,
    );
  });

  it('says so when no grid intensity is stored for the month', async () => {
    const { text: t } = await reportText(admin, { siteId: siteA });
    expect(t).toMatch(
      row('kg CO2e, electricity, grid half-hourly', 'not available', '(fetch them on the Carbon page)'),
    );
    expect(t).toContain('not available — no grid intensity is stored for the month; fetch them on the Carbon page');
  });
});
