import { describe, expect, it } from 'vitest';
import type { LineSeriesOption } from 'echarts/charts';
import { axisLabel, buildHalfHourlyOption, seriesStats, toPoints, tooltipText } from './half-hourly-line';

// 26 Oct 2025: the autumn clock change (01:00 BST = 00:00 UTC; 01:00 GMT = 01:00 UTC).
const T0 = Date.UTC(2025, 9, 25, 21, 0) / 1000; // 22:00 BST on 25 Oct
const hh = (i: number): number => T0 + i * 1800;

function sample() {
  const ts = Array.from({ length: 12 }, (_, i) => hh(i));
  const kwh: (number | null)[] = ts.map((_, i) => Math.round((0.5 + i * 0.1) * 10) / 10);
  kwh[4] = null; // a stored missing half-hour
  return { meter: '1012477457919', ts, kwh };
}

function lineSeries(opt: ReturnType<typeof buildHalfHourlyOption>): LineSeriesOption {
  const s = opt.series;
  const first = Array.isArray(s) ? s[0] : s;
  if (!first || first.type !== 'line') throw new Error('expected one line series');
  return first as LineSeriesOption;
}

describe('buildHalfHourlyOption', () => {
  it('plots one point per half-hour on a time axis, in epoch milliseconds', () => {
    const series = sample();
    const opt = buildHalfHourlyOption(series);
    const line = lineSeries(opt);
    const data = line.data as [number, number | null][];
    expect(data).toHaveLength(12);
    expect(data[0]).toEqual([hh(0) * 1000, 0.5]);
    expect(data[11]?.[0]).toBe(hh(11) * 1000);
    const xAxis = Array.isArray(opt.xAxis) ? opt.xAxis[0] : opt.xAxis;
    expect(xAxis?.type).toBe('time');
  });

  it('draws missing half-hours as gaps, not joined lines', () => {
    const opt = buildHalfHourlyOption(sample());
    const line = lineSeries(opt);
    expect(line.connectNulls).toBe(false);
    expect((line.data as [number, number | null][])[4]).toEqual([hh(4) * 1000, null]);
  });

  it('inserts a null where half-hours are absent from the series', () => {
    const { points, gapsInserted } = toPoints({ ts: [hh(0), hh(1), hh(5), hh(6)], kwh: [1, 2, 3, 4] });
    expect(gapsInserted).toBe(1);
    expect(points).toEqual([
      [hh(0) * 1000, 1],
      [hh(1) * 1000, 2],
      [hh(2) * 1000, null],
      [hh(5) * 1000, 3],
      [hh(6) * 1000, 4],
    ]);
  });

  it('samples with LTTB for display and zooms with a slider and inside the plot', () => {
    const opt = buildHalfHourlyOption(sample());
    expect(lineSeries(opt).sampling).toBe('lttb');
    const zooms = (Array.isArray(opt.dataZoom) ? opt.dataZoom : [opt.dataZoom]).map((z) => z?.type);
    expect(zooms).toEqual(expect.arrayContaining(['inside', 'slider']));
    const toolbox = Array.isArray(opt.toolbox) ? opt.toolbox[0] : opt.toolbox;
    expect(toolbox?.feature?.saveAsImage).toBeTruthy();
  });

  it('labels the axis and tooltip in UK local time, telling the repeated hour apart', () => {
    expect(axisLabel(Date.UTC(2025, 9, 26, 0, 30))).toBe('01:30');
    expect(axisLabel(Date.UTC(2025, 9, 26, 1, 30))).toBe('01:30');
    expect(axisLabel(Date.UTC(2025, 9, 25, 23, 0))).toBe('26 Oct');
    // A day tick at UTC midnight in summer is 01:00 in London: labelled with its London date.
    expect(axisLabel(Date.UTC(2025, 5, 7, 0, 0), 'day')).toBe('7 Jun');
    expect(axisLabel(Date.UTC(2025, 2, 1, 0, 0), 'month')).toBe('Mar');
    expect(axisLabel(Date.UTC(2025, 6, 1, 0, 30), 'hour')).toBe('01:30');
    expect(tooltipText([{ value: [Date.UTC(2025, 9, 26, 0, 30), 1.2] }])).toContain('26 Oct 2025 01:30 BST');
    expect(tooltipText([{ value: [Date.UTC(2025, 9, 26, 1, 30), null] }])).toContain('GMT');
    expect(tooltipText([{ value: [Date.UTC(2025, 9, 26, 1, 30), null] }])).toContain('no reading');
  });

  it('opens on a focus window (its last half-hour the one before its end) with the instant marked', () => {
    const from = hh(2) * 1000;
    const to = hh(8) * 1000;
    const opt = buildHalfHourlyOption(sample(), { fromMs: from, toMs: to, markMs: hh(4) * 1000 });
    const zooms = (Array.isArray(opt.dataZoom) ? opt.dataZoom : [opt.dataZoom]) as {
      startValue?: number;
      endValue?: number;
    }[];
    expect(zooms).toHaveLength(2);
    for (const z of zooms) expect([z.startValue, z.endValue]).toEqual([from, hh(7) * 1000]);
    // the half-hours out of view are left out, so LTTB samples (and the kWh axis scales to) the window
    expect(zooms.map((z) => (z as { filterMode?: string }).filterMode)).toEqual(['filter', 'filter']);
    const mark = lineSeries(opt).markLine as { data: { xAxis: number }[] };
    expect(mark.data).toEqual([{ xAxis: hh(4) * 1000 }]);
    // without a focus: the whole history, nothing marked
    const plain = buildHalfHourlyOption(sample());
    const plainZooms = (Array.isArray(plain.dataZoom) ? plain.dataZoom : [plain.dataZoom]) as { startValue?: number }[];
    expect(plainZooms.every((z) => z.startValue === undefined)).toBe(true);
    expect(lineSeries(plain).markLine).toBeUndefined();
  });

  it('handles an empty series', () => {
    const opt = buildHalfHourlyOption({ meter: 'x', ts: [], kwh: [] });
    expect(lineSeries(opt).data).toEqual([]);
  });
});

describe('seriesStats', () => {
  it('counts, totals and finds the peak, skipping missing half-hours', () => {
    const s = seriesStats(sample());
    expect(s.count).toBe(12);
    expect(s.missing).toBe(1);
    expect(s.totalKwh).toBeCloseTo(12.6 - 0.9, 6);
    expect(s.peak).toEqual({ ts: hh(11), kwh: 1.6 });
    expect(s.from).toBe(hh(0));
    expect(s.to).toBe(hh(12));
  });
});
