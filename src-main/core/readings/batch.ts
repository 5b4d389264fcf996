/**
 * A batch of meter-days on their way into the store: what an import chunk parsed, grouped by
 * meter and UK local day, in flat typed arrays (no object per reading or per day). Day i's
 * half-hours live at [i × STRIDE, i × STRIDE + halfHours[i]); a half-hour the batch does not
 * carry has quality NOT_RECEIVED.
 */
import { NOT_RECEIVED } from './codec';

/** Slots reserved per day: the longest UK day has 50 half-hours. */
export const STRIDE = 50;

export class DayBatch {
  count = 0;
  /** Index into the importer's meter table (resolved to a database id before the batch is stored). */
  meter = new Int32Array(256);
  day = new Int32Array(256);
  halfHours = new Uint8Array(256);
  /** UTC epoch seconds of the day's local midnight. */
  start = new Float64Array(256);
  values = new Float64Array(256 * STRIDE);
  quality = new Uint8Array(256 * STRIDE).fill(NOT_RECEIVED);
  /** Gas volumes (m³), NaN where none; allocated on the first volume. */
  volumes: Float64Array | null = null;
  /** Where each half-hour came from in the file (for conflict messages). */
  line = new Int32Array(256 * STRIDE);
  col = new Int32Array(256 * STRIDE);
  /** Readings in the batch (received half-hours). */
  received = 0;
  /** Earliest and latest UTC start in the batch. */
  first = Infinity;
  last = -Infinity;

  /**
   * Half-hours given again after their first value in this batch, in file order: classified against what the first
   * left.
   */
  readonly repeats = {
    n: 0,
    index: new Int32Array(64),
    slot: new Uint8Array(64),
    value: new Float64Array(64),
    quality: new Uint8Array(64),
    volume: new Float64Array(64),
    line: new Int32Array(64),
    col: new Int32Array(64),
  };

  private readonly index = new Map<number, number>();

  /** The batch index of (meter, day), adding the day when it is new. */
  dayIndex(meter: number, day: number, halfHours: number, start: number): number {
    const key = meter * 65536 + day;
    let i = this.index.get(key);
    if (i !== undefined) return i;
    if (this.count === this.meter.length) this.grow();
    i = this.count++;
    this.index.set(key, i);
    this.meter[i] = meter;
    this.day[i] = day;
    this.halfHours[i] = halfHours;
    this.start[i] = start;
    return i;
  }

  addRepeat(
    index: number,
    slot: number,
    value: number,
    quality: number,
    volume: number,
    line: number,
    col: number,
  ): void {
    const r = this.repeats;
    if (r.n === r.index.length) {
      const n = r.n * 2;
      const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (k: number) => T): T => {
        const c = make(n);
        c.set(a);
        return c;
      };
      r.index = g(r.index, (k) => new Int32Array(k));
      r.slot = g(r.slot, (k) => new Uint8Array(k));
      r.value = g(r.value, (k) => new Float64Array(k));
      r.quality = g(r.quality, (k) => new Uint8Array(k));
      r.volume = g(r.volume, (k) => new Float64Array(k));
      r.line = g(r.line, (k) => new Int32Array(k));
      r.col = g(r.col, (k) => new Int32Array(k));
    }
    const i = r.n++;
    r.index[i] = index;
    r.slot[i] = slot;
    r.value[i] = value;
    r.quality[i] = quality;
    r.volume[i] = volume;
    r.line[i] = line;
    r.col[i] = col;
  }

  ensureVolumes(): Float64Array {
    if (!this.volumes) this.volumes = new Float64Array(this.values.length).fill(NaN);
    return this.volumes;
  }

  private grow(): void {
    const n = this.meter.length * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(
      a: T,
      size: number,
      make: (k: number) => T,
      fill?: number,
    ): T => {
      const b = make(size);
      if (fill !== undefined) b.fill(fill, a.length);
      b.set(a);
      return b;
    };
    this.meter = g(this.meter, n, (k) => new Int32Array(k));
    this.day = g(this.day, n, (k) => new Int32Array(k));
    this.halfHours = g(this.halfHours, n, (k) => new Uint8Array(k));
    this.start = g(this.start, n, (k) => new Float64Array(k));
    this.values = g(this.values, n * STRIDE, (k) => new Float64Array(k));
    this.quality = g(this.quality, n * STRIDE, (k) => new Uint8Array(k), NOT_RECEIVED);
    if (this.volumes) this.volumes = g(this.volumes, n * STRIDE, (k) => new Float64Array(k), NaN);
    this.line = g(this.line, n * STRIDE, (k) => new Int32Array(k));
    this.col = g(this.col, n * STRIDE, (k) => new Int32Array(k));
  }

  /** The batch's fields for a message to another thread. */
  toMessage(): BatchData {
    const r = this.repeats;
    return {
      count: this.count,
      received: this.received,
      first: this.first,
      last: this.last,
      meter: this.meter,
      day: this.day,
      halfHours: this.halfHours,
      start: this.start,
      values: this.values,
      quality: this.quality,
      volumes: this.volumes,
      line: this.line,
      col: this.col,
      repeats: { ...r },
    };
  }

  /** A batch received from another thread. */
  static fromMessage(data: BatchData): DayBatch {
    // (no constructor: its default arrays would be thrown away at once)
    const b = Object.create(DayBatch.prototype) as DayBatch;
    Object.assign(b, {
      index: new Map<number, number>(),
      repeats: { ...data.repeats },
      count: data.count,
      received: data.received,
      first: data.first,
      last: data.last,
      meter: data.meter,
      day: data.day,
      halfHours: data.halfHours,
      start: data.start,
      values: data.values,
      quality: data.quality,
      volumes: data.volumes,
      line: data.line,
      col: data.col,
    });
    return b;
  }

  /** Empties the batch for the next chunk (the arrays are kept). */
  reset(): void {
    this.quality.fill(NOT_RECEIVED, 0, this.count * STRIDE);
    if (this.volumes) this.volumes.fill(NaN, 0, this.count * STRIDE);
    this.count = 0;
    this.repeats.n = 0;
    this.received = 0;
    this.first = Infinity;
    this.last = -Infinity;
    this.index.clear();
  }
}

/** A DayBatch's fields as they cross between threads. */
export interface BatchData {
  count: number;
  received: number;
  first: number;
  last: number;
  meter: Int32Array;
  day: Int32Array;
  halfHours: Uint8Array;
  start: Float64Array;
  values: Float64Array;
  quality: Uint8Array;
  volumes: Float64Array | null;
  line: Int32Array;
  col: Int32Array;
  repeats: DayBatch['repeats'];
}
