/**
 * Tariffs and costs against an independent calculation: the expected figures below are computed
 * directly from the CSV rows and the tariff text with Intl (Europe/London) for wall-clock times,
 * not with the engine's own helpers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { dispatch } from '../rpc/dispatch';
import { importFiles, makeCore, writeTemp } from '../../../tests/helpers/core';
import type { CostResult } from '../../../src-shared/contract/types';
import { BUSINESS_TOU_RATES, economy7 } from '../../../tests/fixtures/tariffs';

const MPAN = '1012477457919'; // distributor 10 (Eastern)
const ctx = { role: 'admin' as const, actor: 'test' };

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(core!.handlers, method, args, ctx);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
/** Independent wall-clock of a UTC instant in London. */
const fmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
function london(ms: number): { date: string; minutes: number; weekday: string } {
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    minutes: Number(p.hour) * 60 + Number(p.minute),
    weekday: p.weekday!.toLowerCase().slice(0, 3),
  };
}

/** A long-format CSV of half-hours from `fromIso` (UTC) for `n` half-hours, kWh = f(i). */
function series(
  fromIso: string,
  n: number,
  f: (i: number) => number | null,
): { csv: string; rows: { ms: number; kwh: number | null }[] } {
  const start = Date.parse(fromIso);
  const rows = Array.from({ length: n }, (_, i) => ({ ms: start + i * 1800000, kwh: f(i) }));
  const csv = ['MPAN,Timestamp,kWh', ...rows.map((r) => `${MPAN},${new Date(r.ms).toISOString()},${r.kwh ?? ''}`)].join(
    '\n',
  );
  return { csv, rows };
}

const E7 = economy7();

describe('cost on the issue example tariff (Economy 7) across the autumn clock change', () => {
  it('prices every half-hour by its local start, counts local days for standing charges, applies VAT once at the end', async () => {
    core = await makeCore();
    // 2025-10-25 00:00 BST (= 10-24T23:00Z) for three local days: 48 + 50 + 48 half-hours
    const { csv, rows } = series('2025-10-24T23:00:00Z', 146, (i) => ((i * 37) % 11) / 10 + 0.05);
    await importFiles(core, [writeTemp('e7.csv', csv)]);
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [E7] }) });
    await call('tariffs.assign', { meter: MPAN, tariff: 'acme-e7-2025', from: '2025-01-01' });
    const cost = await call<CostResult>('cost.meter', { meter: MPAN, from: '2025-10-25', to: '2025-10-28' });

    let night = 0;
    let day = 0;
    for (const r of rows) {
      const m = london(r.ms).minutes;
      if (m >= 30 && m < 450) night += r.kwh!;
      else day += r.kwh!;
    }
    const unit = night * 13.1 + day * 31.9;
    const standing = 3 * 45.2;
    const total = (unit + standing) * 1.05;
    expect(cost.expectedHalfHours).toBe(146);
    expect(cost.missingHalfHours).toBe(0);
    expect(cost.kwh).toBeCloseTo(night + day, 6);
    expect(cost.standingChargePence).toBeCloseTo(standing, 6);
    expect(cost.unitCostPence).toBeCloseTo(unit, 3);
    expect(cost.vatPence).toBeCloseTo((unit + standing) * 0.05, 3);
    expect(cost.totalPence).toBeCloseTo(total, 3);
    const bands = Object.fromEntries(cost.bands.map((b) => [b.name, b]));
    expect(bands['00:30–07:30']!.kwh).toBeCloseTo(night, 6);
    expect(bands['07:30–00:30']!.kwh).toBeCloseTo(day, 6);
    expect(bands['07:30–00:30']!.pencePerKwh).toBe(31.9);
    expect(cost.tariff).toBe('acme-e7-2025');
    // the repeated 01:00–02:00 hour on 26 October is night both times: 16 night half-hours that day
    const oct26Night = rows.filter(
      (r) => london(r.ms).date === '2025-10-26' && london(r.ms).minutes >= 30 && london(r.ms).minutes < 450,
    ).length;
    expect(oct26Night).toBe(16);
  });
});

