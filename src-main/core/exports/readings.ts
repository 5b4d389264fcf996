/**
 * Readings and day totals as CSV rows, produced meter by meter and a month of days at a time through
 * the readings store, so an export of any size holds one meter-month in memory.
 * - long: one row per stored half-hour (meter, start UTC, start UK local, kWh, quality, gas volume);
 *   a half-hour never received has no row, a missing one a blank kWh.
 * - wide: one row per meter-day with a column per half-hour labelled by its UK local start
 *   (`00:00` … `23:30`, the autumn repeated hour's second occurrence as `01:00 (2nd)`, `01:30 (2nd)`),
 *   each followed by its flag: A actual, E estimated, M missing (blank kWh); a half-hour never
 *   received, or not on the clock that day, is blank with a blank flag.
 * Both layouts are ones the importer detects, so an export re-imports to the same readings.
 * - days: one row per stored meter-day with its total and counts (the day roll-ups).
 */
import { dateOfDay, dayStartUtc, isoDay } from '../../../src-shared/domain/periods';
import { isoUtc, londonOffset } from '../../../src-shared/domain/london-time';
import type { MeterRow } from '../meters/meter-service';
import type { ReadingsStore } from '../readings/store';
import { csvLine, numberCell, round, textCell, ukDateTime, type Row } from './csv';

/** Days read from the store at a time for one meter. */
const CHUNK_DAYS = 31;
const NOT_RECEIVED = 3;
const QUALITY = ['Actual', 'Estimated', 'Missing'] as const;
const FLAG = ['A', 'E', 'M'] as const;
const MAX_SLOTS = 50;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
/** `HH:MM` for each half-hour of a day, by minutes / 30. */
const CLOCK = Array.from({ length: 48 }, (_, k) => `${pad2(Math.floor(k / 2))}:${k % 2 ? '30' : '00'}`);

/** The header of the long layout. */
export const LONG_HEADER = ['Meter', 'Start (UTC)', 'Start (UK local)', 'kWh', 'Quality', 'Gas volume (m3)'];

/**
 * The wide layout's 50 half-hour columns by UK local start: `00:00` … `23:30`, with the autumn day's
 * repeated hour after its first occurrence as `01:00 (2nd)` and `01:30 (2nd)` (GMT, blank on other days).
 */
export const WIDE_SLOTS = [...CLOCK.slice(0, 4), '01:00 (2nd)', '01:30 (2nd)', ...CLOCK.slice(4)];

/** The header of the wide layout: meter, date, the day's half-hours, then `00:00`, `00:00 Flag` … `23:30 Flag`. */
export const WIDE_HEADER = ['Meter', 'Date', 'Half-hours', ...WIDE_SLOTS.map((t) => [t, `${t} Flag`]).flat()];

/**
 * The wide column of a day's k-th half-hour, on a day of n: the autumn day's 50 fill every column;
 * 48 skip the two repeated-hour columns; the spring day's 46 skip those and 01:00, 01:30 (no such times).
 */
function wideColumn(k: number, n: number): number {
  if (n === 50 || k < 2) return k;
  return n === 48 && k < 4 ? k : n === 48 ? k + 2 : k + 4;
}

/** The header of the day totals. */
export const DAYS_HEADER = [
  'Meter',
  'Date',
  'kWh',
  'Half-hours',
  'With value',
  'Estimated',
  'Missing',
  'Min kWh',
  'Max kWh',
  'Peak at (UTC)',
  'Peak at (UK local)',
];

/** A meter's stored days over [fromDay, toDay), a month at a time. */
function* monthsOf(store: ReadingsStore, meter: MeterRow, fromDay: number, toDay: number, volumes: boolean) {
  for (let d = fromDay; d < toDay; d += CHUNK_DAYS)
    yield store.readDays(meter.id, d, Math.min(d + CHUNK_DAYS, toDay), { volumes });
}

/** `DD/MM/YYYY` of a local day. */
function ukDate(day: number): string {
  const { y, m, d } = dateOfDay(day);
  return `${pad2(d)}/${pad2(m)}/${y}`;
}

