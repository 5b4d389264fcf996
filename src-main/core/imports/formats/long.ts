/**
 * Row-per-reading formats: one meter half-hour per row.
 * - long: meter id, timestamp, kWh (+ optional quality) — also Low Carbon London
 *   (`LCLid,stdorToU,DateTime,KWH/hh (per half hour) `) and smart-meter CSV exports with no meter
 *   column when the user names the meter (Octopus dashboard: `Consumption (kWh), Start, End`).
 * - settlement: meter id, settlement date, settlement period 1–50 (`MPANCore,Sett Date,Sett Period,…`).
 * Timestamps are interval starts, except columns that name a read time or an interval end
 * (`ReadDatetime`, `End`, `Interval End`), which are interval ends. Site names, addresses and
 * postcodes are kept (sites.ts).
 */
import type { CsvRecord } from '../csv';
import { parseWallClock } from '../timestamp';
import {
  bytesEqual,
  DateMemo,
  decimalAt,
  decimalFrom,
  lastDecimal,
  qualityAt,
  timestampAt,
  timestampFrom,
  type TsParts,
} from './bytes';
import { findCol, normaliseHeader } from './headers';
import { siteCells, type SiteCells } from './sites';
import type { MeterRef, RecordReader, RowSink, Unit } from './types';
import { unitFromText } from './values';

const METER = [
  'mpan',
  'mpancore',
  'mpr',
  'mprn',
  'metercode',
  'meter',
  'meterid',
  'meterpoint',
  'meterpointid',
  'mpxn',
  'mpanmprn',
  'mpanmprnspid',
  'supplyid',
  'lclid',
  'meterserial',
  'serial',
  'msn',
  'meternumber',
  'channel',
];
const FULL_TIMESTAMP = [
  'timestamp',
  'datetime',
  'readdatetime',
  'readingdatetime',
  'intervalstart',
  'start',
  'startdatetime',
  'datetimeutc',
  'periodstart',
  'tstp',
  'intervalend',
  'end',
  'enddatetime',
  'periodend',
  'readingtimestamp',
  'starttime',
  'time',
];
const DATE_ONLY = ['date', 'readdate', 'readingdate', 'day'];
const TIME_ONLY = ['time', 'readtime', 'readingtime', 'starttime', 'endtime'];
/** Columns whose time marks the END of the half-hour: a meter read at 00:30 covers 00:00–00:30. */
const END_LABELS = new Set([
  'readdatetime',
  'readingdatetime',
  'intervalend',
  'end',
  'endtime',
  'enddatetime',
  'periodend',
  'readingtime',
  'readtime',
  'readingtimestamp',
]);
const KWH = [
  'kwh',
  'consumption',
  'consumptionkwh',
  'consumptionm3',
  'consumptionwh',
  'energykwh',
  'kwhhh',
  'kwhhhperhalfhour',
  'energykwhhh',
  'energyconsumption',
  'value',
  'reading',
  'usage',
  'usagekwh',
  'meterread',
  'meterconsumption',
  'primaryvalue',
  'energy',
  'wh',
  'energywh',
  'volume',
  'volumem3',
  'energymkwh',
  'consumptionkwhh',
];
const QUALITY = [
  'quality',
  'readtype',
  'dataquality',
  'type',
  'flag',
  'dqflag',
  'est',
  'estimated',
  'actualorestimate',
  'status',
  'readingtype',
];
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
  sites: SiteCells | null;
}

const timeOnly = /^\s*\d{1,2}:\d{2}(:\d{2})?\s*$/;

export function tryLong(
  headers: string[],
  headerLine: number,
  delimiter: string,
  fixedMeter: string | null,
): RecordReader | null {
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
  const common: Common = {
    delimiter,
    headerLine,
    headers,
    meterCol,
    kwhCol,
    qualityCol,
    unitCol,
    unit,
    fixedMeter,
    sites: null,
  };
  if (periodCol !== -1 && sdateCol !== -1) {
    common.sites = siteCells(norm, [meterCol, kwhCol, unitCol, qualityCol, periodCol, sdateCol]);
    return settlementReader(common, sdateCol, periodCol);
  }

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
  common.sites = siteCells(norm, [meterCol, kwhCol, unitCol, qualityCol, tsCol, timeCol]);
  const lcl = norm[meterCol] === 'lclid';
  return longReader(
    common,
    tsCol,
    timeCol,
    endLabelled,
    lcl ? 'lcl' : fixedMeter && meterCol === -1 ? 'smart-csv' : 'long',
  );
}

