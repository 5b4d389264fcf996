/**
 * The RowSink every format writes into: meters are validated once per distinct id, UK local times
 * resolved with the clock-change rules, values validated and converted, and each reading put
 * straight into its meter-day in the chunk's DayBatch (flat typed arrays, no object per reading).
 * A half-hour given twice in one chunk is kept aside as a repeat, to be classified against what
 * the first one left (new, duplicate or conflict) when the chunk is stored.
 */
import { parseMeterId } from '../../../src-shared/domain/meter-id';
import { halfHoursInLondonDay, londonMidnight, resolveLondon } from '../../../src-shared/domain/london-time';
import type { RowError } from '../../../src-shared/contract/types';
import { DayBatch, STRIDE } from '../readings/batch';
import { DayCursor, lengthOf } from '../readings/calendar';
import { NOT_RECEIVED } from '../readings/codec';
import { ESTIMATED, MISSING, type MeterRef, type RowSink, type Unit } from './formats/types';

export const MAX_STORED_ERRORS = 1000;

/**
 * A copy of a string that shares no memory with the file chunk it was cut from. V8 keeps sliced
 * and concatenated strings pointing into their source, so a 13-character MPAN kept from a 1 MB
 * chunk would pin the whole chunk; kept strings (meter ids, error texts) go through this.
 */
export const detach = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');
/** kWh = m³ × volume correction × CV ÷ 3.6 (the formula printed on UK gas bills). */
export const VOLUME_CORRECTION = 1.02264;

export interface MeterInfo extends MeterRef {
  identifier: string;
  kind: 'mpan' | 'mprn' | 'other';
  fuel: 'electricity' | 'gas';
  topLine: string | null;
  /** Database id, or -1 until the meter is created at commit. */
  dbId: number;
  ceiling: number;
  /** Latest UTC start seen for the meter in this run (places the repeated autumn hour). */
  lastTs: number;
}

/** A site a file named for a meter (the meter by its index in the sink's table). */
export interface SiteSighting {
  index: number;
  name: string;
  address: string | null;
  postcode: string | null;
}

export interface Counts {
  rowsRead: number;
  imported: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

/** A decimal number as meter files write one: optional sign, digits with an optional point, an optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const MISSING_WORDS = new Set(['', 'null', 'na', 'n/a', '-', 'nan', 'missing', 'none']);

export interface MeterLookup {
  find(identifier: string): { id: number; fuel: 'electricity' | 'gas'; ceiling: number; cv: number } | undefined;
  /** True when this job already stored a reading for the meter at ts (resumed jobs). */
  ownReading(meterDbId: number, ts: number): boolean;
}

export class DaySink implements RowSink {
  readonly meters: MeterInfo[] = [];
  private readonly byRaw = new Map<string, MeterInfo | string>();
  private readonly days = new Map<number, number>();
  private readonly dayLens = new Map<number, number>();
  /** This chunk's readings, by meter-day. */
  batch = new DayBatch();
  private readonly cursor = new DayCursor();
  private curMeter = -1;
  private curDay = -1;
  private curIndex = -1;
  /** This chunk's rejections in file order (the first MAX_STORED_ERRORS kept), and rows rejected. */
  errors: RowError[] = [];
  rejected = 0;
  private lastRejectedLine = -1;
  /** Meters handed over with earlier chunks. */
  private metersSent = 0;
  /** Sites first seen in this chunk, and every meter and name seen in the run. */
  private sites: SiteSighting[] = [];
  private readonly siteKeys = new Set<string>();

  constructor(
    private readonly lookup: MeterLookup,
    private readonly fileFuel: 'electricity' | 'gas' | null = null,
  ) {}

