import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import type { CostPeriod, CostResult } from '../../../src-shared/contract/types';
import {
  buildCostBandsOption,
  costBandsCsv,
  costLines,
  costNotes,
  costParts,
  periodLines,
  tariffSequence,
} from './cost-bands';

function period(over: Partial<CostPeriod> = {}): CostPeriod {
  return {
    tariff: 'acme-e7',
    versionFrom: '2025-01-01',
    basis: 'assignment',
    from: '2025-01-06',
    to: '2025-01-08',
    days: 2,
    kwh: 96,
    bands: [
      { name: '00:30–07:30', kind: 'energy', kwh: 28, pence: 366.8, pencePerKwh: 13.1 },
      { name: '07:30–00:30', kind: 'energy', kwh: 68, pence: 2169.2, pencePerKwh: 31.9 },
    ],
    unitCostPence: 2536,
    standingChargePencePerDay: 45.2,
    standingChargePence: 90.4,
    cclPencePerKwh: 0.775,
    cclPence: 74.4,
    capacityKva: null,
    capacityPence: 0,
    vatRate: 0.2,
    vatPence: 540.16,
    totalPence: 3240.96,
    ...over,
  };
}

function result(periods: CostPeriod[], over: Partial<CostResult> = {}): CostResult {
  const sum = (f: (p: CostPeriod) => number) => periods.reduce((s, p) => s + f(p), 0);
  return {
    meter: '1900000000031',
    from: periods[0]!.from,
    to: periods[periods.length - 1]!.to,
    tariff: [...new Set(periods.map((p) => p.tariff))].join(', '),
    tariffName: 'Acme Economy 7',
    kwh: sum((p) => p.kwh),
    unitCostPence: sum((p) => p.unitCostPence),
    duosPence: 0,
    standingChargePence: sum((p) => p.standingChargePence),
    cclPence: sum((p) => p.cclPence),
    capacityPence: sum((p) => p.capacityPence),
    vatPence: sum((p) => p.vatPence),
    totalPence: sum((p) => p.totalPence),
    bands: periods[0]!.bands,
    missingHalfHours: 0,
    expectedHalfHours: 96,
    unpricedHalfHours: 0,
    periods,
    notes: [],
    ...over,
  };
}

describe('cost breakdown lines', () => {
  it('lists a period as a bill does: bands with kWh × rate, standing charge, CCL, subtotal, VAT and total', () => {
    const ls = periodLines(period());
    expect(ls.map((l) => [l.kind, l.label, l.detail, l.pence])).toEqual([
      ['energy', '00:30–07:30', '28 kWh × 13.1p/kWh', 366.8],
      ['energy', '07:30–00:30', '68 kWh × 31.9p/kWh', 2169.2],
      ['standing', 'Standing charge', '2 days × 45.2p/day', 90.4],
      ['ccl', 'Climate Change Levy', '96 kWh × 0.775p/kWh', 74.4],
      ['subtotal', 'Subtotal (before VAT)', '', 2700.8],
      ['vat', 'VAT', '20 % of the subtotal', 540.16],
      ['total', 'Total', 'including VAT', 3240.96],
    ]);
    // the subtotal plus VAT is the total, as on the bill
    const sub = ls.find((l) => l.kind === 'subtotal')!.pence;
    expect(sub + ls.find((l) => l.kind === 'vat')!.pence).toBeCloseTo(3240.96, 6);
  });

  it('puts DUoS bands after the energy bands and shows capacity as days × kVA × rate', () => {
    const p = period({
      bands: [
        { name: 'red', kind: 'duos', kwh: 10, pence: 90, pencePerKwh: 9 },
        { name: 'Day', kind: 'energy', kwh: 96, pence: 2400, pencePerKwh: 25 },
      ],
      capacityKva: 100,
      capacityPence: 700,
      cclPencePerKwh: 0,
      cclPence: 0,
    });
    const ls = periodLines(p);
    expect(ls.map((l) => l.label).slice(0, 5)).toEqual([
      'Day',
      'DUoS red',
      'Standing charge',
      'Climate Change Levy',
      'Capacity charge',
    ]);
    expect(ls.find((l) => l.kind === 'ccl')!.detail).toBe('not charged on this tariff');
    expect(ls.find((l) => l.kind === 'capacity')!.detail).toBe('2 days × 100 kVA × 3.5p/kVA/day');
    expect(ls.find((l) => l.kind === 'subtotal')!.pence).toBeCloseTo(90 + 2400 + 90.4 + 700, 6);
  });

  it('says when a band has no single rate and leaves capacity out when the tariff has none', () => {
    const ls = periodLines(
      period({ bands: [{ name: 'Half-hourly price', kind: 'energy', kwh: 96, pence: 1800, pencePerKwh: null }] }),
    );
    expect(ls[0]!.detail).toBe('96 kWh at varying rates');
    expect(ls.some((l) => l.kind === 'capacity')).toBe(false);
  });

  it('sums several periods, keeping a rate only where every period had the same one', () => {
    const a = period();
    const b = period({
      tariff: 'beta-flat',
      from: '2025-01-08',
      to: '2025-01-11',
      days: 3,
      standingChargePencePerDay: 30,
      standingChargePence: 90,
      vatRate: 0.2,
    });
    const ls = costLines(result([a, b]));
    expect(ls.find((l) => l.kind === 'standing')!.detail).toBe('5 days at the rates of each period');
    expect(ls.find((l) => l.kind === 'standing')!.pence).toBeCloseTo(180.4, 6);
    expect(ls.find((l) => l.kind === 'ccl')!.detail).toBe('192 kWh × 0.775p/kWh');
    expect(ls.find((l) => l.kind === 'vat')!.detail).toBe('20 % of the subtotal');
    const mixedVat = costLines(result([a, period({ vatRate: 0.05 })]));
    expect(mixedVat.find((l) => l.kind === 'vat')!.detail).toBe('at the rate of each period');
  });
});