/** An independent pricer: band by London wall-clock start, day type by London date (bank holidays given). */
function expectedCost(
  rows: { ms: number; kwh: number | null }[],
  rateOf: (w: { minutes: number; weekday: string; date: string }) => number,
): { kwh: number; unit: number } {
  let kwh = 0;
  let unit = 0;
  for (const r of rows) {
    if (r.kwh === null) continue;
    kwh += r.kwh;
    unit += r.kwh * rateOf(london(r.ms));
  }
  return { kwh, unit };
}

describe('time-of-use by day type, bank holidays and the spring clock change', () => {
  const TOU = {
    ...E7,
    id: 'tou-biz',
    name: 'Business ToU',
    vatRate: 0.2,
    cclPencePerKwh: 'statutory',
    rates: BUSINESS_TOU_RATES,
  };

  it('prices Good Friday and Easter Monday as holidays, the 46-half-hour day on local time, and CCL by date', async () => {
    core = await makeCore();
    // 2024-03-27 00:00 GMT for 7 local days: covers Good Friday 29 Mar, the 46-half-hour 31 Mar, Easter Monday 1 Apr,
    // and the statutory CCL step on 1 April (no change 2023→2024 for electricity, so use a custom step too)
    const n = 48 * 7 - 2;
    const { csv, rows } = series('2024-03-27T00:00:00Z', n, (i) => 0.2 + (i % 48) / 40);
    await importFiles(core, [writeTemp('tou.csv', csv)]);
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [TOU] }) });
    const cost = await call<CostResult>('cost.meter', {
      meter: MPAN,
      from: '2024-03-27',
      to: '2024-04-03',
      tariff: 'tou-biz',
    });
    const holidays = new Set(['2024-03-29', '2024-04-01']);
    const { kwh, unit } = expectedCost(rows, (w) => {
      if (holidays.has(w.date) || w.weekday === 'sat' || w.weekday === 'sun') return 15;
      if (w.minutes >= 960 && w.minutes < 1140) return 35;
      if ((w.minutes >= 420 && w.minutes < 960) || (w.minutes >= 1140 && w.minutes < 1380)) return 25;
      return 12;
    });
    const ccl = kwh * 0.775; // statutory electricity rate 2023-04-01 … 2025-03-31
    const standing = 7 * 45.2;
    expect(cost.expectedHalfHours).toBe(n);
    expect(cost.missingHalfHours).toBe(0);
    expect(cost.unitCostPence).toBeCloseTo(unit, 3);
    expect(cost.cclPence).toBeCloseTo(ccl, 3);
    expect(cost.vatPence).toBeCloseTo((unit + ccl + standing) * 0.2, 3);
    expect(cost.totalPence).toBeCloseTo((unit + ccl + standing) * 1.2, 3);
    // the two "Weekday day" windows are one band
    expect(cost.bands.filter((b) => b.name === 'Weekday day')).toHaveLength(1);
    expect(cost.bands.find((b) => b.name === 'Weekday peak')!.kwh).toBeCloseTo(
      rows
        .filter((r) => {
          const w = london(r.ms);
          return (
            !holidays.has(w.date) && w.weekday !== 'sat' && w.weekday !== 'sun' && w.minutes >= 960 && w.minutes < 1140
          );
        })
        .reduce((a, r) => a + r.kwh!, 0),
      6,
    );
  });

  it('a GMT-basis tariff keeps its windows on GMT through the summer', async () => {
    core = await makeCore();
    const { csv, rows } = series('2025-06-01T23:00:00Z', 48 * 2, () => 1);
    await importFiles(core, [writeTemp('gmt.csv', csv)]);
    await call('tariffs.import', {
      text: JSON.stringify({
        tariffs: [
          {
            ...E7,
            id: 'e7-gmt',
            timeBasis: 'gmt',
            rates: [
              { pencePerKwh: 10, from: '00:00', to: '07:00' },
              { pencePerKwh: 30, from: '07:00', to: '00:00' },
            ],
          },
        ],
      }),
    });
    const cost = await call<CostResult>('cost.meter', {
      meter: MPAN,
      from: '2025-06-02',
      to: '2025-06-04',
      tariff: 'e7-gmt',
    });
    // 00:00–07:00 GMT = 01:00–08:00 BST: 14 night half-hours a day by GMT clock
    const night = rows.filter((r) => new Date(r.ms).getUTCHours() < 7).length;
    expect(night).toBe(28);
    expect(cost.unitCostPence).toBeCloseTo(night * 10 + (96 - night) * 30, 6);
  });
});