/** `YYYY-MM-DDT` of UTC days, kept while one day's rows are written. */
class UtcDates {
  private day = NaN;
  private text = '';
  of(ts: number): string {
    const day = Math.floor(ts / 86400);
    if (day !== this.day) {
      this.day = day;
      this.text = new Date(day * 86400000).toISOString().slice(0, 11);
    }
    return this.text;
  }
}

/** The long layout's lines (header first) for `meters` over local days [fromDay, toDay). */
export function* readingsLong(
  store: ReadingsStore,
  meters: readonly MeterRow[],
  fromDay: number,
  toDay: number,
): Generator<Row> {
  yield csvLine(LONG_HEADER);
  const utc = new UtcDates();
  for (const meter of meters) {
    const id = textCell(meter.identifier) + ',';
    const gas = meter.fuel === 'gas';
    for (const v of monthsOf(store, meter, fromDay, toDay, gas)) {
      for (let i = 0; i < v.days.length; i++) {
        const start = dayStartUtc(v.days[i]!);
        const local = ukDate(v.days[i]!) + ' ';
        const a = v.offsets[i]!;
        const n = v.offsets[i + 1]! - a;
        const offset = londonOffset(start);
        let text = '';
        let rows = 0;
        for (let k = 0; k < n; k++) {
          const q = v.quality[a + k]!;
          if (q === NOT_RECEIVED) continue;
          const ts = start + k * 1800;
          const off = n === 48 ? offset : londonOffset(ts);
          const localSlot = (((ts + off) % 86400) / 1800) | 0;
          const utcSlot = ((ts % 86400) / 1800) | 0;
          const vol = gas ? numberCell(v.volumes![a + k]!) : '';
          text += `${id}${utc.of(ts)}${CLOCK[utcSlot]}:00Z,${local}${CLOCK[localSlot]},${numberCell(v.values[a + k]!)},${QUALITY[q]},${vol}\r\n`;
          rows++;
        }
        yield { text, rows };
      }
    }
  }
}

/** The wide layout's lines (header first) for `meters` over local days [fromDay, toDay). */
export function* readingsWide(
  store: ReadingsStore,
  meters: readonly MeterRow[],
  fromDay: number,
  toDay: number,
): Generator<Row> {
  yield csvLine(WIDE_HEADER);
  for (const meter of meters) {
    const id = textCell(meter.identifier) + ',';
    for (const v of monthsOf(store, meter, fromDay, toDay, false)) {
      for (let i = 0; i < v.days.length; i++) {
        const a = v.offsets[i]!;
        const n = v.offsets[i + 1]! - a;
        const cells = new Array<string>(MAX_SLOTS).fill(',,');
        for (let k = 0; k < n; k++) {
          const q = v.quality[a + k]!;
          if (q !== NOT_RECEIVED) cells[wideColumn(k, n)] = `,${numberCell(v.values[a + k]!)},${FLAG[q]}`;
        }
        const line = `${id}${isoDay(v.days[i]!)},${n}${cells.join('')}`;
        yield line + '\r\n';
      }
    }
  }
}

/** Day totals (header first) for `meters` over local days [fromDay, toDay), a year of days per meter at a time. */
export function* dayTotals(
  store: ReadingsStore,
  meters: readonly MeterRow[],
  fromDay: number,
  toDay: number,
): Generator<string> {
  yield csvLine(DAYS_HEADER);
  for (const meter of meters) {
    for (let d = fromDay; d < toDay; d += 366) {
      const s = store.summaries([meter.id], d, Math.min(d + 366, toDay));
      const order = Array.from({ length: s.count }, (_, i) => i).sort((x, y) => s.day[x]! - s.day[y]!);
      for (const i of order) {
        const peak = s.peakTs[i]!;
        yield csvLine([
          meter.identifier,
          isoDay(s.day[i]!),
          round(s.kwh[i]!),
          s.halfHours[i]!,
          s.present[i]!,
          s.estimated[i]!,
          s.missing[i]!,
          s.min[i]!,
          s.max[i]!,
          peak === peak ? isoUtc(peak) : '',
          peak === peak ? ukDateTime(peak) : '',
        ]);
      }
    }
  }
}
