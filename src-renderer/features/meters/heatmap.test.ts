import { describe, expect, it } from 'vitest';
import type { HeatmapSeriesOption } from 'echarts/charts';
import { SLOT_LABELS, buildHeatmapGrid, buildHeatmapOption, colourCeiling, heatmapCsv, londonSlot } from './heatmap';

const at = (y: number, mo: number, d: number, h: number, mi: number): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;

describe('londonSlot', () => {
  it('places UTC instants on the UK local day and half-hour', () => {
    expect(londonSlot(at(2025, 1, 15, 0, 0))).toEqual({ day: '2025-01-15', slot: 0 });
    expect(londonSlot(at(2025, 6, 15, 23, 30))).toEqual({ day: '2025-06-16', slot: 1 }); // 00:30 BST
    expect(londonSlot(at(2025, 6, 15, 7, 0))).toEqual({ day: '2025-06-15', slot: 16 }); // 08:00 BST
  });
});

describe('buildHeatmapGrid', () => {
  it('makes one cell per half-hour with the exact kWh, days on x and local half-hours on y', () => {
    const ts = Array.from({ length: 96 }, (_, i) => at(2025, 1, 15, 0, 0) + i * 1800);
    const kwh = ts.map((_, i) => i / 10);
    const g = buildHeatmapGrid({ ts, kwh });
    expect(g.days).toEqual(['2025-01-15', '2025-01-16']);
    expect(g.cells).toHaveLength(96);
    expect(g.cells[0]).toEqual([0, 0, 0]);
    expect(g.cells[49]).toEqual([1, 1, 4.9]);
    expect(g.max).toBeCloseTo(9.5, 9);
  });

  it('shifts summer readings by an hour, averages the repeated autumn hour and leaves the spring gap empty', () => {
    // 26 Oct 2025: 00:00–02:00 UTC covers 01:00 BST, 01:30 BST, 01:00 GMT, 01:30 GMT.
    const autumn = [0, 1, 2, 3].map((i) => at(2025, 10, 26, 0, 0) + i * 1800);
    const g = buildHeatmapGrid({ ts: autumn, kwh: [1, 2, 3, 4] });
    expect(g.cells).toEqual([
      [0, 2, 2],
      [0, 3, 3],
    ]);
    expect(g.doubled).toBe(2);
    // 30 Mar 2025: 01:00 UTC is 02:00 BST; no cell at 01:00 or 01:30.
    const spring = buildHeatmapGrid({ ts: [at(2025, 3, 30, 0, 30), at(2025, 3, 30, 1, 0)], kwh: [1, 2] });
    expect(spring.cells).toEqual([
      [0, 1, 1],
      [0, 4, 2],
    ]);
  });

  it('keeps days without readings as empty columns and skips missing half-hours', () => {
    const g = buildHeatmapGrid({
      ts: [at(2025, 1, 1, 12, 0), at(2025, 1, 3, 12, 0), at(2025, 1, 3, 12, 30)],
      kwh: [1, 2, null],
    });
    expect(g.days).toEqual(['2025-01-01', '2025-01-02', '2025-01-03']);
    expect(g.cells).toEqual([
      [0, 24, 1],
      [2, 24, 2],
    ]);
  });
});

describe('buildHeatmapOption', () => {
  it('has 48 half-hour rows from 00:00 to 23:30, a colour scale and every cell', () => {
    const ts = Array.from({ length: 48 * 3 }, (_, i) => at(2025, 1, 15, 0, 0) + i * 1800);
    const g = buildHeatmapGrid({ ts, kwh: ts.map((_, i) => i % 48) });
    const opt = buildHeatmapOption(g);
    const y = Array.isArray(opt.yAxis) ? opt.yAxis[0] : opt.yAxis;
    expect((y as { data: string[] }).data).toEqual(SLOT_LABELS);
    expect(SLOT_LABELS[0]).toBe('00:00');
    expect(SLOT_LABELS[47]).toBe('23:30');
    const s = (Array.isArray(opt.series) ? opt.series[0] : opt.series) as HeatmapSeriesOption;
    expect(s.type).toBe('heatmap');
    expect(s.data).toHaveLength(144);
    const vm = Array.isArray(opt.visualMap) ? opt.visualMap[0] : opt.visualMap;
    expect(vm).toMatchObject({ min: 0, max: 47 });
  });

  it('caps the colour scale at the 99th percentile and exports a day × half-hour table', () => {
    const cells: [number, number, number][] = Array.from({ length: 200 }, (_, i) => [0, i % 48, i === 0 ? 1000 : 1]);
    expect(colourCeiling(cells)).toBe(1);
    const csv = heatmapCsv({ days: ['2025-01-01'], cells: [[0, 3, 1.25]], doubled: 0, min: 1.25, max: 1.25 });
    expect(csv.header.slice(0, 3)).toEqual(['day', '00:00', '00:30']);
    expect(csv.rows[0]?.[4]).toBe(1.25);
    expect(csv.rows[0]?.[1]).toBeNull();
  });
});