describe('tariff changes mid-period', () => {
  it('prices each day on the assignment and version in force, splitting standing charges by day', async () => {
    core = await makeCore();
    const { csv, rows } = series('2025-01-09T00:00:00Z', 48 * 6, (i) => (i % 3) + 0.5);
    await importFiles(core, [writeTemp('mid.csv', csv)]);
    const flatA = { ...E7, id: 'flat-a', name: 'Flat A', rates: [{ pencePerKwh: 20 }], standingChargePencePerDay: 50 };
    const flatA2 = { ...flatA, validFrom: '2025-01-12', rates: [{ pencePerKwh: 22 }], standingChargePencePerDay: 55 };
    const flatB = {
      ...E7,
      id: 'flat-b',
      name: 'Flat B',
      supplier: 'Beta',
      rates: [{ pencePerKwh: 18 }],
      standingChargePencePerDay: 60,
      vatRate: 0.2,
    };
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [flatA, flatA2, flatB] }) });
    await call('tariffs.assign', { meter: MPAN, tariff: 'flat-a', from: '2025-01-01' });
    await call('tariffs.assign', { meter: MPAN, tariff: 'flat-b', from: '2025-01-14' });
    const cost = await call<CostResult>('cost.meter', { meter: MPAN, from: '2025-01-09', to: '2025-01-15' });
    const dayKwh = (d: string) => rows.filter((r) => london(r.ms).date === d).reduce((a, r) => a + r.kwh!, 0);
    const kA1 = ['2025-01-09', '2025-01-10', '2025-01-11'].map(dayKwh).reduce((a, b) => a + b);
    const kA2 = ['2025-01-12', '2025-01-13'].map(dayKwh).reduce((a, b) => a + b);
    const kB = dayKwh('2025-01-14');
    const total = (kA1 * 20 + 3 * 50) * 1.05 + (kA2 * 22 + 2 * 55) * 1.05 + (kB * 18 + 60) * 1.2;
    expect(cost.periods.map((p) => [p.tariff, p.versionFrom, p.from, p.to, p.days])).toEqual([
      ['flat-a', '2025-01-01', '2025-01-09', '2025-01-12', 3],
      ['flat-a', '2025-01-12', '2025-01-12', '2025-01-14', 2],
      ['flat-b', '2025-01-01', '2025-01-14', '2025-01-15', 1],
    ]);
    expect(cost.tariff).toBe('flat-a, flat-b');
    expect(cost.standingChargePence).toBeCloseTo(3 * 50 + 2 * 55 + 60, 9);
    expect(cost.totalPence).toBeCloseTo(total, 3);
    // the unit rate changed within the "Unit rate" band, so no single rate is claimed for it
    expect(cost.bands.find((b) => b.name === 'Unit rate')!.pencePerKwh).toBeNull();
    // changing a tariff later never rewrites history: a new version from February leaves January's cost alone
    await call('tariffs.save', { tariff: { ...flatA, validFrom: '2025-02-01', rates: [{ pencePerKwh: 99 }] } });
    const again = await call<CostResult>('cost.meter', { meter: MPAN, from: '2025-01-09', to: '2025-01-15' });
    expect(again.totalPence).toBe(cost.totalPence);
  });
});

