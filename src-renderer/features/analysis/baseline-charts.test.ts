import { describe, expect, it } from 'vitest';
import type { LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { BaselineResult, CusumResult } from '../../../src-shared/contract/types';
import { buildCusumOption, buildScatterOption, cusumCsv, fitLine, predict, scatterCsv } from './baseline-charts';

/** A model kWh = 100 + 8·HDD(15.5) and four baseline days. */
function model(over: Partial<BaselineResult> = {}): BaselineResult {
  const points = [
    { date: '2024-01-08', hdd: 10, kwh: 182, predictedKwh: 180, open: true },
    { date: '2024-01-13', hdd: 12, kwh: 190, predictedKwh: 196, open: false },
    { date: '2024-05-06', hdd: 2, kwh: 118, predictedKwh: 116, open: true },
    { date: '2024-07-01', hdd: 0, kwh: 99, predictedKwh: 100, open: true },
  ];
  return {
    meter: '1012477457919',
    from: '2024-01-01',
    to: '2025-01-01',
    site: { id: 1, name: 'Bath school' },
    intercept: 100,
    slope: 8,
    baseTemperature: 15.5,
    days: points.length,
    r2: 0.93,
    cvrmse: 0.08,
    nmbe: 0,
    coolingSlope: null,
    coolingBaseTemperature: null,
    fixedBase: false,
    split: null,
    flags: [],
    notes: [],
    points,
    ...over,
  };
}

describe('fitLine', () => {
  it('runs from no degree days to the most, on the model', () => {
    expect(predict({ intercept: 100, slope: 8 }, 12)).toBe(196);
    expect(fitLine({ intercept: 100, slope: 8 }, 12)).toEqual([
      [0, 100],
      [12, 196],
    ]);
  });
});

describe('buildScatterOption', () => {
  it('plots open and closed days apart, and the fitted line over the baseline’s degree days', () => {
    const opt = buildScatterOption(model());
    const s = opt.series as (ScatterSeriesOption | LineSeriesOption)[];
    expect(s.map((x) => [x.type, x.name])).toEqual([
      ['scatter', 'Open days'],
      ['scatter', 'Closed days'],
      ['line', 'Fitted line'],
    ]);
    expect(s[0]!.data).toEqual([
      [10, 182],
      [2, 118],
      [0, 99],
    ]);
    expect(s[1]!.data).toEqual([[12, 190]]);
    expect(s[2]!.data).toEqual([
      [0, 100],
      [12, 100 + 8 * 12],
    ]);
    const x = Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis;
    expect(x?.name).toBe('Heating degree days (base 15.5 °C)');
  });

  it('draws a line per model when open and closed days have their own', () => {
    const stats = { baseTemperature: 15.5, days: 2, r2: 0.9, cvrmse: 0.1, nmbe: 0 };
    const split = { open: { intercept: 120, slope: 9, ...stats }, closed: { intercept: 40, slope: 4, ...stats } };
    const s = buildScatterOption(model({ split })).series as LineSeriesOption[];
    expect(s.slice(2).map((l) => [l.name, l.data])).toEqual([
      [
        'Fit, open days',
        [
          [0, 120],
          [12, 120 + 9 * 12],
        ],
      ],
      [
        'Fit, closed days',
        [
          [0, 40],
          [12, 40 + 4 * 12],
        ],
      ],
    ]);
  });

  it('tells a point’s day, degree days, kWh and the model’s kWh', () => {
    const tip = (buildScatterOption(model()).tooltip as { formatter: (p: unknown) => string }).formatter;
    const text = tip({ seriesIndex: 1, dataIndex: 0, seriesName: 'Closed days', value: [12, 190] });
    expect(text).toContain('Sat 13 Jan 2024 · closed');
    expect(text).toContain('12 degree days');
    expect(text).toContain('190 kWh');
    expect(text).toContain('model: 196 kWh');
  });

  it('exports the baseline days', () => {
    expect(scatterCsv(model()).rows[1]).toEqual(['2024-01-13', 12, 190, 196, 'no']);
  });
});

describe('buildCusumOption', () => {
  const days = [
    { actualKwh: 90, expectedKwh: 100 },
    { actualKwh: 95, expectedKwh: 100 },
    { actualKwh: 112, expectedKwh: 100 },
  ];
  let run = 0;
  const cusum: CusumResult = {
    meter: '1012477457919',
    model: model(),
    from: '2025-01-01',
    to: '2025-01-04',
    days: days.map((d, i) => ({ date: `2025-01-0${i + 1}`, ...d, cusumKwh: (run += d.actualKwh - d.expectedKwh) })),
    avoidedKwh: 3,
    avoidedPence: 75,
    avoidedKgCo2: 0.6,
    skippedDays: 0,
  };

  it('draws the running total of actual − expected, with a zero line', () => {
    const opt = buildCusumOption(cusum);
    const line = (Array.isArray(opt.series) ? opt.series[0] : opt.series) as LineSeriesOption;
    expect(line.data).toEqual([-10, -15, -3]);
    expect(line.markLine?.data).toEqual([{ yAxis: 0 }]);
    const x = Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis;
    expect((x as { data: string[] }).data).toEqual(['2025-01-01', '2025-01-02', '2025-01-03']);
  });

  it('exports each day’s difference', () => {
    expect(cusumCsv(cusum).rows.map((r) => r[3])).toEqual([-10, -5, 12]);
  });
});