  /**
   * Hands over this chunk — its days, rejections and the meters first seen in it — and starts the
   * next. With `fresh`, the next chunk gets new arrays (the handed-over ones go to another thread).
   */
  takeChunk(fresh: boolean): {
    batch: DayBatch;
    errors: RowError[];
    rejected: number;
    meters: MeterInfo[];
    sites: SiteSighting[];
  } {
    const out = {
      batch: this.batch,
      errors: this.errors,
      rejected: this.rejected,
      meters: this.meters.slice(this.metersSent),
      sites: this.sites,
    };
    this.metersSent = this.meters.length;
    this.sites = [];
    this.errors = [];
    this.rejected = 0;
    if (fresh) this.batch = new DayBatch();
    this.curMeter = -1;
    this.curDay = -1;
    return out;
  }

  resetChunk(): void {
    this.batch.reset();
    this.curMeter = -1;
    this.curDay = -1;
  }

  meter(raw: string, line: number, column: number): MeterInfo | null {
    const hit = this.byRaw.get(raw);
    if (hit !== undefined) {
      if (typeof hit === 'string') {
        this.reject(line, column, raw, hit);
        return null;
      }
      return hit;
    }
    const key = detach(raw);
    const parsed = parseMeterId(raw);
    if (!parsed.ok) {
      this.byRaw.set(key, detach(parsed.reason));
      this.reject(line, column, raw, parsed.reason);
      return null;
    }
    let info = this.meters.find((mm) => mm.identifier === parsed.id);
    if (!info) {
      const found = this.lookup.find(parsed.id);
      info = {
        index: this.meters.length,
        identifier: detach(parsed.id),
        kind: parsed.kind,
        fuel: found?.fuel ?? parsed.fuel ?? this.fileFuel ?? 'electricity',
        topLine: parsed.topLine === null ? null : detach(parsed.topLine),
        dbId: found?.id ?? -1,
        ceiling: found?.ceiling ?? 10_000,
        calorificValue: found?.cv ?? 39.5,
        lastTs: -Infinity,
      };
      this.meters.push(info);
    }
    this.byRaw.set(key, info);
    return info;
  }

  private dayKey(y: number, mo: number, d: number): number {
    return y * 10000 + mo * 100 + d;
  }

  dayStart(y: number, mo: number, d: number): number {
    const k = this.dayKey(y, mo, d);
    let v = this.days.get(k);
    if (v === undefined) {
      v = londonMidnight(y, mo, d);
      this.days.set(k, v);
    }
    return v;
  }

  dayHalfHours(y: number, mo: number, d: number): number {
    const k = this.dayKey(y, mo, d);
    let v = this.dayLens.get(k);
    if (v === undefined) {
      v = halfHoursInLondonDay(y, mo, d);
      this.dayLens.set(k, v);
    }
    return v;
  }

  local(meter: MeterRef, y: number, mo: number, d: number, h: number, mi: number): number {
    if (this.dayHalfHours(y, mo, d) === 48 && h < 24) return this.dayStart(y, mo, d) + h * 3600 + mi * 60;
    const r = resolveLondon(y, mo, d, h, mi);
    if (r.kind === 'ok') return r.utc;
    if (r.kind === 'nonexistent') return NaN;
    const info = this.meters[meter.index]!;
    const firstTaken = info.lastTs >= r.first || (info.dbId > 0 && this.lookup.ownReading(info.dbId, r.first));
    return firstTaken ? r.second : r.first;
  }

  reading(
    meter: MeterRef,
    ts: number,
    raw: string | undefined,
    unit: 'kwh' | 'wh' | 'm3',
    quality: number,
    line: number,
    column: number,
  ): void {
    let s = raw ?? '';
    if (s.length > 0 && (s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32 || s.charCodeAt(0) === 34))
      s = s.trim().replace(/^"|"$/g, '');
    if (s.length === 0 || (s.length <= 7 && MISSING_WORDS.has(s.toLowerCase()))) {
      this.push(meter, ts, NaN, MISSING, NaN, line, column);
      return;
    }
    // a plain decimal (an exponent allowed, as spreadsheets write small numbers); not hex, binary,
    // octal, Infinity or digit separators, which Number() would also read
    const v = DECIMAL.test(s) ? Number(s) : NaN;
    if (!Number.isFinite(v)) {
      this.reject(line, column, s, `The ${unitName(unit)} value "${s.slice(0, 30)}" is not a number`);
      return;
    }
    this.value(meter, ts, v, unit, quality, line, column, s);
  }

