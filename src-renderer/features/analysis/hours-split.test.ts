import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import type { AnalysisDay } from '../../../src-shared/contract/types';
import { SPLIT_PARTS, buildSplitOption, rowLabel, splitCsv, splitRows } from './hours-split';

function day(date: string, inH: number, out: number, weekend = 0, holiday = 0): AnalysisDay {
  return {
    date,
    kwh: inH + out + weekend + holiday,
    inHoursKwh: inH,
    outOfHoursKwh: out,
    weekendKwh: weekend,
    holidayKwh: holiday,
    expected: 48,
    present: 48,
    estimated: 0,
    baseloadKw: 1,
    peakKw: 5,
    kind: holiday ? 'holiday' : weekend ? 'weekend' : 'open',
  };
}

// Thu 1 May 2025 to Tue 6 May 2025 (Mon 5 May is the early May bank holiday)
const DAYS = [
  day('2025-05-01', 30, 10),
  day('2025-05-02', 28, 12),
  day('2025-05-03', 0, 0, 20),
  day('2025-05-04', 0, 0, 18),
  day('2025-05-05', 0, 0, 0, 22),
  day('2025-05-06', 31, 9),
];

const bars = (opt: ReturnType<typeof buildSplitOption>) =>
  (Array.isArray(opt.series) ? opt.series : [opt.series]) as BarSeriesOption[];

describe('splitRows', () => {
  it('keeps one row per day', () => {
    const rows = splitRows(DAYS, false);
    expect(rows.map((r) => r.start)).toEqual(DAYS.map((d) => d.date));
    expect(rows[4]).toMatchObject({ holidayKwh: 22, kwh: 22, holidays: 1 });
  });

  it('sums days into ISO weeks from Monday, counting the days of each in the range', () => {
    const rows = splitRows(DAYS, true);
    // Thu 1 – Sun 4 May is week from Mon 28 Apr; Mon 5 – Tue 6 May the next
    expect(rows.map((r) => [r.start, r.last, r.days])).toEqual([
      ['2025-04-28', '2025-05-04', 4],
      ['2025-05-05', '2025-05-06', 2],
    ]);
    expect(rows[0]).toMatchObject({ inHoursKwh: 58, outOfHoursKwh: 22, weekendKwh: 38, holidayKwh: 0, kwh: 118 });
    expect(rows[1]).toMatchObject({ inHoursKwh: 31, outOfHoursKwh: 9, holidayKwh: 22, kwh: 62, holidays: 1 });
    // every kWh is in exactly one row
    const total = DAYS.reduce((s, d) => s + d.kwh, 0);
    expect(rows.reduce((s, r) => s + r.kwh, 0)).toBe(total);
  });

  it('labels days and weeks for people', () => {
    const [w] = splitRows(DAYS, true);
    expect(rowLabel(w!, true)).toBe('28 Apr – 4 May 2025');
    expect(rowLabel(splitRows(DAYS, false)[0]!, false)).toBe('Thu 1 May 2025');
  });
});

describe('buildSplitOption', () => {
  it('stacks the four parts in one stack, in hours at the bottom', () => {
    const rows = splitRows(DAYS, false);
    const s = bars(buildSplitOption(rows, false));
    expect(s.map((x) => x.name)).toEqual(['In hours', 'Out of hours', 'Weekend', 'Holiday']);
    expect(new Set(s.map((x) => x.stack))).toEqual(new Set(['split']));
    expect(s[0]!.data).toEqual([30, 28, 0, 0, 0, 31]);
    expect(s[2]!.data).toEqual([0, 0, 20, 18, 0, 0]);
    // the stack of each bar is the day's kWh
    DAYS.forEach((d, i) => expect(s.reduce((t, x) => t + (x.data![i] as number), 0)).toBe(d.kwh));
    expect(SPLIT_PARTS.map((p) => p.colour).length).toBe(new Set(SPLIT_PARTS.map((p) => p.colour)).size);
  });

  it('says what each part was in the tooltip, with its share', () => {
    const rows = splitRows(DAYS, false);
    const tip = (buildSplitOption(rows, false).tooltip as { formatter: (p: unknown) => string }).formatter;
    const text = tip([{ dataIndex: 0 }]);
    expect(text).toContain('Thu 1 May 2025');
    expect(text).toContain('Out of hours: <b>10 kWh</b> (25 %)');
    expect(tip([{ dataIndex: 4 }])).toContain('holiday');
  });

  it('zooms only when there are many bars', () => {
    const few = buildSplitOption(splitRows(DAYS, false), false);
    expect(few.dataZoom).toEqual([]);
    const many = Array.from({ length: 200 }, (_, i) =>
      day(new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10), 1, 1),
    );
    expect((buildSplitOption(splitRows(many, false), false).dataZoom as unknown[]).length).toBe(2);
  });
});

describe('splitCsv', () => {
  it('exports unrounded figures, with the last day of each week', () => {
    const csv = splitCsv(splitRows(DAYS, true), true);
    expect(csv.header).toEqual([
      'week_from',
      'week_last_day_in_range',
      'in_hours_kwh',
      'out_of_hours_kwh',
      'weekend_kwh',
      'holiday_kwh',
      'total_kwh',
    ]);
    expect(csv.rows[1]).toEqual(['2025-05-05', '2025-05-06', 31, 9, 0, 22, 62]);
    expect(splitCsv(splitRows(DAYS, false), false).header[0]).toBe('day');
  });
});
