import { describe, expect, it } from 'vitest';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import {
  bestWindowText,
  buildForecastOption,
  buildHistoryOption,
  buildTimeOfDayOption,
  carbonPoints,
  formatCo2,
  historyCsv,
  indexColour,
  indexSlug,
  timeOfDayCsv,
} from './carbon-charts';

function firstSeries<T>(opt: { series?: unknown }): T {
  return (Array.isArray(opt.series) ? opt.series[0] : opt.series) as T;
}

describe('carbon chart options', () => {
  const history = {
    points: [
      { at: '2025-06-01T00:00:00Z', intensity: 120 },
      { at: '2025-06-01T00:30:00Z', intensity: null },
      { at: '2025-06-01T01:00:00Z', intensity: 80 },
      // an hour missing: must break the line
      { at: '2025-06-01T02:30:00Z', intensity: 100 },
    ],
    average: 100,
  };

  it('draws the history as a time line in ms with gaps, never joining missing half-hours', () => {
    const line = firstSeries<LineSeriesOption>(buildHistoryOption(history));
    expect(line.type).toBe('line');
    expect(line.connectNulls).toBe(false);
    expect(line.data).toEqual([
      [Date.UTC(2025, 5, 1, 0, 0), 120],
      [Date.UTC(2025, 5, 1, 0, 30), null],
      [Date.UTC(2025, 5, 1, 1, 0), 80],
      [Date.UTC(2025, 5, 1, 1, 30), null],
      [Date.UTC(2025, 5, 1, 2, 30), 100],
    ]);
  });

  it('marks the average as a horizontal line, and none without an average', () => {
    const line = firstSeries<LineSeriesOption>(buildHistoryOption(history));
    expect(line.markLine?.data).toEqual([{ yAxis: 100, name: 'Average' }]);
    expect(firstSeries<LineSeriesOption>(buildHistoryOption({ ...history, average: null })).markLine).toBeUndefined();
  });

  it('draws the next 48 h forecast as an area', () => {
    const opt = buildForecastOption([
      { at: '2025-06-01T00:00:00Z', forecast: 150, index: 'moderate' },
      { at: '2025-06-01T00:30:00Z', forecast: 140, index: 'moderate' },
    ]);
    const line = firstSeries<LineSeriesOption>(opt);
    expect(line.areaStyle).toBeTruthy();
    expect(line.data).toEqual([
      [Date.UTC(2025, 5, 1, 0, 0), 150],
      [Date.UTC(2025, 5, 1, 0, 30), 140],
    ]);
    const x = Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis;
    expect(x).toMatchObject({ type: 'time' });
  });

  it('draws one bar per UK time of day and highlights the lowest', () => {
    const tod = [
      { time: '00:00', average: 90 },
      { time: '00:30', average: 70 },
      { time: '01:00', average: 95.5 },
    ];
    const opt = buildTimeOfDayOption(tod);
    const x = Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis;
    expect(x).toMatchObject({ type: 'category', data: ['00:00', '00:30', '01:00'] });
    const bar = firstSeries<BarSeriesOption>(opt);
    const data = bar.data as { value: number; itemStyle: { color: string } }[];
    expect(data.map((d) => d.value)).toEqual([90, 70, 95.5]);
    expect(data[1]?.itemStyle.color).not.toBe(data[0]?.itemStyle.color);
    expect(timeOfDayCsv(tod).rows[2]).toEqual(['01:00', 95.5]);
  });

  it('exports the stored values unrounded', () => {
    expect(historyCsv(history)).toMatchObject({ header: ['start_utc', 'intensity_gco2_per_kwh'] });
    expect(historyCsv(history).rows[1]).toEqual(['2025-06-01T00:30:00Z', null]);
    expect(carbonPoints([])).toEqual([]);
  });
});

describe('carbon text', () => {
  it('says the best window in UK local time (BST in summer, GMT in winter)', () => {
    expect(bestWindowText({ from: '2025-06-01T00:30:00Z', to: '2025-06-01T03:30:00Z', average: 58 }, 3)).toBe(
      'Best 3-hour window to run flexible loads: 01:30–04:30, average 58 g/kWh',
    );
    expect(bestWindowText({ from: '2025-12-01T01:30:00Z', to: '2025-12-01T03:30:00Z', average: 101 }, 2)).toBe(
      'Best 2-hour window to run flexible loads: 01:30–03:30, average 101 g/kWh',
    );
  });

  it('colours the index bands from green to dark red', () => {
    expect(indexColour('very low')).toBe('#15803d');
    expect(indexColour('Very High')).toBe('#7f1d1d');
    expect(indexColour(null)).toBe('#94a3b8');
    expect(indexSlug('very high')).toBe('very-high');
    expect(indexSlug('nonsense')).toBe('unknown');
  });

  it('formats kg CO2 with separators and tonnes from 1,000 kg', () => {
    expect(formatCo2(845.26)).toBe('845 kg');
    expect(formatCo2(12.34)).toBe('12.3 kg');
    expect(formatCo2(12345)).toBe('12.35 t');
    expect(formatCo2(1234567)).toBe('1,234.6 t');
    expect(formatCo2(null)).toBe('—');
  });
});
