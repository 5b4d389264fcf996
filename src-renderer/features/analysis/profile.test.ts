import { describe, expect, it } from 'vitest';
import type { LineSeriesOption } from 'echarts/charts';
import { buildProfileOption, clock, openRuns, openRunsText, profileCsv, profileEmpty } from './profile';

/** Open from `from` to `to` (HH:MM, half-hour steps), as 48 slots. */
function slots(...ranges: [string, string][]): boolean[] {
  const minute = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return Array.from({ length: 48 }, (_, k) => ranges.some(([a, b]) => k * 30 >= minute(a) && k * 30 < minute(b)));
}

describe('openRuns', () => {
  it('turns open slots into minute ranges', () => {
    expect(openRuns(slots(['08:00', '18:00']))).toEqual([[480, 1080]]);
    expect(openRuns(slots(['08:00', '12:00'], ['13:00', '17:30']))).toEqual([
      [480, 720],
      [780, 1050],
    ]);
    expect(openRuns(slots(['00:00', '24:00']))).toEqual([[0, 1440]]);
    expect(openRuns(slots())).toEqual([]);
  });

  it('says them in words', () => {
    expect(openRunsText(slots(['08:00', '18:00']))).toBe('08:00–18:00');
    expect(openRunsText(slots(['08:00', '12:00'], ['13:00', '17:30'], ['19:00', '21:00']))).toBe(
      '08:00–12:00, 13:00–17:30 and 19:00–21:00',
    );
    expect(openRunsText(slots())).toBeNull();
    expect(clock(1440)).toBe('24:00');
  });
});

describe('buildProfileOption', () => {
  const open = Array.from({ length: 48 }, (_, k) => (k >= 16 && k < 36 ? 3 : 1));
  const closed: (number | null)[] = Array.from({ length: 48 }, () => 0.9);
  closed[10] = null;
  const profile = { open, closed, openSlots: slots(['08:00', '18:00']) };

  it('draws each mean at the middle of its half-hour and breaks the line where there is none', () => {
    const s = buildProfileOption(profile).series as LineSeriesOption[];
    expect(s).toHaveLength(2);
    const o = s[0]!.data as [number, number][];
    expect(o[0]).toEqual([15, 1]);
    expect(o[16]).toEqual([8 * 60 + 15, 3]);
    expect(o[47]).toEqual([23 * 60 + 45, 1]);
    expect((s[1]!.data as [number, number | null][])[10]).toEqual([315, null]);
    expect(s[1]!.connectNulls).toBe(false);
  });

  it('shades exactly the open hours', () => {
    const s = buildProfileOption(profile).series as LineSeriesOption[];
    expect(s[0]!.markArea?.data).toEqual([[{ xAxis: 480 }, { xAxis: 1080 }]]);
    // the shaded span holds exactly the open slots' points
    const inside = (s[0]!.data as [number, number][]).filter(([x]) => x > 480 && x < 1080).length;
    expect(inside).toBe(profile.openSlots.filter(Boolean).length);
  });

  it('knows when there is nothing to draw, and exports every slot', () => {
    expect(profileEmpty(profile)).toBe(false);
    expect(profileEmpty({ open: Array(48).fill(null), closed: Array(48).fill(null), openSlots: slots() })).toBe(true);
    const csv = profileCsv(profile);
    expect(csv.rows).toHaveLength(48);
    expect(csv.rows[16]).toEqual(['08:00', 3, 0.9, 'yes']);
    expect(csv.rows[10]).toEqual(['05:00', 1, null, 'no']);
  });
});
