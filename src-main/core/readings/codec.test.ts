import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ACTUAL,
  ESTIMATED,
  KbnSum,
  MISSING,
  NOT_RECEIVED,
  packQuality,
  packValues,
  packVolumes,
  packWriters,
  packedLength,
  summarise,
  unpackValues,
  unpackVolumes,
  unpackWriters,
} from './codec';

/** A day of `values` (null = missing, undefined = not received), as the batch arrays hold it. */
function day(
  values: (number | null | undefined)[],
  opts: { estimated?: number[]; at?: number; garbage?: number } = {},
) {
  const at = opts.at ?? 0;
  const n = values.length;
  const v = new Float64Array(at + n + 3).fill(opts.garbage ?? 0);
  const q = new Uint8Array(at + n + 3).fill(NOT_RECEIVED);
  values.forEach((x, i) => {
    if (x === undefined) return; // not received: whatever is in v stays
    if (x === null) q[at + i] = MISSING;
    else {
      v[at + i] = x;
      q[at + i] = opts.estimated?.includes(i) ? ESTIMATED : ACTUAL;
    }
  });
  return { v, q, at, n };
}

/** Packs then unpacks a day; returns the packed bytes and what reads back (NaN where no value). */
function roundTrip(values: (number | null | undefined)[], opts: Parameters<typeof day>[1] = {}) {
  const d = day(values, opts);
  const packed = packValues(d.v, d.q, d.at, d.n);
  const quality = packQuality(d.q, d.at, d.n);
  const out = new Float64Array(d.n + 2).fill(-1);
  const n = unpackValues(packed, quality, out, 1);
  return { packed, quality, n, out: Array.from(out.subarray(1, 1 + n)), tail: [out[0], out[1 + n]] };
}

const expected = (values: (number | null | undefined)[]) =>
  values.map((x) => (x === null || x === undefined ? NaN : x));
const bits = (x: number) => Buffer.from(new Float64Array([x]).buffer).toString('hex');
/** Compares doubles bit for bit (so 0.30000000000000004 ≠ 0.3, and NaN = NaN). */
const sameDoubles = (a: number[], b: number[]) => expect(a.map(bits)).toEqual(b.map(bits));

describe('packValues / unpackValues', () => {
  it('round-trips 3-decimal kWh exactly, in 2 bytes a half-hour (uint16 × 10³)', () => {
    const vals = Array.from({ length: 48 }, (_, i) => [0.123, 1.5, 0.001, 12.345, 0][i % 5]!);
    const r = roundTrip(vals);
    expect(r.packed[0]).toBe(0x13);
    expect(r.packed.length).toBe(1 + 48 * 2);
    expect(r.n).toBe(48);
    sameDoubles(r.out, vals);
    expect(r.tail).toEqual([-1, -1]); // nothing written outside the day
  });

  it('reads 8-decimal values such as 6.25000000 back as the parsed double, with the smallest scale that holds', () => {
    const vals = [Number('6.25000000'), Number('0.50000000'), Number('1.75000000')];
    const r = roundTrip(vals);
    expect(r.packed[0]).toBe(0x12); // ×100 is enough
    sameDoubles(r.out, [6.25, 0.5, 1.75]);
    expect(roundTrip([1, 2, 3]).packed[0]).toBe(0x10);
    expect(roundTrip([1.5, 2]).packed[0]).toBe(0x11);
    const six = roundTrip([0.012345, 0.000001]);
    expect(six.packed[0]).toBe(0x16);
    sameDoubles(six.out, [0.012345, 0.000001]);
  });

  it('uses uint32 for values too large for 16 bits, and float64 beyond 32 bits', () => {
    const big = roundTrip([70000, 1, 65536]);
    expect(big.packed[0]).toBe(0x20);
    expect(big.packed.length).toBe(1 + 3 * 4);
    sameDoubles(big.out, [70000, 1, 65536]);
    const scaled = roundTrip([1234567.891, 0.5]);
    expect(scaled.packed[0]).toBe(0x23);
    sameDoubles(scaled.out, [1234567.891, 0.5]);
    const edge = roundTrip([65535]);
    expect(edge.packed[0]).toBe(0x10); // the largest uint16 still fits in 2 bytes
    const huge = roundTrip([5e9, 1]);
    expect(huge.packed[0]).toBe(0x00);
    sameDoubles(huge.out, [5e9, 1]);
  });

  it('falls back to float64 for values no decimal scale reproduces exactly', () => {
    for (const vals of [[0.1 + 0.2, 1], [1e-7, 2], [1 / 3], [0.5610316666666667, 14.025791666666665], [-1.5, 2]]) {
      const r = roundTrip(vals);
      expect(r.packed[0]).toBe(0x00);
      expect(r.packed.length).toBe(1 + vals.length * 8);
      sameDoubles(r.out, vals);
    }
    // the scaled forms would have got these wrong
    expect(Math.round((0.1 + 0.2) * 1e6) / 1e6).not.toBe(0.1 + 0.2);
  });

  it('round-trips all-zero days and days of zeros with missing and not-received half-hours', () => {
    const zeros = roundTrip(Array(48).fill(0));
    expect(zeros.packed[0]).toBe(0x10);
    expect(zeros.quality).toBeNull();
    sameDoubles(zeros.out, Array(48).fill(0));
    const gaps: (number | null | undefined)[] = Array.from({ length: 48 }, (_, i) =>
      i % 7 === 0 ? null : i % 5 === 0 ? undefined : i / 4,
    );
    const r = roundTrip(gaps, { garbage: 0.1 + 0.2 });
    sameDoubles(r.out, expected(gaps));
    // half-hours without a value are stored as 0, so their (never read) contents cannot force float64
    expect(r.packed[0]).toBe(0x12);
    expect(Array.from(r.quality!)).toEqual(
      gaps.map((x) => (x === null ? MISSING : x === undefined ? NOT_RECEIVED : ACTUAL)),
    );
  });

  it('packs equal days to equal bytes, wherever they sit in the arrays and whatever the empty slots hold', () => {
    const vals: (number | null | undefined)[] = [0.5, 1.25, null, undefined, 3, 0];
    const a = day(vals, { at: 0, garbage: 0 });
    const b = day(vals, { at: 50, garbage: 123456.789 });
    expect(packValues(a.v, a.q, a.at, a.n).equals(packValues(b.v, b.q, b.at, b.n))).toBe(true);
    expect(packQuality(a.q, a.at, a.n)!.equals(packQuality(b.q, b.at, b.n)!)).toBe(true);
    const c = day([0.5, 1.25, null, undefined, 3, 0.001]);
    expect(packValues(a.v, a.q, a.at, a.n).equals(packValues(c.v, c.q, c.at, c.n))).toBe(false);
  });

  it('holds 46, 48 and 50 half-hour days at every width', () => {
    for (const n of [46, 48, 50]) {
      for (const [val, tag] of [
        [0.25, 0x12],
        [100000, 0x21],
        [0.1 + 0.2, 0x00],
      ] as const) {
        const vals = Array.from({ length: n }, (_, i) => (i === n - 1 ? val : i / 2));
        const r = roundTrip(vals);
        expect(r.packed[0]).toBe(tag);
        expect(packedLength(r.packed)).toBe(n);
        expect(r.n).toBe(n);
        sameDoubles(r.out, vals);
      }
    }
  });
});

