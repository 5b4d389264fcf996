import { describe, expect, it } from 'vitest';
import { bandStrip, priceColour, slotText } from './band-strip';
import { BUSINESS, E7 } from './testing';

describe('band strip', () => {
  it('draws Economy 7 as one row for every day and bank holidays, night cells cheap', () => {
    const s = bandStrip(E7.rates!);
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]!.label).toBe('Every day & bank holidays');
    expect(s.rows[0]!.dayTypes).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const cells = s.rows[0]!.cells;
    expect(cells).toHaveLength(48);
    expect(cells[0]).toBe(1); // 00:00–00:30 is day rate (07:30–00:30)
    expect(cells[1]).toBe(0); // 00:30 night
    expect(cells[14]).toBe(0); // 07:00 night
    expect(cells[15]).toBe(1); // 07:30 day
    expect(cells.filter((c) => c === 0)).toHaveLength(14);
    expect(s.legend.map((l) => l.pence)).toEqual([13.1, 31.9]);
    expect(s.colours[0]).toBe(priceColour(13.1, [13.1, 31.9]));
    expect(s.holidays).toBe(true);
  });

  it('groups day types priced alike: Mon–Fri, then weekend & bank holidays', () => {
    const s = bandStrip(BUSINESS.rates!);
    expect(s.rows.map((r) => r.label)).toEqual(['Mon–Fri', 'Sat, Sun & bank holidays']);
    const weekday = s.rows[0]!.cells;
    expect(weekday[32]).toBe(0); // 16:00 peak
    expect(weekday[38]).toBe(2); // 19:00 second day window
    expect(weekday[46]).toBe(3); // 23:00 night
    expect(new Set(s.rows[1]!.cells)).toEqual(new Set([4]));
    // same name at the same price is one legend entry with its name
    expect(s.legend).toHaveLength(4);
    expect(s.legend.find((l) => l.pence === 25)?.name).toBe('Weekday day');
  });

  it('leaves holidays out when the rates do not name them, and marks gaps with -1', () => {
    const s = bandStrip([
      { pencePerKwh: 10, from: '00:00', to: '12:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
    ]);
    expect(s.holidays).toBe(false);
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]!.label).toBe('Every day');
    expect(s.rows[0]!.cells[23]).toBe(0);
    expect(s.rows[0]!.cells[24]).toBe(-1);
  });

  it('colours the cheapest price green and the dearest red', () => {
    expect(priceColour(5, [5, 10, 20])).toMatch(/^hsl\(142,/);
    expect(priceColour(20, [5, 10, 20])).toMatch(/^hsl\(0,/);
    expect(priceColour(10, [10])).toBe(priceColour(99, [99]));
    expect(slotText(15)).toBe('07:30–08:00');
    expect(slotText(47)).toBe('23:30–24:00');
  });
});
