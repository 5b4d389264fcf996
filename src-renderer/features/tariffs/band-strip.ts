/** The 24-hour band strip of a list of rates: half-hour cells per group of days, coloured by price, a legend. Pure. */
import { DAY_KEYS, compileRates, type RateSpec } from '../../../src-shared/domain/tariff-spec';
import { daysText } from './text';

export interface StripRow {
  /** "Mon–Fri", "Sat–Sun", "Every day", "Bank holidays"… */
  label: string;
  /** Day types 0–6 (Mon–Sun) and 7 (bank holiday) drawn by this row. */
  dayTypes: number[];
  /** 48 half-hours: the index of the rate in force, -1 where no rate covers the half-hour. */
  cells: number[];
}

export interface StripLegend {
  pence: number;
  colour: string;
  /** The band's name when every rate at this price shares one, else "". */
  name: string;
}

export interface BandStrip {
  rows: StripRow[];
  /** Colour of each rate, by rate index. */
  colours: string[];
  legend: StripLegend[];
  /** Whether the rates name bank holidays (if not, a holiday is priced as its weekday). */
  holidays: boolean;
}

/** Cheapest green → dearest red, evenly spaced over the distinct prices. */
export function priceColour(pence: number, distinct: readonly number[]): string {
  const sorted = [...new Set(distinct)].sort((a, b) => a - b);
  if (sorted.length <= 1) return 'hsl(174, 72%, 32%)';
  const i = Math.max(0, sorted.indexOf(pence));
  const t = i / (sorted.length - 1);
  const hue = Math.round(142 * (1 - t));
  return `hsl(${hue}, 68%, ${40 + Math.round(6 * Math.sin(Math.PI * t))}%)`;
}

function groupLabel(dayTypes: number[]): string {
  const days = dayTypes.map((d) => DAY_KEYS[d]!);
  const week = days.filter((d) => d !== 'holiday');
  const holiday = days.includes('holiday');
  if (week.length === 0) return 'Bank holidays';
  const text = week.length === 7 ? 'Every day' : daysText(week, { holidaysPriced: false });
  const label = text.charAt(0).toUpperCase() + text.slice(1);
  return holiday ? `${label} & bank holidays` : label;
}

/**
 * The 24-hour band strip of a list of rates: one row per group of day types priced alike (in week
 * order, bank holidays last), 48 half-hour cells each holding the rate index, plus a colour per rate
 * and a legend per distinct price.
 */
export function bandStrip(rates: readonly RateSpec[]): BandStrip {
  const c = compileRates(rates);
  const rowOf = (d: number) => Array.from(c.table.subarray(d * 48, d * 48 + 48));
  const dayTypes = c.holidays ? [0, 1, 2, 3, 4, 5, 6, 7] : [0, 1, 2, 3, 4, 5, 6];
  const groups: { dayTypes: number[]; cells: number[] }[] = [];
  for (const d of dayTypes) {
    const cells = rowOf(d);
    const same = groups.find((g) => g.cells.every((x, i) => x === cells[i]));
    if (same) same.dayTypes.push(d);
    else groups.push({ dayTypes: [d], cells });
  }
  const prices = rates.map((r) => r.pencePerKwh);
  const colours = prices.map((p) => priceColour(p, prices));
  const legend: StripLegend[] = [...new Set(prices)]
    .sort((a, b) => a - b)
    .map((p) => {
      const names = new Set(rates.filter((r) => r.pencePerKwh === p).map((r) => r.name ?? ''));
      const only = names.size === 1 ? [...names][0]! : '';
      return { pence: p, colour: priceColour(p, prices), name: only };
    });
  return {
    rows: groups.map((g) => ({ label: groupLabel(g.dayTypes), dayTypes: g.dayTypes, cells: g.cells })),
    colours,
    legend,
    holidays: c.holidays,
  };
}

/** "07:30–08:00" for half-hour slot 15. */
export function slotText(slot: number): string {
  const a = slot * 30;
  const b = a + 30;
  const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${f(a)}–${f(b)}`;
}
