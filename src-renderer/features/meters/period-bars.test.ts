import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import { alignYearAgo, buildPeriodOption, periodCsv, yearAgoLabel } from './period-bars';
import { total } from '../../charts/testing';

describe('year-ago alignment', () => {
  it('finds the same period a year earlier (52 weeks back for weeks)', () => {
    expect(yearAgoLabel('month', '2025-03')).toBe('2024-03');
    expect(yearAgoLabel('year', '2025')).toBe('2024');
    expect(yearAgoLabel('week', '2025-W13')).toBe('2024-W13');
    expect(yearAgoLabel('day', '2025-03-30')).toBe('2024-03-31');
    expect(yearAgoLabel('month', 'nonsense')).toBeNull();
  });

  it('pairs periods and leaves a gap where the earlier period has no data', () => {
    const rows = alignYearAgo(
      'month',
      [total('2025-01', 100), total('2025-02', 90)],
      [total('2024-01', 80), total('2024-02', 0, { completeness: 0 })],
    );
    expect(rows.map((r) => [r.period, r.kwh, r.earlierPeriod, r.earlierKwh])).toEqual([
      ['2025-01', 100, '2024-01', 80],
      ['2025-02', 90, '2024-02', null],
    ]);
  });
});

describe('buildPeriodOption', () => {
  it('draws the periods and the year-earlier periods as two bar series', () => {
    const rows = alignYearAgo('month', [total('2025-01', 100.5), total('2025-02', 90)], [total('2024-01', 80)]);
    const opt = buildPeriodOption('month', rows);
    const s = opt.series as BarSeriesOption[];
    expect(s.map((x) => [x.type, x.name])).toEqual([
      ['bar', 'kWh'],
      ['bar', 'A year earlier'],
    ]);
    expect((s[0]?.data as { value: number }[]).map((d) => d.value)).toEqual([100.5, 90]);
    expect(s[1]?.data).toEqual([80, null]);
    const x = Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis;
    expect((x as { data: string[] }).data).toEqual(['2025-01', '2025-02']);
    expect(periodCsv(rows).rows[0]).toEqual(['2025-01', 100.5, 1, '2024-01', 80, 1]);
  });
});
