import { describe, expect, it } from 'vitest';
import type { HeatmapSeriesOption } from 'echarts/charts';
import { COMPLETENESS_PIECES, WEEKDAYS, buildCalendarOption, calendarGrid } from './quality-calendar';

const d = (date: string, present: number, expected = 48, estimated = 0) => ({ date, expected, present, estimated });

// Sat 29 Mar 2025 to Tue 1 Apr 2025; Sun 30 Mar is the spring clock change (46 half-hours)
const DAYS = [d('2025-03-29', 48), d('2025-03-30', 23, 46), d('2025-03-31', 0), d('2025-04-01', 47, 48, 5)];

describe('calendarGrid', () => {
  it('puts each day in its ISO week’s column and its weekday’s row', () => {
    const g = calendarGrid(DAYS);
    expect(g.weeks).toEqual(['2025-03-24', '2025-03-31']);
    expect(g.cells.map((c) => [c.date, c.week, WEEKDAYS[c.weekday]])).toEqual([
      ['2025-03-29', 0, 'Sat'],
      ['2025-03-30', 0, 'Sun'],
      ['2025-03-31', 1, 'Mon'],
      ['2025-04-01', 1, 'Tue'],
    ]);
  });

  it('colours by present ÷ expected (the clock change’s 46 half-hours count)', () => {
    const g = calendarGrid(DAYS);
    expect(g.cells.map((c) => c.completeness)).toEqual([1, 0.5, 0, 47 / 48]);
    expect(g.cells[3]).toMatchObject({ estimated: 5, present: 47 });
  });

  it('lists every week between the first and last, and is empty without days', () => {
    const g = calendarGrid([d('2025-01-01', 48), d('2025-01-29', 48)]);
    expect(g.weeks).toEqual(['2024-12-30', '2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27']);
    expect(calendarGrid([])).toEqual({ weeks: [], cells: [] });
  });
});

describe('COMPLETENESS_PIECES', () => {
  it('puts every share from 0 to 1 in exactly one band', () => {
    const inPiece = (p: (typeof COMPLETENESS_PIECES)[number], v: number): boolean =>
      ('gte' in p ? v >= p.gte : true) &&
      ('gt' in p ? v > p.gt : true) &&
      ('lt' in p ? v < p.lt : true) &&
      ('lte' in p ? v <= p.lte : true);
    for (let i = 0; i <= 1000; i++) {
      const v = i / 1000;
      expect(COMPLETENESS_PIECES.filter((p) => inPiece(p, v)).length).toBe(1);
    }
    expect(COMPLETENESS_PIECES.find((p) => inPiece(p, 1))?.label).toBe('All half-hours');
    expect(COMPLETENESS_PIECES.find((p) => inPiece(p, 0))?.label).toBe('None');
    expect(COMPLETENESS_PIECES.find((p) => inPiece(p, 47 / 48))?.label).toBe('90 % or more');
  });
});

describe('buildCalendarOption', () => {
  it('draws one cell per day, weeks across and weekdays down from Monday', () => {
    const g = calendarGrid(DAYS);
    const opt = buildCalendarOption(g);
    const s = (Array.isArray(opt.series) ? opt.series[0] : opt.series) as HeatmapSeriesOption;
    expect(s.data).toEqual([
      [0, 5, 1],
      [0, 6, 0.5],
      [1, 0, 0],
      [1, 1, 47 / 48],
    ]);
    const y = Array.isArray(opt.yAxis) ? opt.yAxis[0] : opt.yAxis;
    expect(y).toMatchObject({ data: WEEKDAYS, inverse: true });
    expect(opt.dataZoom).toEqual([]);
  });

  it('says the counts in the tooltip', () => {
    const opt = buildCalendarOption(calendarGrid(DAYS));
    const tip = (opt.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(tip({ dataIndex: 1 })).toContain('23 of 46 half-hours');
    expect(tip({ dataIndex: 3 })).toContain('5 half-hours estimated');
    expect(tip({ dataIndex: 0 })).toContain('Sat 29 Mar 2025');
  });
});
