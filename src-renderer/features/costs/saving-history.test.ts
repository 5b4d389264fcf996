import { describe, expect, it } from 'vitest';
import type { LineSeriesOption } from 'echarts/charts';
import { buildSavingHistoryOption, savingHistory, savingHistoryCsv } from './saving-history';
import type { SwitchSummary } from '../../../src-shared/contract/types';

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

describe('best saving over time', () => {
  const history = [
    summary({ id: 3, ranAt: '2025-06-01T10:00:00Z', bestSavingPence: 1500.5 }),
    summary({ id: 2, ranAt: '2025-05-01T10:00:00Z', bestSavingPence: 2000, whatIfPercent: 25 }),
    summary({ id: 1, ranAt: '2025-04-01T10:00:00Z', bestSavingPence: -300, bestTariff: 'dear' }),
  ];

  it('plots real analyses oldest first, leaving out what-ifs, as [time, pounds]', () => {
    expect(savingHistory(history).map((h) => h.id)).toEqual([1, 3]);
    const line = (buildSavingHistoryOption(history).series as LineSeriesOption[])[0]!;
    expect(line.type).toBe('line');
    expect(line.data).toEqual([
      [Date.UTC(2025, 3, 1, 10), -3],
      [Date.UTC(2025, 5, 1, 10), 15.01],
    ]);
    // zero is marked so a dearer best alternative reads as below the line
    expect(line.markLine?.data).toEqual([{ yAxis: 0 }]);
  });

  it('says in the tooltip whether the best alternative saves or costs more', () => {
    const opt = buildSavingHistoryOption(history, (id) => (id === 'dear' ? 'Dear Co Flat' : id));
    const tip = (opt.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(tip({ dataIndex: 0 })).toContain('Best: Dear Co Flat, costs £3.00 more');
    expect(tip({ dataIndex: 1 })).toContain('saves £15.01');
    expect(savingHistoryCsv(history).rows.map((r) => r[0])).toEqual(['2025-04-01T10:00:00Z', '2025-06-01T10:00:00Z']);
  });

  it('spreads the time axis a day either side when the runs are all on one day, and not otherwise', () => {
    const one = buildSavingHistoryOption([summary({ ranAt: '2025-06-01T10:00:00Z' })]);
    expect(one.xAxis).toMatchObject({ type: 'time', min: Date.UTC(2025, 4, 31, 10), max: Date.UTC(2025, 5, 2, 10) });
    const spread = buildSavingHistoryOption(history).xAxis as { min?: number };
    expect(spread.min).toBeUndefined();
  });
});
