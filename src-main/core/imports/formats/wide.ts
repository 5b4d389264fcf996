/**
 * "Wide" files: one row per meter per day with a column per half-hour (48; 46 or 50 on clock-change
 * days). Slot columns are recognised by pattern:
 * - labelled by interval start (`00:00`…`23:30`, `H0000`, `hr0000`, `12:00 AM`) or by interval end
 *   (`00:30`…`24:00`, `[00:30]`, `H0030`…`H2400`, `30,100,…,2400`) — local wall-clock times, or
 *   UTC when the date column says so (`Date (UTC)`). Start labels may add the autumn repeated hour's
 *   second (GMT) occurrence as `01:00 (2nd)` and `01:30 (2nd)` (as the app's wide export does);
 *   without them the repeated hour is its first occurrence;
 * - numbered (`1`…`50`, `HH1`…`HH50`, `kWh_1`…): settlement periods, i.e. the n-th half-hour
 *   elapsed since local midnight, so 46 or 50 of them fill a clock-change day exactly.
 * Per-slot quality columns (`Flag`, `00:00 Flag`, `DQ Flag`, `Type`, `Est`, `ReadTypeHH1`) are read
 * when present: there an empty cell with an empty flag was never sent and gives no reading, while an
 * empty cell with a flag (`M`) is a missing half-hour; without flag columns an empty cell is missing.
 * Site names, addresses and postcodes are kept (sites.ts); other columns (totals, kVArh) are ignored.
 */
import { resolveLondon } from '../../../../src-shared/domain/london-time';
import type { CsvRecord } from '../csv';
import { parseWallClock } from '../timestamp';
import { blankAt, bytesEqual, decimalAt, qualityAt } from './bytes';
import { findCol, normaliseHeader } from './headers';
import { siteCells } from './sites';
import type { MeterRef, RecordReader, RowSink, Unit } from './types';
import { unitFromText } from './values';

const METER = [
  'mpan',
  'mpancore',
  'mpanmprnspid',
  'mpanmprn',
  'mpr',
  'mprn',
  'meterpoint',
  'm1code1',
  'supplyid',
  'supplynumber',
  'meternumber',
  'meterid',
  'metercode',
  'msn',
  'meterserialnumber',
  'meter',
  'channel',
  'id',
];
const DATE = [
  'date',
  'readingdate',
  'readdate',
  'readdateuk',
  'consumptiondate',
  'settlementdate',
  'settdate',
  'dateofreading',
  'day',
  'dateutc',
  'reportdate',
];
const UNITS = ['units', 'unit', 'uom', 'reportingunit'];
const ROW_KIND = ['description', 'measurementtype', 'datatype', 'measurementquantityid', 'type'];
const FLAG = /^(flag|dqflag|type|est|estimated|status|quality|readtype|actualorestimate)$/;

interface Slot {
  col: number;
  /** Minutes after midnight of the interval START (time-labelled slots), or -1. */
  startMin: number;
  /** Settlement period number (numbered slots), or -1. */
  period: number;
  flagCol: number;
  /** The autumn repeated hour's second (GMT) occurrence (`01:00 (2nd)`), blank on other days. */
  second: boolean;
}

/** Minutes after midnight for a time label, or -1: `00:30`, `[00:30]`, `00:30:00`, `H0030`, `hr0030`, `12:30 AM`. */
function timeLabel(h: string): number {
  const t = h.trim().replace(/^\[|\]$/g, '');
  let m = /^(?:h|hr)?(\d{1,2}):?(\d{2})(?::00)?$/i.exec(t);
  if (m && (/:/.test(t) || /^h/i.test(t))) {
    const v = +m[1]! * 60 + +m[2]!;
    return v <= 1440 && +m[2]! % 30 === 0 ? v : -1;
  }
  m = /^(\d{1,2}):(\d{2})\s*([AP]M)$/i.exec(t);
  if (m) {
    let hh = +m[1]! % 12;
    if (m[3]!.toUpperCase() === 'PM') hh += 12;
    return hh * 60 + +m[2]!;
  }
  return -1;
}

/** Minutes after midnight for a repeated-hour label (`01:00 (2nd)`, `01:30 (2nd)`), or -1. */
function secondLabel(h: string): number {
  const m = /^(01:[03]0) \(2nd\)$/i.exec(h.trim());
  return m ? timeLabel(m[1]!) : -1;
}

