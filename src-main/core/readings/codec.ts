/**
 * The packed form of one meter-day: its 46/48/50 half-hours as BLOBs.
 *
 * - values: one tag byte, then one number per half-hour. The tag says how:
 *     0x00          float64 (little-endian), 8 bytes each — the fallback, exact for anything;
 *     0x10 | k      uint16 holding value × 10^k (k = 0…6), 2 bytes each;
 *     0x20 | k      uint32 holding value × 10^k, 4 bytes each.
 *   A scaled form is used only when every value decodes back to exactly the same double
 *   (r / 10^k === v), so what was parsed is what is read; the smallest k and width that hold are
 *   chosen, so equal days always pack to equal bytes. Half-hours without a value hold 0.
 * - quality: NULL when every half-hour is an actual reading (the common day), else one byte per
 *   half-hour: 0 actual, 1 estimated, 2 missing (the file listed it with no value), 3 not received.
 * - volumes: NULL unless a file gave gas volumes; else float64 m³ per half-hour (NaN where none).
 * - writers: NULL when one import job wrote every received half-hour (that job is the row's
 *   job_id), else int32 job id per half-hour (0 where nothing was received).
 */

export const ACTUAL = 0;
export const ESTIMATED = 1;
export const MISSING = 2;
export const NOT_RECEIVED = 3;

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

/** Packs `n` values from `v[at…]`; half-hours whose quality (q[at…]) is not ACTUAL/ESTIMATED are written as 0. */
export function packValues(v: Float64Array, q: Uint8Array, at: number, n: number): Buffer {
  let k = 0;
  let max = 0;
  for (; k < POW10.length; k++) {
    const p = POW10[k]!;
    max = 0;
    let ok = true;
    for (let i = at; i < at + n; i++) {
      if (q[i]! > ESTIMATED) continue;
      const x = v[i]!;
      const r = Math.round(x * p);
      if (r / p !== x || r < 0 || r > 0xffffffff) {
        ok = false;
        break;
      }
      if (r > max) max = r;
    }
    if (ok) break;
  }
  if (k === POW10.length) {
    const out = Buffer.allocUnsafe(1 + n * 8);
    out[0] = 0;
    for (let i = 0; i < n; i++) out.writeDoubleLE(q[at + i]! > ESTIMATED ? 0 : v[at + i]!, 1 + i * 8);
    return out;
  }
  const p = POW10[k]!;
  if (max <= 0xffff) {
    const out = Buffer.allocUnsafe(1 + n * 2);
    out[0] = 0x10 | k;
    for (let i = 0; i < n; i++) {
      const r = q[at + i]! > ESTIMATED ? 0 : Math.round(v[at + i]! * p);
      out[1 + i * 2] = r & 0xff;
      out[2 + i * 2] = r >>> 8;
    }
    return out;
  }
  const out = Buffer.allocUnsafe(1 + n * 4);
  out[0] = 0x20 | k;
  for (let i = 0; i < n; i++) out.writeUInt32LE(q[at + i]! > ESTIMATED ? 0 : Math.round(v[at + i]! * p), 1 + i * 4);
  return out;
}

/** The number of half-hours a packed values BLOB holds. */
export function packedLength(vals: Uint8Array): number {
  const tag = vals[0]!;
  const width = tag === 0 ? 8 : tag >= 0x20 ? 4 : 2;
  return (vals.length - 1) / width;
}

/** Unpacks values into out[at…]; half-hours without a value (per quality) become NaN. */
export function unpackValues(vals: Uint8Array, quality: Uint8Array | null, out: Float64Array, at: number): number {
  const tag = vals[0]!;
  const n = packedLength(vals);
  if (tag === 0) {
    const dv = new DataView(vals.buffer, vals.byteOffset, vals.byteLength);
    for (let i = 0; i < n; i++) out[at + i] = dv.getFloat64(1 + i * 8, true);
  } else if (tag >= 0x20) {
    const p = POW10[tag & 0x0f]!;
    const dv = new DataView(vals.buffer, vals.byteOffset, vals.byteLength);
    for (let i = 0; i < n; i++) out[at + i] = dv.getUint32(1 + i * 4, true) / p;
  } else {
    const p = POW10[tag & 0x0f]!;
    for (let i = 0; i < n; i++) out[at + i] = (vals[1 + i * 2]! | (vals[2 + i * 2]! << 8)) / p;
  }
  if (quality) for (let i = 0; i < n; i++) if (quality[i]! > ESTIMATED) out[at + i] = NaN;
  return n;
}