describe('packQuality', () => {
  it('is NULL when every half-hour is actual, one byte a half-hour otherwise', () => {
    const all = day(Array(48).fill(1));
    expect(packQuality(all.q, all.at, all.n)).toBeNull();
    const est = day(Array(48).fill(1), { estimated: [3] });
    expect(Array.from(packQuality(est.q, est.at, est.n)!)).toEqual(
      Array.from({ length: 48 }, (_, i) => (i === 3 ? ESTIMATED : ACTUAL)),
    );
    const gap = day([1, undefined, 2]);
    expect(Array.from(packQuality(gap.q, gap.at, gap.n)!)).toEqual([ACTUAL, NOT_RECEIVED, ACTUAL]);
    const missing = day([1, null, 2], { at: 7 });
    expect(Array.from(packQuality(missing.q, missing.at, missing.n)!)).toEqual([ACTUAL, MISSING, ACTUAL]);
  });
});

describe('packVolumes / unpackVolumes', () => {
  it('is NULL without volumes, float64 m³ per half-hour (NaN where none) with them', () => {
    expect(packVolumes(null, 0, 48)).toBeNull();
    expect(packVolumes(new Float64Array(48).fill(NaN), 0, 48)).toBeNull();
    const vol = new Float64Array(60).fill(NaN);
    vol[10] = 0.05;
    vol[11] = 0.1 + 0.2;
    vol[57] = 99; // outside the day
    const blob = packVolumes(vol, 10, 46)!;
    expect(blob.length).toBe(46 * 8);
    const out = new Float64Array(48).fill(-1);
    unpackVolumes(blob, out, 1, 46);
    sameDoubles(Array.from(out.subarray(1, 47)), [0.05, 0.1 + 0.2, ...Array(44).fill(NaN)]);
    expect([out[0], out[47]]).toEqual([-1, -1]);
    const none = new Float64Array(4).fill(7);
    unpackVolumes(null, none, 1, 2);
    expect(Array.from(none)).toEqual([7, NaN, NaN, 7]);
  });
});

