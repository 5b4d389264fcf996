/**
 * Row-per-reading formats: one meter half-hour per row.
 * - long: meter id, timestamp, kWh (+ optional quality) — also Low Carbon London
 *   (`LCLid,stdorToU,DateTime,KWH/hh (per half hour) `) and smart-meter CSV exports with no meter
 *   column when the user names the meter (Octopus dashboard: `Consumption (kWh), Start, End`).
 * - settlement: meter id, settlement date, settlement period 1–50 (`MPANCore,Sett Date,Sett Period,…`).
 * Timestamps are interval starts, except columns that name a read time or an interval end
 * (`ReadDatetime`, `End`, `Interval End`), which are interval ends.
 */
import { splitCsv } from '../csv';
import { parseWallClock } from '../timestamp';
import { findCol, normaliseHeader } from './headers';
import type { LineReader, MeterRef, RowSink, Unit } from './types';
import { parseQuality, unitFromText } from './values';

const METER = ['mpan', 'mpancore', 'mpr', 'mprn', 'metercode', 'meter', 'meterid', 'meterpoint', 'meterpointid', 'mpxn', 'mpanmprn', 'mpanmprnspid', 'supplyid', 'lclid', 'meterserial', 'serial', 'msn', 'meternumber', 'channel'];
const FULL_TIMESTAMP = ['timestamp', 'datetime', 'readdatetime', 'readingdatetime', 'intervalstart', 'start', 'startdatetime', 'datetimeutc', 'periodstart', 'tstp', 'intervalend', 'end', 'enddatetime', 'periodend', 'readingtimestamp', 'starttime', 'time'];
const DATE_ONLY = ['date', 'readdate', 'readingdate', 'day'];
const TIME_ONLY = ['time', 'readtime', 'readingtime', 'starttime', 'endtime'];
/** Columns whose time marks the END of the half-hour: a meter read at 00:30 covers 00:00–00:30. */
const END_LABELS = new Set(['readdatetime', 'readingdatetime', 'intervalend', 'end', 'endtime', 'enddatetime', 'periodend', 'readingtime', 'readtime', 'readingtimestamp']);
const KWH = ['kwh', 'consumption', 'consumptionkwh', 'consumptionm3', 'consumptionwh', 'energykwh', 'kwhhh', 'kwhhhperhalfhour', 'energykwhhh', 'energyconsumption', 'value', 'reading', 'usage', 'usagekwh', 'meterread', 'meterconsumption', 'primaryvalue', 'energy', 'wh', 'energywh', 'volume', 'volumem3', 'energymkwh', 'consumptionkwhh'];
const QUALITY = ['quality', 'readtype', 'dataquality', 'type', 'flag', 'dqflag', 'est', 'estimated', 'actualorestimate', 'status', 'readingtype'];
const SETT_DATE = ['settdate', 'settlementdate', 'date', 'readdate', 'readingdate', 'day'];
const SETT_PERIOD = ['settperiod', 'settlementperiod', 'period', 'sp', 'hh', 'halfhour', 'periodnumber'];
const UNITS = ['units', 'unit', 'uom', 'reportingunit'];

interface Common {
  delimiter: string;
  headerLine: number;
  headers: string[];
  meterCol: number;
  kwhCol: number;
  qualityCol: number;
  unitCol: number;
  unit: Unit;
  fixedMeter: string | null;
}

const timeOnly = /^\s*\d{1,2}:\d{2}(:\d{2})?\s*$/;

export function tryLong(headers: string[], headerLine: number, delimiter: string, fixedMeter: string | null): LineReader | null {
  const norm = headers.map(normaliseHeader);
  const meterCol = findCol(norm, METER);
  if (meterCol === -1 && !fixedMeter) return null;
  const kwhCol = findCol(norm, KWH, [meterCol]);
  const unitCol = findCol(norm, UNITS, [meterCol, kwhCol]);
  const qualityCol = findCol(norm, QUALITY, [meterCol, kwhCol, unitCol]);
  if (kwhCol === -1) return null;
  const unit = unitFromText(headers[kwhCol]!) ?? 'kwh';

  // settlement-period style: a date and a period number
  const periodCol = findCol(norm, SETT_PERIOD, [meterCol, kwhCol]);
  const sdateCol = findCol(norm, SETT_DATE, [meterCol, kwhCol, periodCol]);
  const common: Common = { delimiter, headerLine, headers, meterCol, kwhCol, qualityCol, unitCol, unit, fixedMeter };
  if (periodCol !== -1 && sdateCol !== -1) return settlementReader(common, sdateCol, periodCol);

  // A full timestamp column (prefer starts over ends when a file has both, e.g. Octopus Start/End) …
  let tsCol = -1;
  for (const a of FULL_TIMESTAMP) {
    const i = norm.indexOf(a);
    if (i !== -1 && i !== meterCol && i !== kwhCol) {
      tsCol = i;
      break;
    }
  }
  // … or a date column with a separate time column (`ReadingDate,ReadTime`) …
  let timeCol = -1;
  if (tsCol === -1) {
    const d = findCol(norm, DATE_ONLY, [meterCol, kwhCol]);
    const t = findCol(norm, TIME_ONLY, [meterCol, kwhCol, d]);
    if (d !== -1 && t !== -1) {
      tsCol = d;
      timeCol = t;
    }
  }
  // … or any column that looks like one.
  if (tsCol === -1) tsCol = findCol(norm, FULL_TIMESTAMP, [meterCol, kwhCol]);
  if (tsCol === -1) return null;
  const endLabelled = END_LABELS.has(norm[timeCol !== -1 ? timeCol : tsCol]!);
  const lcl = norm[meterCol] === 'lclid';
  return longReader(common, tsCol, timeCol, endLabelled, lcl ? 'lcl' : fixedMeter && meterCol === -1 ? 'smart-csv' : 'long');
}