  value(
    meter: MeterRef,
    ts: number,
    v: number | null,
    unit: Unit,
    quality: number,
    line: number,
    column: number,
    text?: string,
  ): void {
    if (v === null) {
      this.push(meter, ts, NaN, MISSING, NaN, line, column);
      return;
    }
    const shown = text ?? String(v);
    if (v < 0) {
      this.reject(
        line,
        column,
        shown,
        `The ${unitName(unit)} value ${shown} is negative; consumption cannot be below zero`,
      );
      return;
    }
    let kwh = v;
    let vol = NaN;
    if (unit === 'wh') kwh = v / 1000;
    else if (unit === 'm3') {
      vol = v;
      kwh = (v * VOLUME_CORRECTION * meter.calorificValue) / 3.6;
    }
    const info = this.meters[meter.index]!;
    if (kwh > info.ceiling) {
      this.reject(
        line,
        column,
        shown,
        `${shown} ${unitName(unit)} is above this meter's plausible ceiling of ${info.ceiling} kWh per half-hour`,
      );
      return;
    }
    this.push(meter, ts, kwh, quality === ESTIMATED ? ESTIMATED : 0, vol, line, column);
  }

  private push(meter: MeterRef, ts: number, kwh: number, q: number, vol: number, line: number, column: number): void {
    const info = this.meters[meter.index]!;
    if (ts > info.lastTs) info.lastTs = ts;
    const b = this.batch;
    const slot = this.cursor.at(ts);
    const day = this.cursor.day;
    if (meter.index !== this.curMeter || day !== this.curDay) {
      this.curIndex = b.dayIndex(meter.index, day, lengthOf(day), this.cursor.start);
      this.curMeter = meter.index;
      this.curDay = day;
    }
    const j = this.curIndex * STRIDE + slot;
    if (ts < b.first) b.first = ts;
    if (ts > b.last) b.last = ts;
    if (b.quality[j] !== NOT_RECEIVED) {
      b.addRepeat(this.curIndex, slot, kwh, q, vol, line, column);
      return;
    }
    b.received++;
    b.values[j] = kwh;
    b.quality[j] = q;
    if (vol === vol) b.ensureVolumes()[j] = vol;
    b.line[j] = line;
    b.col[j] = column;
  }

  /** The hot path for a value already parsed as kWh (finite, not negative): only the ceiling is checked. */
  kwhValue(meter: MeterRef, ts: number, kwh: number, quality: number, line: number, column: number): void {
    if (kwh > this.meters[meter.index]!.ceiling) {
      this.value(meter, ts, kwh, 'kwh', quality, line, column);
      return;
    }
    this.push(meter, ts, kwh, quality, NaN, line, column);
  }

  site(meter: MeterRef, name: string, address: string | null, postcode: string | null): void {
    const key = `${meter.index}\n${name}`;
    if (this.siteKeys.has(key)) return;
    this.siteKeys.add(detach(key));
    this.sites.push({
      index: meter.index,
      name: detach(name),
      address: address === null ? null : detach(address),
      postcode: postcode === null ? null : detach(postcode),
    });
  }

  reject(line: number, column: number | undefined, value: string | undefined, message: string): void {
    // A row counts once, however many of its cells were bad (wide rows have 48).
    if (line !== this.lastRejectedLine) {
      this.rejected++;
      this.lastRejectedLine = line;
    }
    if (this.errors.length < MAX_STORED_ERRORS) {
      this.errors.push({
        line,
        ...(column !== undefined ? { column } : {}),
        ...(value !== undefined ? { value: detach(value.trim().slice(0, 60)) } : {}),
        message: detach(message),
      });
    }
  }
}

function unitName(u: Unit): string {
  return u === 'wh' ? 'Wh' : u === 'm3' ? 'm³' : 'kWh';
}