describe('missing data, DUoS, capacity and dynamic prices', () => {
  it('reports missing half-hours with the cost and never prices them as zero', async () => {
    core = await makeCore();
    const { csv } = series('2025-01-06T00:00:00Z', 48 * 2, (i) => (i >= 10 && i < 20 ? null : 1));
    // drop the last 8 half-hours entirely (absent rows) as well as the 10 blank ones
    const lines = csv.split('\n');
    await importFiles(core, [writeTemp('gap.csv', lines.slice(0, lines.length - 8).join('\n'))]);
    await call('tariffs.import', {
      text: JSON.stringify({ tariffs: [{ ...E7, id: 'flat', rates: [{ pencePerKwh: 20 }] }] }),
    });
    const cost = await call<CostResult>('cost.meter', {
      meter: MPAN,
      from: '2025-01-06',
      to: '2025-01-08',
      tariff: 'flat',
    });
    expect(cost.expectedHalfHours).toBe(96);
    expect(cost.missingHalfHours).toBe(18);
    expect(cost.kwh).toBe(78);
    expect(cost.notes.join(' ')).toMatch(/18 of 96 half-hours have no reading/);
  });

  it('adds DUoS red/amber/green unit rates and a capacity charge per kVA per day', async () => {
    core = await makeCore();
    const { csv, rows } = series('2025-01-06T00:00:00Z', 48 * 7, () => 2);
    await importFiles(core, [writeTemp('duos.csv', csv)]);
    const duos = [
      { name: 'red', pencePerKwh: 9, from: '16:00', to: '19:00', days: ['weekday'] },
      { name: 'amber', pencePerKwh: 2, from: '07:00', to: '16:00', days: ['weekday'] },
      { name: 'amber', pencePerKwh: 2, from: '19:00', to: '23:00', days: ['weekday'] },
      { name: 'green', pencePerKwh: 0.1, from: '23:00', to: '07:00', days: ['weekday'] },
      { name: 'green', pencePerKwh: 0.1, days: ['weekend'] },
    ];
    await call('tariffs.import', {
      text: JSON.stringify({
        tariffs: [
          {
            ...E7,
            id: 'hh-biz',
            vatRate: 0.2,
            rates: [{ pencePerKwh: 20 }],
            duosRates: duos,
            capacityPencePerKvaPerDay: 3.5,
          },
        ],
      }),
    });
    await call('tariffs.assign', { meter: MPAN, tariff: 'hh-biz', from: '2025-01-01', capacityKva: 100 });
    const cost = await call<CostResult>('cost.meter', { meter: MPAN, from: '2025-01-06', to: '2025-01-13' });
    const { unit: duosPence } = expectedCost(rows, (w) => {
      if (w.weekday === 'sat' || w.weekday === 'sun') return 0.1;
      if (w.minutes >= 960 && w.minutes < 1140) return 9;
      if ((w.minutes >= 420 && w.minutes < 960) || (w.minutes >= 1140 && w.minutes < 1380)) return 2;
      return 0.1;
    });
    const energy = 2 * 336 * 20;
    const capacity = 7 * 100 * 3.5;
    expect(cost.duosPence).toBeCloseTo(duosPence, 6);
    expect(cost.unitCostPence).toBeCloseTo(energy + duosPence, 6);
    expect(cost.capacityPence).toBeCloseTo(capacity, 9);
    expect(cost.totalPence).toBeCloseTo((energy + duosPence + 7 * 45.2 + capacity) * 1.2, 3);
    expect(cost.bands.find((b) => b.name === 'DUoS red')).toBeUndefined();
    expect(cost.bands.find((b) => b.kind === 'duos' && b.name === 'red')!.kwh).toBe(5 * 6 * 2);
  });

  it('prices a dynamic tariff from the real Octopus Agile unit-rates file and counts half-hours without a price', async () => {
    core = await makeCore();
    // the fixture covers 2020-05-08T20:00Z … 2020-05-10T22:00Z
    const { csv, rows } = series('2020-05-08T23:00:00Z', 48 * 2, (i) => 0.3 + (i % 5) / 10);
    await importFiles(core, [writeTemp('agile.csv', csv)]);
    await call('tariffs.import', {
      text: JSON.stringify({
        tariffs: [{ ...E7, id: 'agile-h', name: 'Agile', rates: undefined, halfHourlyPrices: [] }],
      }),
    });
    const fs = await import('node:fs');
    const path = await import('node:path');
    const text = fs.readFileSync(
      path.join(
        __dirname,
        '..',
        '..',
        '..',
        'tests',
        'fixtures',
        'public',
        'octopus-agile-standard-unit-rates-2020-05.json',
      ),
      'utf8',
    );
    const r = await call<{ prices: number; first: string; last: string }>('tariffs.importPrices', {
      id: 'agile-h',
      text,
    });
    expect(r).toEqual({ prices: 99, first: '2020-05-08T20:00:00Z', last: '2020-05-10T21:30:00Z' });
    const prices = new Map(
      (JSON.parse(text) as { results: { value_exc_vat: number; valid_from: string }[] }).results.map((x) => [
        Date.parse(x.valid_from),
        x.value_exc_vat,
      ]),
    );
    const cost = await call<CostResult>('cost.meter', {
      meter: MPAN,
      from: '2020-05-09',
      to: '2020-05-11',
      tariff: 'agile-h',
    });
    let unit = 0;
    let unpriced = 0;
    for (const row of rows) {
      const p = prices.get(row.ms);
      if (p === undefined) unpriced++;
      else unit += row.kwh! * p;
    }
    expect(unpriced).toBeGreaterThan(0);
    expect(cost.unpricedHalfHours).toBe(unpriced);
    expect(cost.unitCostPence).toBeCloseTo(unit, 6);
    expect(cost.notes.join(' ')).toMatch(/no half-hourly price/);
    // a CSV of start and price fills the rest (local times without an offset are UK time)
    const csvPrices = [
      'start,pencePerKwh',
      ...rows.filter((x) => !prices.has(x.ms)).map((x) => `${new Date(x.ms).toISOString()},10`),
    ].join('\n');
    await call('tariffs.importPrices', { id: 'agile-h', text: csvPrices });
    const full = await call<CostResult>('cost.meter', {
      meter: MPAN,
      from: '2020-05-09',
      to: '2020-05-11',
      tariff: 'agile-h',
    });
    expect(full.unpricedHalfHours).toBe(0);
    expect(full.unitCostPence).toBeCloseTo(
      unit + rows.filter((x) => !prices.has(x.ms)).reduce((a, x) => a + x.kwh! * 10, 0),
      6,
    );
  });
});

describe('versions written with inclusive end dates', () => {
  it("prices a day between a version's validTo and the next version on the earlier version, and says so", async () => {
    core = await makeCore();
    const { csv } = series('2025-06-28T23:00:00Z', 48 * 4, () => 1); // 29 June – 2 July, BST
    await importFiles(core, [writeTemp('gap-version.csv', csv)]);
    const v1 = { ...E7, id: 'v', rates: [{ pencePerKwh: 10 }], validFrom: '2025-01-01', validTo: '2025-06-30' };
    const v2 = { ...v1, rates: [{ pencePerKwh: 20 }], validFrom: '2025-07-01', validTo: null };
    await call('tariffs.import', { text: JSON.stringify({ tariffs: [v1, v2] }) });
    const cost = await call<CostResult>('cost.meter', {
      meter: MPAN,
      from: '2025-06-29',
      to: '2025-07-03',
      tariff: 'v',
    });
    expect(cost.unitCostPence).toBeCloseTo(2 * 48 * 10 + 2 * 48 * 20, 9); // 29 and 30 June at 10p, 1 and 2 July at 20p
    expect(cost.notes.join(' ')).toMatch(
      /1 day from 2025-06-30 that no version covers .* is priced at the latest earlier version's rates/,
    );
  });
});