/** The meter of a record: the fixed one, or the meter column's (its bytes compared with the previous row's first). */
class MeterCell {
  /** The last meter cell's bytes (n of them) and what it resolved to. */
  bytes = new Uint8Array(32);
  n = -1;
  ref: MeterRef | null = null;

  constructor(private readonly c: Common) {}

  of(rec: CsvRecord, sink: RowSink): MeterRef | null {
    const c = this.c;
    if (c.meterCol === -1) return (this.ref ??= sink.meter(c.fixedMeter!, rec.line, 0));
    const a = rec.start[c.meterCol]!;
    const b = rec.end[c.meterCol]!;
    if (this.ref && !rec.escaped[c.meterCol] && bytesEqual(rec.buf, a, b, this.bytes, this.n)) return this.ref;
    const ref = sink.meter(rec.text(c.meterCol).trim(), rec.line, c.meterCol + 1);
    if (ref && b - a <= this.bytes.length) {
      this.bytes.set(rec.buf.subarray(a, b));
      this.n = b - a;
      this.ref = ref;
    } else this.ref = null;
    return ref;
  }
}

/** A record's unit: the file's, or a Units column's (the last cell's bytes remembered). */
class UnitCell {
  private bytes = new Uint8Array(32);
  private n = -1;
  private unit: Unit;

  constructor(private readonly c: Common) {
    this.unit = c.unit;
  }

  of(rec: CsvRecord): Unit {
    const c = this.c;
    if (c.unitCol === -1) return c.unit;
    if (c.unitCol >= rec.n) return c.unit;
    const a = rec.start[c.unitCol]!;
    const b = rec.end[c.unitCol]!;
    if (bytesEqual(rec.buf, a, b, this.bytes, this.n)) return this.unit;
    this.unit = unitFromText(rec.text(c.unitCol)) ?? c.unit;
    if (b - a <= this.bytes.length) {
      this.bytes.set(rec.buf.subarray(a, b));
      this.n = b - a;
    } else this.n = -1;
    return this.unit;
  }
}

/** Rejects a record with too few columns; true when it has enough. */
function enoughColumns(rec: CsvRecord, need: number, sink: RowSink): boolean {
  if (rec.n >= need) return true;
  sink.reject(rec.line, undefined, undefined, `Expected at least ${need} columns, found ${rec.n}`);
  return false;
}

