import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import type { SwitchSummary } from '../../../src-shared/contract/types';
import {
  buildSavingsOption,
  namesFromSummaries,
  periodDays,
  portfolioTotals,
  savingsCsv,
  tariffIdsText,
  topSavings,
} from './savings';

function summary(over: Partial<SwitchSummary> = {}): SwitchSummary {
  return {
    id: 1,
    meter: '1900000000031',
    meterLabel: null,
    from: '2025-01-01',
    to: '2025-04-01',
    ranAt: '2025-04-02T09:00:00Z',
    ranBy: 'e2e',
    currentTariff: 'acme-flat',
    currentTariffName: 'Acme Flat',
    currentPence: 100000,
    bestTariff: 'beta-e7',
    bestTariffName: 'Beta E7',
    bestSavingPence: 1000,
    bestSavingPercent: 1,
    whatIfPercent: null,
    ...over,
  };
}

describe('portfolio savings', () => {
  const rows = [
    summary({ meter: 'A', bestSavingPence: 12345.5, currentPence: 90000 }),
    summary({ meter: 'B', bestSavingPence: -500, bestTariff: 'dear' }),
    summary({ meter: 'C', bestSavingPence: 0, bestTariff: null }),
    summary({ meter: 'D', bestSavingPence: 20000, currentPence: 50000, from: '2025-01-01', to: '2025-01-31' }),
  ];

  it('adds up only the savings that are real: a dearer or missing best alternative saves nothing', () => {
    const t = portfolioTotals(rows);
    expect(t.meters).toBe(4);
    expect(t.withSaving).toBe(2);
    expect(t.savingPence).toBeCloseTo(32345.5, 6);
    expect(t.currentPence).toBe(140000);
    // A: 90 days → ×365/90; D: 30 days → ×365/30
    expect(t.yearlyPence).toBeCloseTo((12345.5 * 365) / 90 + (20000 * 365) / 30, 6);
    expect(periodDays(rows[0]!)).toBe(90);
    expect(portfolioTotals([]).yearlyPence).toBeNull();
    // a saving of less than half a penny rounds to nothing and is not counted
    expect(portfolioTotals([summary({ bestSavingPence: 0.4 })]).withSaving).toBe(0);
  });

  it('ranks the largest savings first and keeps the top 15', () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      summary({ meter: `M${String(i).padStart(2, '0')}`, bestSavingPence: (i + 1) * 100 }),
    );
    const top = topSavings([...many, summary({ meter: 'X', bestSavingPence: -1 })]);
    expect(top).toHaveLength(15);
    expect(top[0]!.meter).toBe('M19');
    expect(top[14]!.meter).toBe('M05');
    expect(top.some((r) => r.meter === 'X')).toBe(false);
  });

  it('draws the savings as bars in pounds, labelled by the meter label or MPAN, largest at the top', () => {
    const opt = buildSavingsOption(
      [...rows, summary({ meter: '1900000000040', meterLabel: 'Kitchen', bestSavingPence: 999.5 })],
      (id) => (id === 'beta-e7' ? 'Beta Economy 7' : id),
    );
    const s = (opt.series as BarSeriesOption[])[0]!;
    expect(s.data).toEqual([200, 123.46, 10]);
    const y = opt.yAxis as { data: string[]; inverse: boolean };
    expect(y.data).toEqual(['D', 'A', 'Kitchen']);
    expect(y.inverse).toBe(true);
    const label = s.label as { formatter: (p: { dataIndex: number }) => string };
    expect(label.formatter({ dataIndex: 1 })).toBe('£123.46');
    const tip = (opt.tooltip as { formatter: (p: unknown) => string }).formatter({ dataIndex: 2 });
    expect(tip).toContain('Kitchen</b> (1900000000040)');
    expect(tip).toContain('Moving to Beta Economy 7 saves £10.00 (1.0 %)');
    expect(tip).toContain('1 Jan – 31 Mar 2025 (90 days)');
    expect(tip).toContain('Beta Economy 7');
  });

  it('exports every analysed meter with tariff names and both pence and pounds', () => {
    const csv = savingsCsv([rows[0]!], (id) => id.toUpperCase());
    expect(csv.header[0]).toBe('meter');
    expect(csv.rows[0]).toEqual([
      'A',
      null,
      '2025-01-01',
      '2025-04-01',
      'ACME-FLAT',
      90000,
      'BETA-E7',
      12345.5,
      123.46,
      1,
      '2025-04-02T09:00:00Z',
    ]);
  });

  it('names the tariffs of a period in which the meter changed tariff', () => {
    const name = (id: string) => (id === 'a' ? 'Acme Fixed' : id === 'b' ? 'Acme Economy 7' : id);
    expect(tariffIdsText('a', name)).toBe('Acme Fixed');
    expect(tariffIdsText('a, b', name)).toBe('Acme Fixed, then Acme Economy 7');
  });

  it('reads tariff names from the summaries, including each tariff of a period that changed tariff', () => {
    const names = namesFromSummaries([
      summary({
        currentTariff: 'a, b',
        currentTariffName: 'Acme Fixed, then Acme Economy 7',
        bestTariff: 'c',
        bestTariffName: 'Beta Flat',
      }),
      summary({ currentTariff: 'd', currentTariffName: 'Delta', bestTariff: null, bestTariffName: null }),
    ]);
    expect(Object.fromEntries(names)).toEqual({ a: 'Acme Fixed', b: 'Acme Economy 7', c: 'Beta Flat', d: 'Delta' });
  });
});