/** Period number for a numbered label (`1`, `HH1`, `kWh_1`, `Consumption(KWh) HH1`, `Period 1`), or -1. */
function periodLabel(h: string): { n: number; family: string } | null {
  // the number is the whole digit run at the end (`kWh_123` is not period 23)
  const m = /^(.*?\D)?(\d{1,2})$/.exec(h.trim());
  if (!m) return null;
  const n = +m[2]!;
  const family = (m[1] ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (n < 1 || n > 50) return null;
  if (
    family !== '' &&
    !/(hh|kwh|period|sp|consumption|halfhour|value|reading)$/.test(family) &&
    !/^(kwh|hh|consumptionkwhhh)/.test(family)
  )
    return null;
  return { n, family };
}

/** HMM numbers (`30,100,130,…,2400`, E.ON): end labels written without a colon. */
function hmmLabels(headers: string[]): number[] | null {
  const cols: number[] = [];
  for (let i = 0; i < headers.length; i++) if (/^\d{2,4}$/.test(headers[i]!.trim())) cols.push(i);
  if (cols.length < 46) return null;
  const first = +headers[cols[0]!]!.trim();
  return first === 30 ? cols : null;
}

export function tryWide(
  headers: string[],
  headerLine: number,
  delimiter: string,
  fixedMeter: string | null,
): RecordReader | null {
  const norm = headers.map(normaliseHeader);
  const slots: Slot[] = [];
  // 1. time-labelled columns
  const seconds = headers.map(secondLabel);
  const times = headers.map((h, i) => (seconds[i]! >= 0 ? seconds[i]! : timeLabel(h)));
  const hmm = hmmLabels(headers);
  let timeCols = times.map((t, i) => (t >= 0 ? i : -1)).filter((i) => i >= 0);
  if (hmm) timeCols = hmm;
  let endLabelled = false;
  if (timeCols.length >= 46) {
    const mins = hmm
      ? hmm.map((i) => Math.floor(+headers[i]!.trim() / 100) * 60 + (+headers[i]!.trim() % 100))
      : timeCols.map((i) => times[i]!);
    // end-labelled: the first slot is 00:30 (and the last 24:00 or 00:00)
    endLabelled = mins[0] === 30;
    timeCols.forEach((col, k) => {
      let start = mins[k]! - (endLabelled ? 30 : 0);
      if (endLabelled && mins[k] === 0 && k > 0) start = 1410; // `…,23:30,00:00` closes the day
      slots.push({ col, startMin: start, period: -1, flagCol: -1, second: seconds[col]! >= 0 });
    });
  } else {
    // 2. numbered columns: the largest family of 1..n labels (kWh_ over kVArh_)
    const fams = new Map<string, { n: number; col: number }[]>();
    headers.forEach((h, col) => {
      const p = periodLabel(h);
      if (p) fams.set(p.family, [...(fams.get(p.family) ?? []), { n: p.n, col }]);
    });
    let best: { n: number; col: number }[] = [];
    for (const [fam, list] of fams) {
      if (/kvarh|reactive/.test(fam)) continue;
      if (list.length > best.length) best = list;
    }
    if (best.length < 46) return null;
    for (const { n, col } of best) slots.push({ col, startMin: -1, period: n, flagCol: -1, second: false });
  }
  const slotCols = new Set(slots.map((s) => s.col));
  // per-slot flags: the column after a slot (`00:00 Flag`, `DQ Flag`, `Type`) or before it (`ReadTypeHH1`)
  for (const s of slots) {
    const next = norm[s.col + 1];
    const prev = norm[s.col - 1];
    if (
      next !== undefined &&
      !slotCols.has(s.col + 1) &&
      FLAG.test(next.replace(/^\d+(2nd)?/, '').replace(/^(hh|h)?\d+/, ''))
    )
      s.flagCol = s.col + 1;
    else if (prev !== undefined && !slotCols.has(s.col - 1) && /^readtype/.test(prev)) s.flagCol = s.col - 1;
  }
  const taken = [...slotCols, ...slots.map((s) => s.flagCol).filter((c) => c >= 0)];
  const meterCol = findCol(norm, METER, taken);
  const dateCol = findCol(norm, DATE, [...taken, meterCol]);
  if ((meterCol === -1 && !fixedMeter) || dateCol === -1) return null;
  const utc = /utc|gmt/.test(norm[dateCol]!);
  const unitCol = findCol(norm, UNITS, [...taken, meterCol, dateCol]);
  const kindCol = findCol(norm, ROW_KIND, [...taken, meterCol, dateCol, unitCol]);
  const sites = siteCells(norm, [...taken, meterCol, dateCol, unitCol, kindCol]);
  const headerUnit = slots.length ? unitFromText(headers[slots[0]!.col]!) : null;
  const need = Math.max(...slots.map((s) => s.col), meterCol, dateCol) + 1;
  const format = slots[0]!.period > 0 ? 'wide-periods' : endLabelled ? 'wide-end-times' : 'wide-start-times';

  let lastMeter: { bytes: Uint8Array; n: number; ref: MeterRef } | null = null;
  const meterOf = (rec: CsvRecord, sink: RowSink): MeterRef | null => {
    if (meterCol === -1) return sink.meter(fixedMeter!, rec.line, 0);
    const a = rec.start[meterCol]!;
    const b = rec.end[meterCol]!;
    if (lastMeter && bytesEqual(rec.buf, a, b, lastMeter.bytes, lastMeter.n)) return lastMeter.ref;
    const ref = sink.meter(rec.text(meterCol).trim(), rec.line, meterCol + 1);
    lastMeter = ref ? { bytes: Uint8Array.from(rec.buf.subarray(a, b)), n: b - a, ref } : null;
    return ref;
  };

  return {
    kind: 'records',
    format,
    headerLine,
    delimiter,
    parse(rec, sink) {
      const ln = rec.line;
      // reactive-power rows (kVArh) are not consumption: skip them quietly
      if (kindCol !== -1 && kindCol < rec.n && /reactive|kvarh/i.test(rec.text(kindCol))) return;
      // a row with fewer slot columns is fine as long as the meter and date are there
      if (rec.n < need && rec.n <= Math.max(meterCol, dateCol)) {
        sink.reject(ln, undefined, undefined, `Expected ${need} columns, found ${rec.n}`);
        return;
      }
      let unit: Unit = headerUnit ?? 'kwh';
      if (unitCol !== -1) {
        const cell = rec.text(unitCol);
        if (/kvarh|kva\b/i.test(cell)) return;
        unit = unitFromText(cell) ?? unit;
      }
      const meter = meterOf(rec, sink);
      if (!meter) return;
      sites?.read(rec, meter, sink);
      const rawDate = rec.text(dateCol).trim();
      const wc = parseWallClock(rawDate);
      if (!wc || wc.h !== 0 || wc.mi !== 0) {
        sink.reject(
          ln,
          dateCol + 1,
          rawDate,
          `${headers[dateCol]} "${rawDate.slice(0, 40)}" is not a date; expected e.g. 26/10/2025 or 2025-10-26`,
        );
        return;
      }
      const { y, mo, d } = wc;
      const n = utc ? 48 : sink.dayHalfHours(y, mo, d);
      const midnight = utc ? Date.UTC(y, mo - 1, d) / 1000 : sink.dayStart(y, mo, d);
      const buf = rec.buf;
      for (const s of slots) {
        const present = s.col < rec.n;
        const a = present ? rec.start[s.col]! : 0;
        const b = present ? rec.end[s.col]! : 0;
        const blank = !present || blankAt(buf, a, b);
        const flagged = s.flagCol >= 0 && s.flagCol < rec.n;
        // with per-slot flags, an empty cell whose flag is empty too was never sent (no reading);
        // an empty cell flagged (M, Missing) is a half-hour the source reports as missing
        if (blank && s.flagCol >= 0 && (!flagged || blankAt(buf, rec.start[s.flagCol]!, rec.end[s.flagCol]!))) continue;
        const q = flagged ? qualityAt(buf, rec.start[s.flagCol]!, rec.end[s.flagCol]!) : 0;
        let ts: number;
        if (s.second) {
          // the repeated hour's second occurrence exists only on the autumn day
          if (utc || n !== 50) {
            if (!blank)
              sink.reject(
                ln,
                s.col + 1,
                rec.text(s.col),
                `${headers[s.col]!.trim()} exists only on the day the clocks go back, not on ${rawDate}`,
              );
            continue;
          }
          const r = resolveLondon(y, mo, d, Math.floor(s.startMin / 60), s.startMin % 60);
          if (r.kind !== 'ambiguous') continue;
          ts = r.second;
        } else if (s.period > 0) {
          if (s.period > n) {
            if (!blank)
              sink.reject(
                ln,
                s.col + 1,
                rec.text(s.col),
                `Settlement period ${s.period} does not exist on ${rawDate}, which has ${n} half-hours`,
              );
            continue;
          }
          ts = midnight + (s.period - 1) * 1800;
        } else if (utc || n === 48) {
          ts = midnight + s.startMin * 60;
        } else {
          const h = Math.floor(s.startMin / 60);
          const mi = s.startMin % 60;
          // the skipped spring hour has no half-hours: an empty cell there is expected
          if (blank && n === 46 && h === 1) continue;
          // 48 wall-clock columns on a 50-half-hour day: the repeated hour's label means its first
          // (BST) occurrence — the file has no column for the second one.
          const r = resolveLondon(y, mo, d, h, mi);
          if (r.kind === 'nonexistent') {
            sink.reject(
              ln,
              s.col + 1,
              rec.text(s.col),
              `${headers[s.col]!.trim()} does not exist on ${rawDate} (the clocks go forward that night), but the file gives it a value`,
            );
            continue;
          }
          ts = r.kind === 'ok' ? r.utc : r.first;
        }
        if (unit === 'kwh' && present) {
          const v = decimalAt(buf, a, b);
          if (v === v) {
            sink.kwhValue(meter, ts, v, q, ln, s.col + 1);
            continue;
          }
        }
        sink.reading(meter, ts, present ? rec.text(s.col) : undefined, unit, q, ln, s.col + 1);
      }
    },
  };
}