function longReader(c: Common, tsCol: number, timeCol: number, endLabelled: boolean, format: string): RecordReader {
  const need = Math.max(c.meterCol, tsCol, c.kwhCol, timeCol) + 1;
  const tsName = c.headers[tsCol] ?? 'timestamp';
  const meters = new MeterCell(c);
  const units = new UnitCell(c);
  const parts: TsParts = { kind: 'utc', utc: 0, y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0 };
  const utcDays = new Map<number, number>();

  /** Any shape of timestamp (offsets, UK dates, month names…), from its text. */
  const slowTs = (rawTs: string, meter: MeterRef, ln: number, sink: RowSink): number | null => {
    const wc = parseWallClock(rawTs);
    if (!wc || (timeCol === -1 && timeOnly.test(rawTs))) {
      sink.reject(
        ln,
        tsCol + 1,
        rawTs,
        `${tsName} "${rawTs.trim().slice(0, 40)}" is not a date-time; expected ISO 8601 (2025-01-01T00:30:00Z) or DD/MM/YYYY HH:MM`,
      );
      return null;
    }
    if (wc.offset !== null) return Date.UTC(wc.y, wc.mo - 1, wc.d, wc.h, wc.mi, wc.s) / 1000 - wc.offset * 60;
    return local(wc.y, wc.mo, wc.d, wc.h, wc.mi, wc.s, meter, ln, sink, () => rawTs);
  };

  const local = (
    y: number,
    mo: number,
    d: number,
    h: number,
    mi: number,
    sec: number,
    meter: MeterRef,
    ln: number,
    sink: RowSink,
    raw: () => string,
  ): number | null => {
    if (sec !== 0) {
      sink.reject(
        ln,
        tsCol + 1,
        raw(),
        `${raw().trim()} is not the start of a half-hour (expected :00 or :30 past the hour)`,
      );
      return null;
    }
    const t = sink.local(meter, y, mo, d, h, mi);
    if (t !== t) {
      sink.reject(
        ln,
        tsCol + 1,
        raw(),
        `${raw().trim()} does not exist in UK time (the clocks go forward that night); give the time with an offset or in UTC`,
      );
      return null;
    }
    return t;
  };

  return {
    kind: 'records',
    format,
    headerLine: c.headerLine,
    delimiter: c.delimiter,
    fastPath(sink) {
      // the commonest lines: a meter already seen, a full timestamp, a plain kWh decimal, no quotes
      if (timeCol !== -1 || c.unitCol !== -1 || c.unit !== 'kwh' || c.delimiter.length !== 1) return null;
      const delim = c.delimiter.charCodeAt(0);
      const last = Math.max(c.meterCol, tsCol, c.kwhCol, c.qualityCol);
      const role = new Uint8Array(last + 1); // 0 other, 1 meter, 2 timestamp, 3 kWh, 4 quality
      if (c.meterCol >= 0) role[c.meterCol] = 1;
      role[tsCol] = 2;
      role[c.kwhCol] = 3;
      if (c.qualityCol >= 0) role[c.qualityCol] = 4;
      const kwhColumn = c.kwhCol + 1;
      const memo = new DateMemo();
      const resolve = (meter: MeterRef): number => {
        if (parts.kind === 'utc') return parts.utc;
        if (parts.s !== 0) return NaN;
        return sink.local(meter, parts.y, parts.mo, parts.d, parts.h, parts.mi);
      };
      if (c.meterCol === 0 && tsCol === 1 && c.kwhCol === 2 && (c.qualityCol === 3 || c.qualityCol === -1)) {
        // the commonest layout of all (meter, timestamp, kWh[, quality]): one straight pass
        const withQuality = c.qualityCol === 3;
        return (buf, pos, end, ln) => {
          const meter = meters.ref;
          if (!meter) return -1;
          const n = meters.n;
          const bytes = meters.bytes;
          if (pos + n >= end) return -1;
          for (let j = 0; j < n; j++) if (buf[pos + j] !== bytes[j]) return -1;
          let p = pos + n;
          if (buf[p] !== delim) return -1;
          p = timestampFrom(buf, p + 1, end, parts, memo);
          if (p < 0 || buf[p] !== delim) return -1;
          p = decimalFrom(buf, p + 1, end);
          if (p < 0) return -1;
          const v = lastDecimal.value;
          let q = 0;
          let ch = buf[p];
          if (withQuality) {
            if (ch !== delim) return -1;
            p++;
            q = qualityAt(buf, p, p + 1);
            for (; p < end; p++) {
              ch = buf[p];
              if (ch === 10) break;
              if (ch === 34) return -1;
            }
          } else if (ch !== 10 && ch !== 13 && ch !== delim) return -1;
          for (; p < end; p++) {
            ch = buf[p];
            if (ch === 10) break;
            if (ch === 34) return -1;
          }
          if (p >= end) return -1;
          let ts = resolve(meter);
          if (ts !== ts) return -1;
          if (endLabelled) ts -= 1800;
          if (ts % 1800 !== 0) return -1;
          sink.kwhValue(meter, ts, v, q, ln, kwhColumn);
          return p;
        };
      }
      return (buf, pos, end, ln) => {
        const meter = meters.ref;
        if (!meter) return -1;
        let v = NaN;
        let q = 0;
        let p = pos;
        let stamped = false;
        for (let f = 0; f <= last; f++) {
          const r = role[f];
          if (r === 1) {
            const n = meters.n;
            if (p + n >= end) return -1;
            const bytes = meters.bytes;
            for (let j = 0; j < n; j++) if (buf[p + j] !== bytes[j]) return -1;
            p += n;
          } else if (r === 2) {
            p = timestampFrom(buf, p, end, parts, memo);
            if (p < 0) return -1;
            stamped = true;
          } else if (r === 3) {
            p = decimalFrom(buf, p, end);
            if (p < 0) return -1;
            v = lastDecimal.value;
          } else {
            if (r === 4) q = qualityAt(buf, p, p + 1);
            for (; p < end; p++) {
              const ch = buf[p];
              if (ch === delim || ch === 10 || ch === 13) break;
              if (ch === 34) return -1;
            }
          }
          // each field ends at the delimiter (the last one read may also end the line)
          const ch = buf[p];
          if (ch === delim) p++;
          else if (f < last || (ch !== 10 && ch !== 13)) return -1;
        }
        for (; p < end; p++) {
          const ch = buf[p];
          if (ch === 10) break;
          if (ch === 34) return -1;
        }
        if (p >= end || !stamped) return -1;
        let ts = resolve(meter);
        if (ts !== ts) return -1;
        if (endLabelled) ts -= 1800;
        if (ts % 1800 !== 0) return -1;
        sink.kwhValue(meter, ts, v, q, ln, kwhColumn);
        return p;
      };
    },
    parse(rec, sink) {
      if (!enoughColumns(rec, need, sink)) return;
      const ln = rec.line;
      const meter = meters.of(rec, sink);
      if (!meter) return;
      c.sites?.read(rec, meter, sink);
      const buf = rec.buf;
      const tsText = (): string => rec.text(tsCol);

      // timestamp: the common shapes read from the bytes, anything else by the general parser
      let ts: number | null;
      let raw: string | null = null;
      if (
        timeCol === -1 &&
        !rec.escaped[tsCol] &&
        timestampAt(buf, rec.start[tsCol]!, rec.end[tsCol]!, parts, utcDays)
      ) {
        ts =
          parts.kind === 'utc'
            ? parts.utc
            : local(parts.y, parts.mo, parts.d, parts.h, parts.mi, parts.s, meter, ln, sink, tsText);
      } else {
        raw = timeCol === -1 ? tsText() : `${tsText().trim()} ${rec.text(timeCol).trim()}`;
        ts = slowTs(raw, meter, ln, sink);
      }
      if (ts === null) return;
      if (endLabelled) ts -= 1800;
      if (ts % 1800 !== 0) {
        raw ??= tsText();
        sink.reject(
          ln,
          tsCol + 1,
          raw,
          `${raw.trim()} is not on a half-hour boundary (expected :00 or :30 past the hour)`,
        );
        return;
      }

      // quality and value
      const q =
        c.qualityCol !== -1 && c.qualityCol < rec.n
          ? qualityAt(buf, rec.start[c.qualityCol]!, rec.end[c.qualityCol]!)
          : 0;
      const unit = units.of(rec);
      if (unit === 'kwh') {
        const v = decimalAt(buf, rec.start[c.kwhCol]!, rec.end[c.kwhCol]!);
        if (v === v) {
          sink.kwhValue(meter, ts, v, q, ln, c.kwhCol + 1);
          return;
        }
      }
      sink.reading(meter, ts, rec.text(c.kwhCol), unit, q, ln, c.kwhCol + 1);
    },
  };
}