function meterOf(c: Common, f: string[], line: number, sink: RowSink): MeterRef | null {
  if (c.meterCol === -1) return sink.meter(c.fixedMeter!, line, 0);
  return sink.meter(f[c.meterCol]!.trim(), line, c.meterCol + 1);
}

function unitOf(c: Common, f: string[], cell: string | null = null): Unit {
  if (c.unitCol === -1) return c.unit;
  return unitFromText(cell ?? f[c.unitCol] ?? '') ?? c.unit;
}

/**
 * Parses an unsigned decimal like `1.25` or `0.969` from line[a, b) without allocating; NaN when
 * the text is anything else (signs, exponents, spaces and long numbers take the general path).
 * mantissa / 10^k with both exact is correctly rounded, so the result equals Number(text).
 */
function fastDecimal(line: string, a: number, b: number): number {
  if (b - a === 0 || b - a > 15) return NaN;
  let mant = 0;
  let scale = 1;
  let dot = false;
  for (let i = a; i < b; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      if (dot) scale *= 10;
    } else if (c === 46 && !dot) dot = true;
    else return NaN;
  }
  return mant / scale;
}

function longReader(c: Common, tsCol: number, timeCol: number, endLabelled: boolean, format: string): LineReader {
  const need = Math.max(c.meterCol, tsCol, c.kwhCol, timeCol) + 1;
  const tsName = c.headers[tsCol] ?? 'timestamp';
  // optional columns (quality, units) are scanned too, but a row may end before them
  const scan = Math.max(need, c.qualityCol + 1, c.unitCol + 1);
  const starts = new Int32Array(scan + 1);
  const ends = new Int32Array(scan + 1);
  // The previous row's meter and UTC day, compared in place: most rows repeat both.
  let lastMeterRaw = '';
  let lastMeter: MeterRef | null = null;
  let lastDay = '';
  let lastDayEpoch = 0;

  /** Slow path: any shape of timestamp (local time, offsets, UK dates). */
  const slowTs = (rawTs: string, meter: MeterRef, ln: number, sink: RowSink): number | null => {
    const wc = parseWallClock(rawTs);
    if (!wc || (timeCol === -1 && timeOnly.test(rawTs))) {
      sink.reject(ln, tsCol + 1, rawTs, `${tsName} "${rawTs.trim().slice(0, 40)}" is not a date-time; expected ISO 8601 (2025-01-01T00:30:00Z) or DD/MM/YYYY HH:MM`);
      return null;
    }
    if (wc.offset !== null) return Date.UTC(wc.y, wc.mo - 1, wc.d, wc.h, wc.mi, wc.s) / 1000 - wc.offset * 60;
    if (wc.s !== 0) {
      sink.reject(ln, tsCol + 1, rawTs, `${rawTs.trim()} is not the start of a half-hour (expected :00 or :30 past the hour)`);
      return null;
    }
    return sink.local(meter, wc.y, wc.mo, wc.d, wc.h, wc.mi, ln, tsCol + 1, rawTs);
  };

  return {
    kind: 'lines',
    format,
    headerLine: c.headerLine,
    delimiter: c.delimiter,
    parse(line, ln, sink) {
      let f: string[] | null = null;
      if (line.indexOf('"') === -1) {
        // field boundaries without splitting: no per-row strings on the common path
        let pos = 0;
        let k = 0;
        for (; k < scan; k++) {
          starts[k] = pos;
          const d = line.indexOf(c.delimiter, pos);
          if (d === -1) {
            ends[k] = line.length;
            k++;
            break;
          }
          ends[k] = d;
          pos = d + 1;
        }
        for (let j = k; j < scan; j++) starts[j] = ends[j] = line.length;
        if (k < need) {
          sink.reject(ln, undefined, undefined, `expected at least ${need} columns, found ${k}`);
          return;
        }
      } else {
        f = splitCsv(line, c.delimiter);
        if (f.length < need) {
          sink.reject(ln, undefined, undefined, `expected at least ${need} columns, found ${f.length}`);
          return;
        }
      }
      const field = (i: number): string => (f ? f[i]! : line.slice(starts[i]!, ends[i]!));

      // meter
      let meter: MeterRef | null;
      if (c.meterCol === -1) meter = sink.meter(c.fixedMeter!, ln, 0);
      else if (!f && lastMeter && ends[c.meterCol]! - starts[c.meterCol]! === lastMeterRaw.length && line.startsWith(lastMeterRaw, starts[c.meterCol])) meter = lastMeter;
      else {
        const raw = field(c.meterCol).trim();
        meter = sink.meter(raw, ln, c.meterCol + 1);
        if (meter && !f) {
          lastMeterRaw = line.slice(starts[c.meterCol]!, ends[c.meterCol]!);
          lastMeter = meter;
        }
      }
      if (!meter) return;

      // timestamp: UTC ISO `YYYY-MM-DDTHH:MM:SSZ` read in place, else the general parser
      let ts = -1;
      if (!f && timeCol === -1 && ends[tsCol]! - starts[tsCol]! === 20) {
        const a = starts[tsCol]!;
        if (line.charCodeAt(a + 19) === 90 && line.charCodeAt(a + 10) === 84 && line.charCodeAt(a + 13) === 58 && line.charCodeAt(a + 16) === 58) {
          if (!(lastDay.length === 10 && line.startsWith(lastDay, a))) {
            const day = line.slice(a, a + 10);
            const e = Date.parse(`${day}T00:00:00Z`);
            if (!Number.isNaN(e) && /^\d{4}-\d{2}-\d{2}$/.test(day)) {
              lastDay = day;
              lastDayEpoch = e / 1000;
            } else lastDay = '';
          }
          if (lastDay !== '') {
            const h = (line.charCodeAt(a + 11) - 48) * 10 + line.charCodeAt(a + 12) - 48;
            const mi = (line.charCodeAt(a + 14) - 48) * 10 + line.charCodeAt(a + 15) - 48;
            const sec = (line.charCodeAt(a + 17) - 48) * 10 + line.charCodeAt(a + 18) - 48;
            if (h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60) ts = lastDayEpoch + h * 3600 + mi * 60 + sec;
          }
        }
      }
      let rawTs = '';
      if (ts < 0) {
        rawTs = timeCol === -1 ? field(tsCol) : `${field(tsCol).trim()} ${field(timeCol).trim()}`;
        const r = slowTs(rawTs, meter, ln, sink);
        if (r === null) return;
        ts = r;
      }
      if (endLabelled) ts -= 1800;
      if (ts % 1800 !== 0) {
        if (!rawTs) rawTs = field(tsCol);
        sink.reject(ln, tsCol + 1, rawTs, `${rawTs.trim()} is not on a half-hour boundary (expected :00 or :30 past the hour)`);
        return;
      }

      // quality and value
      let q = 0;
      if (c.qualityCol !== -1) {
        if (f) q = parseQuality(f[c.qualityCol]);
        else {
          const qc = line.charCodeAt(starts[c.qualityCol]!);
          q = (qc | 0x20) === 101 ? 1 : qc === 32 || qc === 34 ? parseQuality(field(c.qualityCol)) : 0;
        }
      }
      const unit = unitOf(c, f ?? [], c.unitCol === -1 ? null : field(c.unitCol));
      if (!f && unit === 'kwh') {
        const v = fastDecimal(line, starts[c.kwhCol]!, ends[c.kwhCol]!);
        if (v === v) {
          sink.kwhValue(meter, ts, v, q, ln, c.kwhCol + 1);
          return;
        }
      }
      sink.reading(meter, ts, field(c.kwhCol), unit, q, ln, c.kwhCol + 1);
    },
  };
}

