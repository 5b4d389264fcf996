import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import { buildTrendOption, trendCsv, trendData } from './trend';

describe('the 13-month trend', () => {
  const trend = [
    {
      fuel: 'electricity' as const,
      months: [
        { month: '2020-04', kwh: 0, completeness: 0 },
        { month: '2020-05', kwh: 420.5, completeness: 0.41 },
      ],
    },
    {
      fuel: 'gas' as const,
      months: [
        { month: '2020-04', kwh: 900, completeness: 1 },
        { month: '2020-05', kwh: 0, completeness: 0 },
      ],
    },
  ];

  it('draws a bar per fuel per month, and a gap (not a 0 kWh bar) for a month without readings', () => {
    const d = trendData(trend);
    expect(d.names).toEqual(['Electricity', 'Gas']);
    expect(d.table.periods).toEqual(['2020-04', '2020-05']);
    const series = buildTrendOption(d).series as BarSeriesOption[];
    expect(series.map((s) => s.name)).toEqual(['Electricity', 'Gas']);
    expect(series.map((s) => s.data)).toEqual([
      [null, 420.5],
      [900, null],
    ]);
  });

  it('exports the months with each fuel’s kWh', () => {
    expect(trendCsv(trendData(trend))).toEqual({
      header: ['month', 'electricity kwh', 'gas kwh'],
      rows: [
        ['2020-04', null, 900],
        ['2020-05', 420.5, null],
      ],
    });
  });

  it('reads a portfolio in the unit its tiles use: MWh on the axis and in the tooltip, not 350,000 kWh', () => {
    const big = [
      {
        fuel: 'electricity' as const,
        months: [
          { month: '2024-11', kwh: 326_000, completeness: 1 },
          { month: '2024-12', kwh: 350_250, completeness: 1 },
        ],
      },
    ];
    const option = buildTrendOption(trendData(big));
    const axis = option.yAxis as { name: string; axisLabel: { formatter: (v: number) => string } };
    expect(axis.name).toBe('MWh');
    expect(axis.axisLabel.formatter(350_000)).toBe('350');
    const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter([
      { dataIndex: 1, seriesName: 'Electricity', value: 350_250, marker: '' },
    ]);
    expect(tooltip).toContain('Electricity: 350 MWh');
    // a small site stays in kWh
    const small = buildTrendOption(
      trendData([{ fuel: 'gas', months: [{ month: '2024-12', kwh: 900, completeness: 1 }] }]),
    );
    expect((small.yAxis as { name: string }).name).toBe('kWh');
  });
});