/** The quality BLOB: NULL when every half-hour is actual. */
export function packQuality(q: Uint8Array, at: number, n: number): Buffer | null {
  for (let i = at; i < at + n; i++) if (q[i] !== ACTUAL) return Buffer.from(q.subarray(at, at + n));
  return null;
}

/** The volumes BLOB: NULL when no half-hour has a volume. */
export function packVolumes(vol: Float64Array | null, at: number, n: number): Buffer | null {
  if (!vol) return null;
  let any = false;
  for (let i = at; i < at + n; i++) if (vol[i] === vol[i]) any = true;
  if (!any) return null;
  const out = Buffer.allocUnsafe(n * 8);
  for (let i = 0; i < n; i++) out.writeDoubleLE(vol[at + i]!, i * 8);
  return out;
}

export function unpackVolumes(blob: Uint8Array | null, out: Float64Array, at: number, n: number): void {
  if (!blob) {
    out.fill(NaN, at, at + n);
    return;
  }
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < n; i++) out[at + i] = dv.getFloat64(i * 8, true);
}

/**
 * The writers of a day: one job id for the whole day (NULL BLOB), or an int32 per half-hour.
 * `w[at…]` holds each half-hour's writer (0 where nothing was received).
 */
export function packWriters(
  w: Int32Array,
  q: Uint8Array,
  at: number,
  n: number,
): { jobId: number; blob: Buffer | null } {
  // -1: no received half-hour seen yet (0 is a writer too: a reading no job is recorded for)
  let job = -1;
  for (let i = at; i < at + n; i++) {
    if (q[i] === NOT_RECEIVED) continue;
    if (job === -1) job = w[i]!;
    else if (w[i] !== job) {
      const out = Buffer.allocUnsafe(n * 4);
      for (let k = 0; k < n; k++) out.writeInt32LE(q[at + k] === NOT_RECEIVED ? 0 : w[at + k]!, k * 4);
      return { jobId: 0, blob: out };
    }
  }
  return { jobId: job === -1 ? 0 : job, blob: null };
}

export function unpackWriters(
  jobId: number,
  blob: Uint8Array | null,
  q: Uint8Array,
  out: Int32Array,
  at: number,
  n: number,
): void {
  if (!blob) {
    for (let i = 0; i < n; i++) out[at + i] = q[at + i] === NOT_RECEIVED ? 0 : jobId;
    return;
  }
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < n; i++) out[at + i] = dv.getInt32(i * 4, true);
}

/**
 * SQLite's total(): Kahan–Babuška–Neumaier summation (SQLite 3.43+), so sums computed here equal
 * the ones SQL computed before the packed store, to the last bit.
 */
export class KbnSum {
  sum = 0;
  err = 0;
  add(r: number): void {
    const s = this.sum;
    const t = s + r;
    if (Math.abs(s) > Math.abs(r)) this.err += s - t + r;
    else this.err += r - t + s;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.err;
  }
}

/** A day's summary, computed from its half-hours as they are written. */
export interface DaySummary {
  kwh: number;
  /** Half-hours with a value (actual + estimated). */
  present: number;
  estimated: number;
  /** Half-hours a file listed with no value. */
  missing: number;
  min: number | null;
  max: number | null;
  /** The first half-hour (0-based) at the day's maximum, or null. */
  peakSlot: number | null;
}

export function summarise(v: Float64Array, q: Uint8Array, at: number, n: number): DaySummary {
  // Inline KBN (no object per day on the write path).
  let sum = 0;
  let err = 0;
  let present = 0;
  let estimated = 0;
  let missing = 0;
  let min = Infinity;
  let max = -Infinity;
  let peak = -1;
  for (let i = 0; i < n; i++) {
    const qi = q[at + i]!;
    if (qi > ESTIMATED) {
      if (qi === MISSING) missing++;
      continue;
    }
    const x = v[at + i]!;
    present++;
    if (qi === ESTIMATED) estimated++;
    const t = sum + x;
    if (Math.abs(sum) > Math.abs(x)) err += sum - t + x;
    else err += x - t + sum;
    sum = t;
    if (x < min) min = x;
    if (x > max) {
      max = x;
      peak = i;
    }
  }
  return {
    kwh: sum + err,
    present,
    estimated,
    missing,
    min: present ? min : null,
    max: present ? max : null,
    peakSlot: present ? peak : null,
  };
}
