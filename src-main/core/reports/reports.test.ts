/**
 * The report engine end to end: a real core fed two Marches of half-hours (one with gaps, both with
 * the spring clock change), the meter month report rendered to PDF and read back with PDF.js, and to
 * HTML; the figures compared with sums made here from the CSV the test wrote, not through the core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import { localDate, pdfText } from '../../../tests/helpers/pdf';
import { callAs } from '../exports/export';
import type { Services } from '../services';
import { flatTariff } from '../../../tests/fixtures/tariffs';
import { meterMonthReport } from './meter-month';
import type { SiteMonthDeps } from './site-month';
import { renderPdf } from './pdf';
import { renderHtml } from './html';
import { change, gbp, kwh, mwh, percent, ukDate, ukDateTime } from './format';
import type { ReportDocument } from './model';

const MPAN = '1200050000009';
const FACTOR = 0.177;
const oneDp = (n: number) => n.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

// half-hours from 28/02 to 02/04 (UTC), both years; March 2025 loses 10/03 06:00–10:00 UTC (8 half-hours)
const rows: [number, number][] = [];
for (const year of [2024, 2025]) {
  for (let t = Date.UTC(year, 1, 28); t < Date.UTC(year, 3, 2); t += 1_800_000) {
    if (year === 2025 && t >= Date.UTC(2025, 2, 10, 6) && t < Date.UTC(2025, 2, 10, 10)) continue;
    const i = (t - Date.UTC(year, 0, 1)) / 1_800_000;
    rows.push([t, Number((0.4 + ((i * 7) % 13) / 10 + (year === 2025 ? 0.05 : 0)).toFixed(2))]);
  }
}
const inMonth = (month: string) => rows.filter(([t]) => localDate(t).startsWith(month));
const sum = (rs: [number, number][]) => rs.reduce((a, [, v]) => a + v, 0);

let core: Core;
let report: ReportDocument;
let pages: string[];
let pdf: Buffer;
let deps: SiteMonthDeps;

beforeAll(async () => {
  core = await makeCore();
  const csv = ['MPAN,Timestamp,kWh', ...rows.map(([t, v]) => `${MPAN},${new Date(t).toISOString()},${v}`)].join('\n');
  await importFiles(core, [writeTemp('two-marches.csv', csv)]);
  const admin = callAs(core.handlers, { role: 'admin', actor: 'test' });
  await admin('tariffs.import', { text: JSON.stringify({ tariffs: [flatTariff()] }) });
  await admin('tariffs.assign', { meter: MPAN, tariff: 'acme-flat-2025', from: '2025-01-01' });
  await admin('carbon.setFactor', { year: 2025, fuel: 'electricity', kgPerKwh: FACTOR });
  deps = {
    services: core as unknown as Services,
    call: callAs(core.handlers, { role: 'admin', actor: 'test' }),
    now: Date.UTC(2025, 3, 2, 9, 15),
  };
  report = await meterMonthReport(deps, MPAN, '2025-03');
  pdf = await renderPdf(report);
  pages = await pdfText(pdf);
}, 60_000);
afterAll(() => core?.stop());

describe('meter month report as PDF', () => {
  it('states the month and the same month last year as the readings add up', () => {
    const now = sum(inMonth('2025-03'));
    const before = sum(inMonth('2024-03'));
    const text = pages.join('\n');
    const pc = ((now - before) / before) * 100;
    const esc = (x: string) => x.replace(/[.+]/g, '\\$&');
    // the summary table's row, and the paragraph above it
    const cells = ['Consumption', `${oneDp(now)} kWh`, `${oneDp(before)} kWh`, `${pc >= 0 ? '+' : ''}${oneDp(pc)}%`];
    expect(text).toMatch(new RegExp(cells.map(esc).join(' +')));
    expect(text).toContain(`Consumption was ${oneDp(now)} kWh, against ${oneDp(before)} kWh in March 2024`);
    expect(text).toMatch(new RegExp(`Consumption \\(MWh\\) +${esc((now / 1000).toFixed(2))} MWh`));
  });

  it('numbers every page "Page N of M" and repeats the period and completeness', () => {
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // March 2025: 31 days × 48 half-hours less the 2 the clocks skip on 30/03; 8 missing
    const expected = `Data: ${(1486 - 8).toLocaleString('en-GB')} of 1,486 half-hours (${oneDp((1478 / 1486) * 100)}%)`;
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(p).toContain('March 2025: 01/03/2025 to 31/03/2025 (UK local time)');
      expect(p).toContain(expected);
    });
  });

  it('lists every day with its own total, the clock-change day with 46 half-hours', () => {
    const text = pages.join('\n');
    for (const day of ['2025-03-01', '2025-03-10', '2025-03-30', '2025-03-31']) {
      const total = sum(rows.filter(([t]) => localDate(t) === day));
      const [y, m, d] = day.split('-');
      expect(text).toMatch(new RegExp(`${d}/${m}/${y} +${oneDp(total).replace('.', '\\.')} kWh`));
    }
    expect(text).toMatch(/30\/03\/2025 +[\d,.]+ kWh +46 of 46 +100\.0%/);
    expect(text).toMatch(/10\/03\/2025 +[\d,.]+ kWh +40 of 48 +83\.3%/);
  });

  it('draws both charts with their axis text as real text', () => {
    expect(pages[0]).toContain('Daily consumption (kWh), March 2025 against March 2024');
    expect(pages[0]).toContain('Average half-hourly profile');
    // the profile's axis labels (every fourth half-hour) come from the SVG as text
    expect(pages[0]).toMatch(/00:00 .*02:00 .*04:00/);
  });
});

describe('meter month report: the site report sections for one meter', () => {
  const money = (pence: number) =>
    `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const esc = (x: string) => x.replace(/[.+()£]/g, '\\$&');
  const row = (...cells: string[]) => new RegExp(cells.map(esc).join(' +'));

  it('prices the month on its tariff, converts it by the SECR factor, and has exceptions, alerts and savings', () => {
    const text = pages.join('\n');
    const now = sum(inMonth('2025-03'));
    // the flat tariff by hand: (kWh × (unit + CCL) + 31 days × standing) × (1 + VAT)
    const pence = (now * (27.4 + 0.775) + 31 * 55) * 1.2;
    expect(text).toMatch(row('Cost incl. VAT', money(pence)));
    expect(text).toMatch(row('Climate Change Levy', money(now * 0.775)));
    expect(text).toMatch(row('Total', money(pence)));
    expect(text).toMatch(row('kg CO2e, SECR factors', oneDp(now * FACTOR)));
    expect(text).toMatch(row('kg CO2e, electricity, grid half-hourly', 'not available'));
    expect(text).toMatch(/Out-of-hours share +[\d.]+%/);
    for (const heading of ['Cost', 'Emissions', 'Exceptions', 'Alerts', 'Tariff savings'])
      expect(text).toContain(heading);
    expect(text).toContain('No alert is about March 2025.');
  });

  it('marks changes on a month with too few half-hours and shows days without a reading as —', async () => {
    const text = (await pdfText(await renderPdf(await meterMonthReport(deps, MPAN, '2025-02')))).join('\n');
    const [now, before] = [sum(inMonth('2025-02')), sum(inMonth('2024-02'))];
    const complete = Math.min(inMonth('2025-02').length / (28 * 48), inMonth('2024-02').length / (29 * 48));
    const note = `(incomplete data: ${oneDp(complete * 100)}%)`;
    const change = `${now >= before ? '+' : ''}${oneDp(((now - before) / before) * 100)}%`;
    expect(text).toMatch(row('Consumption', `${oneDp(now)} kWh`, `${oneDp(before)} kWh`, change, note));
    expect(text).toContain(`in February 2024 (${change}; incomplete data: ${oneDp(complete * 100)}%).`);
    expect(text).toMatch(/01\/02\/2025 +— +0 of 48 +0\.0%/);
    expect(text).toMatch(/28\/02\/2025 +[\d,.]+ kWh +48 of 48 +100\.0%/);
  });

  it('leaves the costs out for a viewer', async () => {
    const viewer = { ...deps, call: callAs(core.handlers, { role: 'viewer', actor: 'v' }) };
    const text = (await pdfText(await renderPdf(await meterMonthReport(viewer, MPAN, '2025-03')))).join('\n');
    expect(text).toContain('Costs and tariff savings are shown to managers and admins only.');
    expect(text).not.toMatch(/Cost incl\. VAT/);
  });
});

describe('fonts', () => {
  it('embeds a font that carries £, accents and dashes through to copied text', async () => {
    const doc: ReportDocument = {
      title: 'Café naïve £ test',
      period: 'Période – 01/01/2025',
      completeness: 'Data: complete',
      generated: '01/01/2025 09:00',
      blocks: [{ kind: 'paragraph', text: 'Cost £1,234.56 — Ynys Môn, Öffnungszeiten ½ “quoted”' }],
    };
    const bytes = await renderPdf(doc);
    const [text] = await pdfText(bytes);
    expect(text).toContain('Cost £1,234.56 — Ynys Môn, Öffnungszeiten ½ “quoted”');
    expect(text).toContain('Café naïve £ test');
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
  });
});

describe('meter month report as HTML', () => {
  it('shows the same figures, charts inline as SVG, nothing fetched', () => {
    const html = renderHtml(report);
    const now = sum(inMonth('2025-03'));
    const before = sum(inMonth('2024-03'));
    expect(html).toContain(
      `<td>Consumption</td><td class="num">${oneDp(now)} kWh</td><td class="num">${oneDp(before)} kWh</td>`,
    );
    expect(html).toMatch(/<td>30\/03\/2025<\/td><td class="num">[\d,.]+ kWh<\/td><td class="num">46 of 46<\/td>/);
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|\ssrc=|<link/);
    expect(html).toContain('March 2025: 01/03/2025 to 31/03/2025 (UK local time)');
    expect(html).toContain('Data: 1,478 of 1,486 half-hours (99.5%)');
    // every figure of the PDF's summary table is in the HTML too
    for (const cell of report.blocks.flatMap((b) => (b.kind === 'figures' ? b.rows.flat() : [])))
      expect(html).toContain(cell.replace(/&/g, '&amp;'));
  });

  it('escapes text', () => {
    const html = renderHtml({ ...report, title: '<b>Site & "Co"</b>', blocks: [] });
    expect(html).toContain('&lt;b&gt;Site &amp; &quot;Co&quot;&lt;/b&gt;');
  });
});

describe('bad input', () => {
  it('refuses a month that is not YYYY-MM, and a month without readings', async () => {
    await expect(meterMonthReport(deps, MPAN, '2025-13')).rejects.toThrow(
      /^"2025-13" is not a month; expected YYYY-MM/,
    );
    await expect(meterMonthReport(deps, MPAN, '2023-06')).rejects.toThrow(
      /^Meter 1200050000009 has no readings in June 2023/,
    );
    await expect(meterMonthReport(deps, '1200050000106', '2025-03')).rejects.toThrow(/^[A-Z]/);
  });
});

describe('UK formats', () => {
  it('writes dates, energy, money and changes the UK way', () => {
    expect(ukDate(20177)).toBe('30/03/2025');
    expect(ukDateTime(Date.UTC(2025, 2, 30, 1, 30) / 1000)).toBe('30/03/2025 02:30');
    expect(kwh(12345.67)).toBe('12,345.7 kWh');
    expect(mwh(12345.67)).toBe('12.35 MWh');
    expect(gbp(1234.5)).toBe('£1,234.50');
    expect(gbp(-3.2)).toBe('-£3.20');
    expect(percent(0.9946)).toBe('99.5%');
    expect(change(110, 100)).toBe('+10.0%');
    expect(change(90, 100)).toBe('-10.0%');
    expect(change(5, 0)).toBe('—');
  });
});

describe('PDF layout', () => {
  const base = { title: 'Layout', period: 'March 2025', completeness: 'Data: all', generated: '01/04/2025 09:00' };
  const chart: ReportDocument['blocks'][number] = {
    kind: 'chart',
    title: 'The chart under the heading',
    height: 230,
    option: {
      xAxis: { type: 'category', data: ['a'] },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: [1] }],
    },
  };

  it('keeps a heading on the page of the chart it introduces', async () => {
    // paragraphs fill most of page 1: the heading would fit at its foot, the chart would not
    const filler = Array.from({ length: 26 }, (_, i) => ({ kind: 'paragraph' as const, text: `Line ${i + 1}.` }));
    const text = await pdfText(
      await renderPdf({ ...base, blocks: [...filler, { kind: 'heading', text: 'Heading kept' }, chart] }),
    );
    expect(text).toHaveLength(2);
    expect(text[0]).toContain('Line 26.');
    expect(text[0]).not.toContain('Heading kept');
    expect(text[1]).toMatch(/Heading kept .*The chart under the heading/);
  });

  it('sets a long cell smaller to keep it whole, and cuts only text that cannot fit', async () => {
    const longName = 'Riverside Leisure Centre'; // wider than its column at 9 pt, not at 8
    const endless = 'Very long site name '.repeat(8).trim();
    const [page] = await pdfText(
      await renderPdf({
        ...base,
        blocks: [
          {
            kind: 'figures',
            columns: ['Figure', 'Site', 'kWh'],
            rows: [
              ['First', longName, '1.0'],
              ['Second', endless, '2.0'],
            ],
          },
        ],
      }),
    );
    expect(page).toContain(longName);
    expect(page).not.toContain(endless);
    expect(page).toMatch(/Very long site name[^…]*…/);
    expect(page).toMatch(/2\.0/);
  });
});