describe('cost by band chart', () => {
  const c = result([period()]);

  it('draws one bar per part of the bill in pounds, rounded to the penny, leaving out parts that cost nothing', () => {
    const parts = costParts(result([period({ cclPencePerKwh: 0, cclPence: 0 })]));
    expect(parts.map((p) => p.label)).toEqual(['00:30–07:30', '07:30–00:30', 'Standing charge', 'VAT']);
    const opt = buildCostBandsOption(c);
    const s = (opt.series as BarSeriesOption[])[0]!;
    expect(s.type).toBe('bar');
    expect((s.data as { value: number }[]).map((d) => d.value)).toEqual([3.67, 21.69, 0.9, 0.74, 5.4]);
    expect((opt.yAxis as { data: string[] }).data).toEqual([
      '00:30–07:30',
      '07:30–00:30',
      'Standing charge',
      'Climate Change Levy',
      'VAT',
    ]);
    // every bar is coloured by what it is: the two energy bands alike, the rest apart
    const colours = (s.data as { itemStyle: { color: string } }[]).map((d) => d.itemStyle.color);
    expect(colours[0]).toBe(colours[1]);
    expect(new Set(colours).size).toBe(4);
  });

  it('labels bars and tooltips in pounds with the share of the total', () => {
    const opt = buildCostBandsOption(c);
    const s = (opt.series as BarSeriesOption[])[0]!;
    const label = s.label as { formatter: (p: { dataIndex: number }) => string };
    expect(label.formatter({ dataIndex: 1 })).toBe('£21.69');
    const tip = (opt.tooltip as { formatter: (p: unknown) => string }).formatter({ dataIndex: 1 });
    expect(tip).toContain('£21.69');
    expect(tip).toContain('66.9 % of the total');
    expect(tip).toContain('68 kWh × 31.9p/kWh');
  });

  it('exports every line of the breakdown, in pence and in pounds', () => {
    const csv = costBandsCsv(c);
    expect(csv.header).toEqual(['line', 'kind', 'kwh', 'rate', 'pence', 'pounds']);
    expect(csv.rows[0]).toEqual(['00:30–07:30', 'energy', 28, 13.1, 366.8, 3.67]);
    expect(csv.rows[csv.rows.length - 1]).toEqual(['Total', 'total', 96, null, 3240.96, 32.41]);
  });
});

describe('cost notes', () => {
  it('says once, in plain words, how much data was left out, and keeps the core’s other notes', () => {
    const n = costNotes({
      missingHalfHours: 12,
      expectedHalfHours: 1486,
      unpricedHalfHours: 0,
      notes: [
        '12 of 1486 half-hours have no reading and are not priced: the cost covers the half-hours with data only.',
        'No tariff is assigned for this period: they are priced on Acme’s default.',
      ],
    });
    expect(n.serious).toBe(true);
    expect(n.items).toEqual([
      '12 of 1,486 half-hours (0.8 %) have no reading, so they are not priced: the cost covers the half-hours with data only and reads low against a bill.',
      'No tariff is assigned for this period: they are priced on Acme’s default.',
    ]);
  });

  it('keeps the core’s note about unpriced half-hours, or adds one, and is quiet when all is priced', () => {
    expect(
      costNotes({
        missingHalfHours: 0,
        expectedHalfHours: 48,
        unpricedHalfHours: 3,
        notes: ['3 half-hours (1.2 kWh) have no half-hourly price and are not priced.'],
      }).items,
    ).toEqual(['3 half-hours (1.2 kWh) have no half-hourly price and are not priced.']);
    expect(costNotes({ missingHalfHours: 0, expectedHalfHours: 48, unpricedHalfHours: 3, notes: [] }).items).toEqual([
      '3 half-hours have a reading but no price on this tariff, so they are not priced.',
    ]);
    expect(costNotes({ missingHalfHours: 0, expectedHalfHours: 48, unpricedHalfHours: 0, notes: [] })).toEqual({
      serious: false,
      items: [],
    });
  });
});

describe('tariff sequence', () => {
  const name = (id: string) => ({ flat: 'Acme Fixed', e7: 'Acme Economy 7' })[id] ?? id;
  it('names the tariffs in order with the last day of each, merging versions of one tariff', () => {
    expect(tariffSequence([{ tariff: 'e7', from: '2025-01-01', to: '2025-02-01' }], name)).toBe('Acme Economy 7');
    expect(
      tariffSequence(
        [
          { tariff: 'flat', from: '2025-01-01', to: '2025-02-01' },
          { tariff: 'flat', from: '2025-02-01', to: '2025-03-15' },
          { tariff: 'e7', from: '2025-03-15', to: '2025-04-01' },
        ],
        name,
      ),
    ).toBe('Acme Fixed until 14 Mar 2025, then Acme Economy 7');
  });
});