function settlementReader(c: Common, dateCol: number, periodCol: number): LineReader {
  const need = Math.max(c.meterCol, dateCol, periodCol, c.kwhCol) + 1;
  return {
    kind: 'lines',
    format: 'settlement',
    headerLine: c.headerLine,
    delimiter: c.delimiter,
    parse(line, ln, sink) {
      const f = line.indexOf('"') === -1 ? line.split(c.delimiter) : splitCsv(line, c.delimiter);
      if (f.length < need) {
        sink.reject(ln, undefined, undefined, `expected at least ${need} columns, found ${f.length}`);
        return;
      }
      const meter = meterOf(c, f, ln, sink);
      if (!meter) return;
      const wc = parseWallClock(f[dateCol]!);
      if (!wc) {
        sink.reject(ln, dateCol + 1, f[dateCol], `${c.headers[dateCol]} "${f[dateCol]!.trim().slice(0, 40)}" is not a date; expected DD/MM/YYYY or YYYY-MM-DD`);
        return;
      }
      const p = Number(f[periodCol]!.trim());
      const n = sink.dayHalfHours(wc.y, wc.mo, wc.d);
      if (!Number.isInteger(p) || p < 1 || p > n) {
        sink.reject(ln, periodCol + 1, f[periodCol], `settlement period "${f[periodCol]!.trim()}" is not between 1 and ${n} (${n} periods on ${f[dateCol]!.trim()})`);
        return;
      }
      const ts = sink.dayStart(wc.y, wc.mo, wc.d) + (p - 1) * 1800;
      sink.reading(meter, ts, f[c.kwhCol], unitOf(c, f), c.qualityCol === -1 ? 0 : parseQuality(f[c.qualityCol]), ln, c.kwhCol + 1);
    },
  };
}
