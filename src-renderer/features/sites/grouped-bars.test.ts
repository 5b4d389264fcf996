import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import { buildGroupedOption, groupTotals, groupedCsv } from './grouped-bars';
import { total } from '../../charts/testing';

describe('grouped bars', () => {
  const series = [
    { name: 'Main', totals: [total('2025-01', 100), total('2025-02', 120)] },
    { name: 'Kitchen', totals: [total('2025-02', 30.25), total('2025-03', 0, { completeness: 0 })] },
  ];

  it('puts the series side by side on the union of their periods, with gaps where one has no data', () => {
    const table = groupTotals(series);
    expect(table.periods).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(table.values).toEqual([
      [100, 120, null],
      [null, 30.25, null],
    ]);
    const opt = buildGroupedOption(series, table);
    const s = opt.series as BarSeriesOption[];
    expect(s.map((x) => [x.type, x.name, x.stack])).toEqual([
      ['bar', 'Main', undefined],
      ['bar', 'Kitchen', undefined],
    ]);
    expect(s[1]?.data).toEqual([null, 30.25, null]);
    expect(groupedCsv(series, table).rows[1]).toEqual(['2025-02', 120, 30.25]);
  });
});
