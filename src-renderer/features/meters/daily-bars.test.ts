import { describe, expect, it } from 'vitest';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { DAILY_WINDOW, baseloadKwh, buildDailyOption, dailyCsv, dailyRows } from './daily-bars';
import { total } from '../../charts/testing';

function seriesOf(opt: ReturnType<typeof buildDailyOption>) {
  const s = (Array.isArray(opt.series) ? opt.series : [opt.series]) as (BarSeriesOption | LineSeriesOption)[];
  return {
    bar: s.find((x) => x.type === 'bar') as BarSeriesOption,
    line: s.find((x) => x.type === 'line') as LineSeriesOption,
  };
}

describe('buildDailyOption', () => {
  const days = [
    total('2025-03-29', 100.25),
    total('2025-03-30', 90.5, { halfHours: 46, baseload: 0.8, completeness: 0.9, missing: 5 }),
    total('2025-03-31', 0, { baseload: null, completeness: 0, missing: 48 }),
  ];

  it('draws one bar per local day with the exact kWh, and the day labels on the axis', () => {
    const opt = buildDailyOption(days);
    const { bar } = seriesOf(opt);
    expect((bar.data as { value: number }[]).map((d) => d.value)).toEqual([100.25, 90.5, 0]);
    const x = Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis;
    expect(x).toMatchObject({ type: 'category', data: ['2025-03-29', '2025-03-30', '2025-03-31'] });
  });

  it('draws the baseload per day as its kW × the day’s hours (23 on the spring change)', () => {
    expect(baseloadKwh({ baseload: 0.8, halfHours: 46, kwh: 90.5 })).toBeCloseTo(18.4, 6);
    const { line } = seriesOf(buildDailyOption(days));
    expect(line.data).toEqual([12, 18.4, null]);
    expect(line.connectNulls).toBe(false);
  });

  it('never draws the baseload above the day’s kWh, and draws none on a day without one', () => {
    // 8 May 2020 in the Octopus file: one half-hour of 1.836 kWh (no baseload from the core: < 40 half-hours)
    const partial = total('2020-05-08', 1.836, { baseload: null, completeness: 1 / 48, missing: 47 });
    // a complete day whose baseload × 24 h would exceed what it used
    const high = total('2020-05-07', 30, { baseload: 3.675 });
    const { line, bar } = seriesOf(buildDailyOption([high, partial]));
    expect(line.data).toEqual([30, null]);
    const kwh = (bar.data as { value: number }[]).map((d) => d.value);
    (line.data as (number | null)[]).forEach((b, i) => b !== null && expect(b).toBeLessThanOrEqual(kwh[i]!));
  });

  it('pales incomplete days and zooms to the recent ones when there are many', () => {
    const { bar } = seriesOf(buildDailyOption(days));
    const colours = (bar.data as { itemStyle: { color: string } }[]).map((d) => d.itemStyle.color);
    expect(colours[0]).not.toBe(colours[1]);
    expect(buildDailyOption(days).dataZoom).toEqual([]);
    const many = Array.from({ length: 200 }, (_, i) => total(`2025-01-${String((i % 28) + 1).padStart(2, '0')}`, i));
    const zoom = buildDailyOption(many).dataZoom as { startValue: number }[];
    expect(zoom.length).toBe(2);
    expect(zoom[0]?.startValue).toBe(200 - DAILY_WINDOW);
  });

  it('exports the unrounded numbers', () => {
    const csv = dailyCsv(dailyRows(days));
    expect(csv.header).toEqual(['day', 'kwh', 'baseload_kwh', 'completeness']);
    expect(csv.rows[1]).toEqual(['2025-03-30', 90.5, 18.4, 0.9]);
  });
});