function settlementReader(c: Common, dateCol: number, periodCol: number): RecordReader {
  const need = Math.max(c.meterCol, dateCol, periodCol, c.kwhCol) + 1;
  const meters = new MeterCell(c);
  const units = new UnitCell(c);
  return {
    kind: 'records',
    format: 'settlement',
    headerLine: c.headerLine,
    delimiter: c.delimiter,
    parse(rec, sink) {
      if (!enoughColumns(rec, need, sink)) return;
      const ln = rec.line;
      const meter = meters.of(rec, sink);
      if (!meter) return;
      c.sites?.read(rec, meter, sink);
      const dateText = rec.text(dateCol);
      const wc = parseWallClock(dateText);
      if (!wc) {
        sink.reject(
          ln,
          dateCol + 1,
          dateText,
          `${c.headers[dateCol]} "${dateText.trim().slice(0, 40)}" is not a date; expected DD/MM/YYYY or YYYY-MM-DD`,
        );
        return;
      }
      const periodText = rec.text(periodCol).trim();
      const p = Number(periodText);
      const n = sink.dayHalfHours(wc.y, wc.mo, wc.d);
      if (!Number.isInteger(p) || p < 1 || p > n) {
        sink.reject(
          ln,
          periodCol + 1,
          rec.text(periodCol),
          `Settlement period "${periodText}" is not between 1 and ${n} (${n} periods on ${dateText.trim()})`,
        );
        return;
      }
      const ts = sink.dayStart(wc.y, wc.mo, wc.d) + (p - 1) * 1800;
      const q =
        c.qualityCol === -1 || c.qualityCol >= rec.n
          ? 0
          : qualityAt(rec.buf, rec.start[c.qualityCol]!, rec.end[c.qualityCol]!);
      sink.reading(meter, ts, rec.text(c.kwhCol), units.of(rec), q, ln, c.kwhCol + 1);
    },
  };
}
