/**
 * The annual (SECR) summary end to end: a real core fed two years of half-hours (electricity at two
 * sites, gas at one, across both clock changes and the New Year), the report built through
 * buildReport, rendered to PDF and read back with PDF.js, and to HTML. Every figure is compared with
 * sums made here from the CSV the test wrote (UK local years and months by `Intl`), and the tonnes
 * with factors read from the app's factor table by SQL, not through the report code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { callAsAdmin, importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { localDate, pdfText } from '../../../tests/helpers/pdf';
import type { SiteSummary } from '../../../src-shared/contract/types';
import { dayFromDate } from '../../../src-shared/domain/periods';
import { buildReport, type ReportDeps } from './build';
import { annualReport } from './annual';
import { renderPdf } from './pdf';
import { renderHtml } from './html';
import { chartSvg } from './chart';
import type { ReportDocument } from './model';

const E1 = '1200050000009'; // site Alpha (2,000 m²), lower in 2025, a day missing
const E2 = '1200050000106'; // site Beta (no floor area), higher in 2025
const GAS = '7654321'; // an MPRN at Alpha
const OLD = '1200050000203'; // only December 2022: nothing in either year
const fmt = (n: number, dp: number) =>
  n.toLocaleString('en-GB', { minimumFractionDigits: dp, maximumFractionDigits: dp });
const esc = (x: string) => x.replace(/[.+()]/g, '\\$&');

type Row = [meter: string, t: number, kwh: number];
const rows: Row[] = [];
// days 1–3 and 25–31 of every month (both clock changes, month ends in BST, the New Year), 30/12/2023 to 02/01/2026
for (let t = Date.UTC(2023, 11, 30); t < Date.UTC(2026, 0, 3); t += 1_800_000) {
  const d = new Date(t).getUTCDate();
  if (d > 3 && d < 25) continue;
  const i = t / 1_800_000;
  const y = new Date(t).getUTCFullYear();
  if (!(y === 2025 && localDate(t) === '2025-06-02'))
    rows.push([E1, t, Number((1 + ((i * 7) % 11) / 10 - (y === 2025 ? 0.2 : 0)).toFixed(2))]);
  rows.push([E2, t, Number((0.5 + ((i * 3) % 7) / 10 + (y === 2025 ? 0.3 : 0)).toFixed(2))]);
  rows.push([GAS, t, Number((2 + ((i * 5) % 13) / 10).toFixed(2))]);
}
for (let t = Date.UTC(2022, 11, 1); t < Date.UTC(2022, 11, 2); t += 1_800_000) rows.push([OLD, t, 1]);

const total = (meters: string[], prefix: string) =>
  rows.filter(([m, t]) => meters.includes(m) && localDate(t).startsWith(prefix)).reduce((a, [, , v]) => a + v, 0);

let core: Core;
let deps: ReportDeps;
let portfolio: ReportDocument;
let pages: string[];
let text: string;
let alpha: SiteSummary;
let factor: (year: number, fuel: string) => number;

beforeAll(async () => {
  core = await makeCore();
  const csv = ['MPAN,Timestamp,kWh', ...rows.map(([m, t, v]) => `${m},${new Date(t).toISOString()},${v}`)];
  await importFiles(core, [writeTemp('two-years.csv', csv.join('\n'))]);
  alpha = await callAsAdmin<SiteSummary>(core, 'sites.create', { name: 'Alpha', floorAreaM2: 2000 });
  const beta = await callAsAdmin<SiteSummary>(core, 'sites.create', { name: 'Beta' });
  for (const [meter, siteId] of [
    [E1, alpha.id],
    [GAS, alpha.id],
    [E2, beta.id],
  ] as const)
    await callAsAdmin(core, 'meters.update', { meter, siteId });
  // national intensity for the first three days of 2025 only: 150 g/kWh actual
  const points = [];
  for (let t = Date.UTC(2025, 0, 1) / 1000; t < Date.UTC(2025, 0, 4) / 1000; t += 1800)
    points.push({ ts: t, forecast: 170, actual: 150, index: 'low' });
  core.carbon.storeNational(points);
  factor = (year, fuel) =>
    core.sqlite
      .prepare('SELECT kg_per_kwh FROM emission_factors WHERE year = ? AND fuel = ?')
      .pluck()
      .get(year, fuel) as number;
  deps = {
    services: core as unknown as ReportDeps['services'],
    call: () => Promise.reject(),
    now: Date.UTC(2026, 0, 5, 9),
  };
  portfolio = await buildReport(deps, { scope: { all: true }, year: 2025 });
  pages = await pdfText(await renderPdf(portfolio));
  text = pages.join('\n');
}, 120_000);
afterAll(() => core?.stop());

describe('annual summary of the portfolio as PDF', () => {
  it('states each fuel’s kWh for the UK local year and the year before', () => {
    const e = [total([E1, E2], '2025'), total([E1, E2], '2024')];
    const g = [total([GAS], '2025'), total([GAS], '2024')];
    const pc = (a: number, b: number) => `${a >= b ? '+' : ''}${fmt(((a - b) / b) * 100, 1)}%`;
    const row = (name: string, [now, before]: number[]) =>
      new RegExp([name, `${fmt(now!, 1)} kWh`, `${fmt(before!, 1)} kWh`, pc(now!, before!)].map(esc).join(' +'));
    expect(text).toMatch(row('Electricity', e));
    expect(text).toMatch(row('Natural gas', g));
    expect(text).toMatch(row('Total energy', [e[0]! + g[0]!, e[1]! + g[1]!]));
    expect(text).toContain(`Total energy use was ${fmt(e[0]! + g[0]!, 1)} kWh`);
  });

  it('says both years are incomplete and that no month compares like for like', () => {
    // days 1–3 and 25–31 only: about a third of each year, no month near 90%
    const n = (prefix: string) => rows.filter(([m, t]) => m !== OLD && localDate(t).startsWith(prefix)).length;
    const pc = (k: number) => fmt((k / (3 * 17568)) * 100, 1);
    expect(text.replace(/\s+/g, ' ')).toContain(
      `2025 has readings for ${fmt((n('2025') / (3 * 17520)) * 100, 1)}% and 2024 for ${pc(n('2024'))}% of their ` +
        'half-hours: the change compares incomplete years, and no month has readings for at least 90% of its ' +
        'half-hours in both years, so there is no like-for-like comparison.',
    );
    expect(portfolio.blocks.some((b) => b.kind === 'figures' && b.columns[0] === 'Like for like')).toBe(false);
  });

  it('states Scope 1 and 2 tonnes as kWh × the stored factor of each year', () => {
    const t = (kwh: number, f: number) => `${fmt((kwh * f) / 1000, 3)} tCO2e`;
    const s1 = [t(total([GAS], '2025'), factor(2025, 'gas')), t(total([GAS], '2024'), factor(2024, 'gas'))];
    const s2 = [
      t(total([E1, E2], '2025'), factor(2025, 'electricity')),
      t(total([E1, E2], '2024'), factor(2024, 'electricity')),
    ];
    expect(text).toMatch(new RegExp(`Scope 1: natural gas +${esc(s1[0]!)} +${esc(s1[1]!)}`));
    expect(text).toMatch(new RegExp(`Scope 2: grid electricity +${esc(s2[0]!)} +${esc(s2[1]!)}`));
    const both =
      (total([GAS], '2025') * factor(2025, 'gas') + total([E1, E2], '2025') * factor(2025, 'electricity')) / 1000;
    expect(text).toMatch(new RegExp(`Total Scope 1 and 2 +${esc(fmt(both, 3))} tCO2e`));
    // says which factor: the value and the year it belongs to
    expect(text).toContain(`electricity 2025: ${fmt(factor(2025, 'electricity'), 5)} kgCO2e/kWh (the 2025 factor`);
    expect(text).toContain(`natural gas (gross CV) 2024: ${fmt(factor(2024, 'gas'), 5)} kgCO2e/kWh (the 2024 factor`);
  });

  it('puts the half-hourly grid figure beside it, from the stored intensities only', () => {
    const kwh = rows
      .filter(([m, t]) => m !== GAS && t >= Date.UTC(2025, 0, 1) && t < Date.UTC(2025, 0, 4))
      .reduce((a, [, , v]) => a + v, 0);
    expect(text).toMatch(new RegExp(`Electricity, half-hourly grid +${esc(fmt((kwh * 150) / 1e6, 3))} tCO2e`));
    // the share of the year's electricity half-hours (with readings) that fall in those three days
    const inYear = rows.filter(([m, t]) => m !== GAS && localDate(t).startsWith('2025'));
    const covered = inYear.filter(([, t]) => t < Date.UTC(2025, 0, 4)).length / inYear.length;
    expect(text.replace(/- /g, '-')).toContain(
      `Stored intensities cover ${fmt(covered * 100, 1)}% of the year’s electricity half-hours; half-hours without`,
    );
  });

  it('gives kWh and tCO2e per m² for the site with a floor area and names the one without', () => {
    const kwh = total([E1, GAS], '2025');
    const kg = total([E1], '2025') * factor(2025, 'electricity') + total([GAS], '2025') * factor(2025, 'gas');
    expect(text).toMatch(
      new RegExp(`Alpha +2,000 m² +${esc(fmt(kwh / 2000, 1))} kWh/m² +${esc(fmt(kg / 1000 / 2000, 4))} tCO2e/m²`),
    );
    expect(text).toContain('No floor area is recorded for Beta, so it is left out of the intensity ratio');
  });

  it('lists the months by UK local month across the clock changes', () => {
    for (const [name, month] of [
      ['March', '03'],
      ['April', '04'],
      ['October', '10'],
      ['November', '11'],
    ]) {
      const cells = [total([E1, E2], `2025-${month}`), total([E1, E2], `2024-${month}`)];
      const gas = [total([GAS], `2025-${month}`), total([GAS], `2024-${month}`)];
      expect(text).toMatch(new RegExp(`${name} +${[...cells, ...gas].map((v) => esc(fmt(v, 1))).join(' +')}`));
    }
    // the chart's bars are the same months
    const chart = portfolio.blocks.find((b) => b.kind === 'chart' && b.title.startsWith('Electricity'));
    const series = chart?.kind === 'chart' ? (chart.option.series as { name: string; data: number[] }[]) : [];
    expect(series.find((s) => s.name === '2025')?.data[3]).toBeCloseTo(total([E1, E2], '2025-04'), 1);
  });

  it('draws the charts’ legends no larger than the axis labels, their entries apart', () => {
    const charts = portfolio.blocks.flatMap((b) => (b.kind === 'chart' ? [b] : []));
    expect(charts).toHaveLength(2);
    for (const c of charts) {
      const svg = chartSvg(c.option, 500, c.height);
      const texts = [...svg.matchAll(/<text([^>]*)>([^<]*)</g)].map(([, attrs, label]) => ({
        size: Number(/font-size:([0-9.]+)px/.exec(attrs!)![1]),
        left: Number(/translate\(([0-9.]+)/.exec(attrs!)![1]) + Number(/ x="([0-9.]+)"/.exec(attrs!)?.[1] ?? 0),
        label: label!,
      }));
      const years = ['2025', '2024'];
      const legend = texts.filter((t) => years.includes(t.label));
      // the month names, the kWh scale and the axis name
      const axis = texts.filter((t) => !years.includes(t.label) && /^([A-Z][a-z]{2}|[0-9,]+|kWh)$/.test(t.label));
      expect(legend).toHaveLength(2);
      expect(axis.length).toBeGreaterThan(12);
      for (const l of legend) expect(l.size).toBeLessThanOrEqual(Math.min(...axis.map((a) => a.size)));
      // DejaVu Sans digits are 0.64 em wide: the first entry's text ends well before the second's swatch
      const [a, b] = legend.sort((p, q) => p.left - q.left);
      expect(b!.left - 17 - (a!.left + a!.label.length * 0.64 * a!.size)).toBeGreaterThan(8);
    }
  });

  it('shows each site, the changes worth a look, completeness per meter, and the methodology', () => {
    const beta = [total([E2], '2025'), total([E2], '2024')];
    expect(text).toMatch(
      new RegExp(
        `Beta +${esc(fmt(beta[0]!, 1))} +${esc(fmt(beta[1]!, 1))} +\\+${esc(fmt(beta[0]! - beta[1]!, 1))} +\\+`,
      ),
    );
    const e1 = [total([E1], '2025'), total([E1], '2024')];
    expect(text).toMatch(
      new RegExp(`Alpha +${esc(fmt(e1[0]!, 1))} +${esc(fmt(e1[1]!, 1))} +-${esc(fmt(e1[1]! - e1[0]!, 1))}`),
    );
    // E1 lost 02/06/2025: its half-hours of the year against the 17,520 the UK clock has
    const have = rows.filter(([m, t]) => m === E1 && localDate(t).startsWith('2025')).length;
    const pc = esc(fmt((have / 17520) * 100, 1));
    expect(text).toMatch(
      new RegExp(`${E1} \\(electricity\\) +Alpha +${esc(have.toLocaleString('en-GB'))} +17,520 +${pc}%`),
    );
    expect(text).toContain('1 meter has no readings in 2024 or 2025 and is left out.');
    expect(text).toContain('Missing half-hours are not estimated or filled in');
    expect(text).toMatch(/GHG Protocol/);
    expect(text).toMatch(/location-based/);
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(p).toContain('2025: 01/01/2025 to 31/12/2025 (UK local time)');
    });
  });
});

describe('the same figures as the app’s pages', () => {
  it('reads each meter’s months and years as totals.list gives them, meter by meter', () => {
    const rowsOf = core.meters.analysisRows();
    const all = core.totals.eachMeter(
      rowsOf.map((m) => m.id),
      ['month', 'year', 'week'],
      dayFromDate(2024, 1, 1),
      dayFromDate(2026, 1, 1),
    );
    for (const kind of ['month', 'year', 'week'] as const)
      for (const m of rowsOf)
        expect(all.get(kind)!.get(m.id)).toEqual(
          core.totals.list(m.identifier, kind, '2024-01-01', '2026-01-01').map((t) => ({ ...t, baseload: null })),
        );
  });

  it('equals totals.site (Totals) and emissions.meter (Carbon) over the same year', async () => {
    const byFuel = await callAsAdmin<{ fuel: string; totals: { kwh: number }[] }[]>(core, 'totals.site', {
      siteId: null,
      period: 'year',
      from: '2025-01-01',
      to: '2026-01-01',
    });
    for (const { fuel, totals } of byFuel)
      expect(text).toMatch(
        new RegExp(`${fuel === 'gas' ? 'Natural gas' : 'Electricity'} +${esc(fmt(totals[0]!.kwh, 1))} kWh`),
      );
    const kg = async (meter: string, method: string) =>
      (
        await callAsAdmin<{ kgco2: number }>(core, 'emissions.meter', {
          meter,
          from: '2025-01-01',
          to: '2026-01-01',
          method,
        })
      ).kgco2;
    const scope2 = (await kg(E1, 'annual')) + (await kg(E2, 'annual'));
    expect(text).toMatch(new RegExp(`Scope 2: grid electricity +${esc(fmt(scope2 / 1000, 3))} tCO2e`));
    expect(text).toMatch(new RegExp(`Scope 1: natural gas +${esc(fmt((await kg(GAS, 'annual')) / 1000, 3))} tCO2e`));
    const hh = (await kg(E1, 'halfhourly')) + (await kg(E2, 'halfhourly'));
    expect(text).toMatch(new RegExp(`Electricity, half-hourly grid +${esc(fmt(hh / 1000, 3))} tCO2e`));
  });
});

describe('annual summary of a site and a meter', () => {
  it('a site lists its meters and its own intensity ratio', async () => {
    const doc = await buildReport(deps, { scope: { siteId: alpha.id }, year: 2025 });
    const t = (await pdfText(await renderPdf(doc))).join('\n');
    expect(doc.title).toBe('Annual energy and carbon summary (SECR): Site Alpha, 2025');
    expect(t).toMatch(
      new RegExp(`${GAS} +gas +${esc(fmt(total([GAS], '2025'), 1))} +${esc(fmt(total([GAS], '2024'), 1))}`),
    );
    expect(t).not.toContain(E2);
    expect(t).not.toContain('No floor area is recorded');
  });

  it('a meter gives its months as the changes and no intensity ratio', () => {
    const doc = annualReport(core, { meter: E2 }, 2025, deps.now);
    const html = renderHtml(doc);
    expect(html).toContain('this report covers a single meter');
    expect(html).toContain(`<td class="num">${fmt(total([E2], '2025'), 1)}</td>`);
    expect(html).toMatch(/<th>Month<\/th>/);
  });

  it('refuses a meter without readings in the year, and a year that is not one', async () => {
    await expect(buildReport(deps, { scope: { meter: OLD }, year: 2025 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Meter 1200050000203 has no readings in 2025; import its data or pick another year',
    });
    await expect(buildReport(deps, { scope: { all: true }, year: 2019 })).rejects.toThrow(
      /^No meter has readings in 2019/,
    );
    await expect(buildReport(deps, { scope: { siteId: 999 }, year: 2025 })).rejects.toThrow(/^No site 999/);
    expect(() => annualReport(core, { all: true }, 20251)).toThrow(/^"20251" is not a year/);
  });
});

describe('annual summary as HTML', () => {
  it('has every figure of the PDF’s tables and the two fuels’ charts inline', () => {
    const html = renderHtml(portfolio);
    for (const cell of portfolio.blocks.flatMap((b) => (b.kind === 'figures' ? b.rows.flat() : [])))
      expect(html).toContain(cell.replace(/&/g, '&amp;'));
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('Annual energy and carbon summary (SECR): Portfolio, 2025');
  });
});

describe('a year without its own factor', () => {
  it('uses the latest factor before it, as the Carbon page does, and says so', async () => {
    core.sqlite.prepare("DELETE FROM emission_factors WHERE year = 2025 AND fuel = 'electricity'").run();
    const doc = await buildReport(deps, { scope: { meter: E1 }, year: 2025 });
    const t = (await pdfText(await renderPdf(doc))).join('\n');
    expect(t).toContain('no 2025 factor is stored, so the 2024 factor is used');
    const tonnes = (total([E1], '2025') * factor(2024, 'electricity')) / 1000;
    expect(t).toMatch(new RegExp(`Scope 2: grid electricity +${esc(fmt(tonnes, 3))} tCO2e`));
  });
});

describe('a year before the factor table starts, and incomplete years', () => {
  const M1 = '1200050000300'; // every half-hour of 2018, then January to March 2019
  const M2 = '1200050000106'; // starts 01/02/2019 (no 2018)
  const early: Row[] = [];
  // UK local 01/01/2018 00:00 to 01/04/2019 00:00 (BST from 31/03/2019 01:00 UTC)
  for (let t = Date.UTC(2018, 0, 1); t < Date.UTC(2019, 2, 31, 23); t += 1_800_000) {
    const i = t / 1_800_000;
    early.push([M1, t, Number((1 + (i % 5) / 10 + (t >= Date.UTC(2019, 0, 1) ? 0.5 : 0)).toFixed(2))]);
    if (t >= Date.UTC(2019, 1, 1)) early.push([M2, t, 2]);
  }
  const sumOf = (meter: string, prefix: string) =>
    early.filter(([m, t]) => m === meter && localDate(t).startsWith(prefix)).reduce((a, [, , v]) => a + v, 0);
  let other: Core;
  let doc: ReportDocument;
  let t19: string;
  let first: number;
  let f19: number;
  beforeAll(async () => {
    other = await makeCore();
    const csv = ['MPAN,Timestamp,kWh', ...early.map(([m, t, v]) => `${m},${new Date(t).toISOString()},${v}`)];
    await importFiles(other, [writeTemp('2018-2019.csv', csv.join('\n'))]);
    const gamma = await callAsAdmin<SiteSummary>(other, 'sites.create', { name: 'Gamma' });
    for (const meter of [M1, M2]) await callAsAdmin(other, 'meters.update', { meter, siteId: gamma.id });
    first = other.sqlite
      .prepare("SELECT min(year) FROM emission_factors WHERE fuel = 'electricity'")
      .pluck()
      .get() as number;
    f19 = other.sqlite
      .prepare("SELECT kg_per_kwh FROM emission_factors WHERE fuel = 'electricity' AND year = ?")
      .pluck()
      .get(first) as number;
    doc = annualReport(other, { all: true }, 2019, deps.now);
    t19 = (await pdfText(await renderPdf(doc))).join('\n');
  }, 120_000);
  afterAll(() => other?.stop());

  it('counts 2018 by the earliest stored factor, says which, and agrees with emissions.meter', async () => {
    expect(first).toBe(2019);
    const tonnes2018 = (sumOf(M1, '2018') * f19) / 1000;
    expect(tonnes2018).toBeGreaterThan(1);
    expect(t19).toMatch(new RegExp(`Scope 2: grid electricity +[0-9.,]+ tCO2e +${esc(fmt(tonnes2018, 3))} tCO2e`));
    expect(t19).toContain(
      `electricity 2018: ${fmt(f19, 5)} kgCO2e/kWh (the 2019 factor, UK Government GHG conversion factors 2019 — ` +
        'the factor table starts in 2019, so its earliest factor is used for 2018',
    );
    const api = await callAsAdmin<{ kgco2: number }>(other, 'emissions.meter', {
      meter: M1,
      from: '2018-01-01',
      to: '2019-01-01',
      method: 'annual',
    });
    expect(api.kgco2 / 1000).toBeCloseTo(tonnes2018, 6);
  });

  it('says the years are incomplete and compares like for like over the months both have, naming them', () => {
    const pc = (a: number, b: number) => `${a >= b ? '+' : ''}${fmt(((a - b) / b) * 100, 1)}%`;
    const in2019 = early.filter(([, t]) => localDate(t).startsWith('2019')).length / (2 * 17520);
    const in2018 = early.filter(([, t]) => localDate(t).startsWith('2018')).length / (2 * 17520);
    const months = ['2019-01', '2019-02', '2019-03'];
    const a = months.reduce((x, m) => x + sumOf(M1, m), 0);
    const b = months.reduce((x, m) => x + sumOf(M1, m.replace('2019', '2018')), 0);
    const all = [sumOf(M1, '2019') + sumOf(M2, '2019'), sumOf(M1, '2018')];
    const summary =
      `Total energy use was ${fmt(all[0]!, 1)} kWh (${fmt(all[0]! / 1000, 2)} MWh), against ${fmt(all[1]!, 1)} kWh ` +
      `in 2018 (${pc(all[0]!, all[1]!)}). 2019 has readings for ${fmt(in2019 * 100, 1)}% and 2018 for ` +
      `${fmt(in2018 * 100, 1)}% of their half-hours: the change compares incomplete years. Like for like, over the ` +
      'months both years have readings for at least 90% of their half-hours (January, February and March) and the ' +
      `1 meter with readings in both years, energy use was ${fmt(a, 1)} kWh against ${fmt(b, 1)} kWh in 2018 ` +
      `(${pc(a, b)}).`;
    expect(t19.replace(/\s+/g, ' ')).toContain(summary);
    expect(t19).toMatch(new RegExp(`Electricity +${esc(fmt(a, 1))} kWh +${esc(fmt(b, 1))} kWh +${esc(pc(a, b))}`));
    expect(t19).toContain('(1 with readings in only one of them is left out)');
  });

  it('compares only meters with readings in both years in the changes worth a look', () => {
    // Gamma's electricity: M1 alone; M2 started in 2019, and starting is not a change
    const [cur, prev] = [sumOf(M1, '2019'), sumOf(M1, '2018')];
    expect(t19).toMatch(new RegExp(`Gamma +${esc(fmt(cur, 1))} +${esc(fmt(prev, 1))} +-${esc(fmt(prev - cur, 1))} +-`));
    expect(t19.replace(/\s+/g, ' ')).toContain(
      '1 meter with readings in only one of the two years (new or no longer read) is left out: a meter starting ' +
        'or stopping is not a change.',
    );
  });
});