describe('packWriters / unpackWriters', () => {
  it('stores one job id (no BLOB) when a single job wrote every received half-hour', () => {
    const q = new Uint8Array([ACTUAL, NOT_RECEIVED, ESTIMATED, MISSING, NOT_RECEIVED]);
    const w = new Int32Array([7, 99, 7, 7, 0]); // a not-received slot's writer does not count
    const r = packWriters(w, q, 0, 5);
    expect(r).toEqual({ jobId: 7, blob: null });
    const out = new Int32Array(5).fill(-1);
    unpackWriters(r.jobId, r.blob, q, out, 0, 5);
    expect(Array.from(out)).toEqual([7, 0, 7, 7, 0]);
    expect(packWriters(new Int32Array(3), new Uint8Array(3).fill(NOT_RECEIVED), 0, 3)).toEqual({
      jobId: 0,
      blob: null,
    });
  });

  it('stores an int32 per half-hour (0 where nothing was received) when jobs are mixed', () => {
    const q = new Uint8Array([9, ACTUAL, NOT_RECEIVED, ACTUAL, MISSING]);
    const w = new Int32Array([9, 3, 42, 12, 3]);
    const r = packWriters(w, q, 1, 4);
    expect(r.jobId).toBe(0);
    expect(r.blob!.length).toBe(16);
    const out = new Int32Array(6).fill(-1);
    unpackWriters(r.jobId, r.blob, q.subarray(1), out, 1, 4);
    expect(Array.from(out)).toEqual([-1, 3, 0, 12, 3, -1]);
  });

  it('keeps a half-hour with no writing job (0) apart from a job that wrote the rest of the day', () => {
    // an upgraded reading whose batch was never recorded (batch_id NULL) next to an import's
    for (const w of [new Int32Array([0, 5, 5]), new Int32Array([5, 0, 5])]) {
      const q = new Uint8Array([ACTUAL, ACTUAL, ACTUAL]);
      const r = packWriters(w, q, 0, 3);
      const out = new Int32Array(3);
      unpackWriters(r.jobId, r.blob, q, out, 0, 3);
      expect(Array.from(out)).toEqual(Array.from(w));
    }
  });
});

describe('KbnSum', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());
  const sqliteTotal = (xs: number[]): number => {
    db.exec('DROP TABLE IF EXISTS t; CREATE TABLE t (i INTEGER PRIMARY KEY, x REAL)');
    const ins = db.prepare('INSERT INTO t (i, x) VALUES (?, ?)');
    db.transaction(() => xs.forEach((x, i) => ins.run(i, x)))();
    return db.prepare('SELECT total(x) FROM t').pluck().get() as number;
  };
  const kbn = (xs: number[]): number => {
    const s = new KbnSum();
    for (const x of xs) s.add(x);
    return s.value;
  };

  it("equals SQLite's total() to the last bit over the same values in the same order", () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const cases: number[][] = [
      [],
      [1.5],
      [0.1, 0.2, 0.3],
      [1e16, 1, -1e16],
      [1e100, 1, -1e100, 1e-100],
      Array.from({ length: 48 }, () => Math.round(rand() * 1e6) / 1e3),
      Array.from({ length: 1000 }, () => rand() * 10 ** Math.floor(rand() * 12 - 6)),
      Array.from({ length: 500 }, (_, i) => (i % 2 ? 1e15 : -1e15) + rand()),
      Array.from({ length: 96 }, (_, i) => 0.5610316666666667 * ((i % 25) + 1)),
    ];
    for (const xs of cases) {
      const expectedTotal = sqliteTotal(xs);
      expect(bits(kbn(xs))).toBe(bits(expectedTotal));
      // summarise computes the same sum inline
      const q = new Uint8Array(xs.length);
      expect(bits(summarise(Float64Array.from(xs), q, 0, xs.length).kwh)).toBe(bits(expectedTotal));
    }
  });

  it('differs from plain left-to-right addition where that loses precision (the test can tell them apart)', () => {
    const xs = [1e16, 1, -1e16];
    expect(xs.reduce((a, b) => a + b, 0)).toBe(0);
    expect(kbn(xs)).toBe(1);
    expect(sqliteTotal(xs)).toBe(1);
    const tenths = Array(10).fill(0.1);
    expect(tenths.reduce((a, b) => a + b, 0)).not.toBe(1);
    expect(kbn(tenths)).toBe(sqliteTotal(tenths));
  });
});

describe('summarise', () => {
  it('counts present, estimated and missing half-hours and finds min, max and the FIRST half-hour at the max', () => {
    const d = day([0.5, 2, undefined, 1, 2, null, 0.25, 2], { estimated: [3], at: 4, garbage: 1000 });
    const s = summarise(d.v, d.q, d.at, d.n);
    expect(s).toEqual({ kwh: 7.75, present: 6, estimated: 1, missing: 1, min: 0.25, max: 2, peakSlot: 1 });
    // a later, equal maximum does not move the peak; a larger one does
    const later = day([1, 3, 3, 5, 5]);
    expect(summarise(later.v, later.q, 0, 5).peakSlot).toBe(3);
    const first = day([9, 1, 9]);
    expect(summarise(first.v, first.q, 0, 3).peakSlot).toBe(0);
  });

  it('gives null min, max and peak (and 0 kWh) to a day with no values', () => {
    const d = day([null, undefined, null], { garbage: 5 });
    expect(summarise(d.v, d.q, 0, 3)).toEqual({
      kwh: 0,
      present: 0,
      estimated: 0,
      missing: 2,
      min: null,
      max: null,
      peakSlot: null,
    });
    const zero = day([0, 0]);
    expect(summarise(zero.v, zero.q, 0, 2)).toEqual({
      kwh: 0,
      present: 2,
      estimated: 0,
      missing: 0,
      min: 0,
      max: 0,
      peakSlot: 0,
    });
  });
});
