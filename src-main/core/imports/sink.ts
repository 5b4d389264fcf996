/**
 * The RowSink every format writes into: meters are validated once per distinct id, UK local times
 * resolved with the clock-change rules, values validated and converted; the chunk's readings are
 * collected in flat arrays and then classified (new / duplicate / conflict) and stored by the runner.
 */
import { parseMeterId } from '../../../src-shared/domain/meter-id';
import { halfHoursInLondonDay, londonMidnight, resolveLondon } from '../../../src-shared/domain/london-time';
import type { RowError } from '../../../src-shared/contract/types';
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

export interface Counts {
  rowsRead: number;
  imported: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

const MISSING_WORDS = new Set(['', 'null', 'na', 'n/a', '-', 'nan', 'missing', 'none']);

export interface MeterLookup {
  find(identifier: string): { id: number; fuel: 'electricity' | 'gas'; ceiling: number; cv: number } | undefined;
  /** True when this job already stored a reading for the meter at ts (resumed jobs). */
  ownReading(meterDbId: number, ts: number): boolean;
}

export class ChunkSink implements RowSink {
  readonly meters: MeterInfo[] = [];
  private readonly byRaw = new Map<string, MeterInfo | string>();
  private readonly days = new Map<number, number>();
  private readonly dayLens = new Map<number, number>();
  // this chunk's readings, in growable typed arrays (one entry per half-hour; no per-row objects)
  n = 0;
  m = new Int32Array(1 << 16);
  ts = new Float64Array(1 << 16);
  kwh = new Float64Array(1 << 16); // NaN = missing
  q = new Uint8Array(1 << 16);
  vol = new Float64Array(1 << 16); // NaN = not a volume
  line = new Int32Array(1 << 16);
  col = new Int32Array(1 << 16);
  /** Rejections, conflicts and notes in file order (first MAX_STORED_ERRORS kept). */
  readonly errors: RowError[];
  rejected = 0;
  private lastRejectedLine = -1;

  constructor(
    private readonly lookup: MeterLookup,
    errors: RowError[],
    private readonly fileFuel: 'electricity' | 'gas' | null = null,
  ) {
    this.errors = errors;
  }

  resetChunk(): void {
    this.n = 0;
  }

  private grow(): void {
    const size = this.m.length * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.m = g(this.m, (k) => new Int32Array(k));
    this.ts = g(this.ts, (k) => new Float64Array(k));
    this.kwh = g(this.kwh, (k) => new Float64Array(k));
    this.q = g(this.q, (k) => new Uint8Array(k));
    this.vol = g(this.vol, (k) => new Float64Array(k));
    this.line = g(this.line, (k) => new Int32Array(k));
    this.col = g(this.col, (k) => new Int32Array(k));
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

  local(meter: MeterRef, y: number, mo: number, d: number, h: number, mi: number, line: number, column: number, raw: string): number | null {
    if (this.dayHalfHours(y, mo, d) === 48 && h < 24) return this.dayStart(y, mo, d) + h * 3600 + mi * 60;
    const r = resolveLondon(y, mo, d, h, mi);
    if (r.kind === 'ok') return r.utc;
    if (r.kind === 'nonexistent') {
      this.reject(line, column, raw, `${raw.trim()} does not exist in UK time (the clocks go forward that night); give the time with an offset or in UTC`);
      return null;
    }
    const info = this.meters[meter.index]!;
    const firstTaken = info.lastTs >= r.first || (info.dbId > 0 && this.lookup.ownReading(info.dbId, r.first));
    return firstTaken ? r.second : r.first;
  }

  reading(meter: MeterRef, ts: number, raw: string | undefined, unit: 'kwh' | 'wh' | 'm3', quality: number, line: number, column: number): void {
    let s = raw ?? '';
    if (s.length > 0 && (s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32 || s.charCodeAt(0) === 34)) s = s.trim().replace(/^"|"$/g, '');
    if (s.length === 0 || (s.length <= 7 && MISSING_WORDS.has(s.toLowerCase()))) {
      this.push(meter, ts, NaN, MISSING, NaN, line, column);
      return;
    }
    const v = Number(s);
    if (!Number.isFinite(v)) {
      this.reject(line, column, s, `${unitName(unit)} value "${s.slice(0, 30)}" is not a number`);
      return;
    }
    this.value(meter, ts, v, unit, quality, line, column, s);
  }

  value(meter: MeterRef, ts: number, v: number | null, unit: Unit, quality: number, line: number, column: number, text?: string): void {
    if (v === null) {
      this.push(meter, ts, NaN, MISSING, NaN, line, column);
      return;
    }
    const shown = text ?? String(v);
    if (v < 0) {
      this.reject(line, column, shown, `${unitName(unit)} value ${shown} is negative; consumption cannot be below zero`);
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
      this.reject(line, column, shown, `${shown} ${unitName(unit)} is above this meter's plausible ceiling of ${info.ceiling} kWh per half-hour`);
      return;
    }
    this.push(meter, ts, kwh, quality === ESTIMATED ? ESTIMATED : 0, vol, line, column);
  }

  private push(meter: MeterRef, ts: number, kwh: number, q: number, vol: number, line: number, column: number): void {
    const info = this.meters[meter.index]!;
    if (ts > info.lastTs) info.lastTs = ts;
    if (this.n === this.m.length) this.grow();
    const i = this.n++;
    this.m[i] = meter.index;
    this.ts[i] = ts;
    this.kwh[i] = kwh;
    this.q[i] = q;
    this.vol[i] = vol;
    this.line[i] = line;
    this.col[i] = column;
  }

  /** The hot path for a value already parsed as kWh (finite, not negative): only the ceiling is checked. */
  kwhValue(meter: MeterRef, ts: number, kwh: number, quality: number, line: number, column: number): void {
    if (kwh > this.meters[meter.index]!.ceiling) {
      this.value(meter, ts, kwh, 'kwh', quality, line, column);
      return;
    }
    this.push(meter, ts, kwh, quality, NaN, line, column);
  }

  reject(line: number, column: number | undefined, value: string | undefined, message: string): void {
    // A row counts once, however many of its cells were bad (wide rows have 48).
    if (line !== this.lastRejectedLine) {
      this.rejected++;
      this.lastRejectedLine = line;
    }
    if (this.errors.length < MAX_STORED_ERRORS) {
      this.errors.push({ line, ...(column !== undefined ? { column } : {}), ...(value !== undefined ? { value: detach(value.trim().slice(0, 60)) } : {}), message: detach(message) });
    }
  }
}

function unitName(u: Unit): string {
  return u === 'wh' ? 'Wh' : u === 'm3' ? 'm³' : 'kWh';
}
