/**
 * Reading numbers, flags and timestamps straight from a file's bytes (the import's hot path makes
 * no string per row). Each fast path accepts only shapes it reads exactly as the general
 * (string) parsers do, and says "not mine" (NaN / false) for anything else, which then takes the
 * general path — so a value means the same whichever path read it.
 */
import { ACTUAL, ESTIMATED } from './types';

const daysIn = (y: number, mo: number): number =>
  mo === 2
    ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
      ? 29
      : 28
    : mo === 4 || mo === 6 || mo === 9 || mo === 11
      ? 30
      : 31;

/**
 * An unsigned decimal like `1.25` or `0.969` in buf[a, b), or NaN for anything else (signs,
 * exponents, spaces, more than 15 characters take the general path). mantissa / 10^k with both
 * exact is correctly rounded, so the result equals Number(text).
 */
export function decimalAt(buf: Uint8Array, a: number, b: number): number {
  if (b - a === 0 || b - a > 15) return NaN;
  let mant = 0;
  let scale = 1;
  let dot = false;
  let digits = 0;
  for (let i = a; i < b; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      if (dot) scale *= 10;
      digits++;
    } else if (c === 46 && !dot) dot = true;
    else return NaN;
  }
  return digits ? mant / scale : NaN;
}

/** True when buf[a, b) holds nothing but spaces. */
export function blankAt(buf: Uint8Array, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (buf[i] !== 32) return false;
  return true;
}

/** A quality cell: `E`, `Est`, `Estimated` (any case, after spaces or a quote) is estimated; anything else actual. */
export function qualityAt(buf: Uint8Array, a: number, b: number): number {
  let i = a;
  while (i < b && (buf[i] === 32 || buf[i] === 34)) i++;
  return i < b && (buf[i]! | 0x20) === 101 ? ESTIMATED : ACTUAL;
}

/** True when buf[a, b) equals `bytes`. */
export function bytesEqual(buf: Uint8Array, a: number, b: number, bytes: Uint8Array, n: number): boolean {
  if (b - a !== n) return false;
  for (let i = 0; i < n; i++) if (buf[a + i] !== bytes[i]) return false;
  return true;
}

/** What a timestamp's bytes say: a UTC instant, or a UK wall-clock time to resolve. */
export interface TsParts {
  /** 'utc': `utc` holds epoch seconds; 'local': y…s are a wall-clock time with no zone. */
  kind: 'utc' | 'local';
  utc: number;
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

const two = (buf: Uint8Array, i: number): number => {
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * Reads the common timestamp shapes from bytes: `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z]` and
 * `DD/MM/YYYY HH:MM[:SS]`. Returns false for any other shape (or an impossible date or time),
 * which the caller reads with the general parser. Dates are checked as the general parser checks
 * them (years 1990–2100, real calendar days).
 */
export function timestampAt(
  buf: Uint8Array,
  a: number,
  b: number,
  out: TsParts,
  dayCache: Map<number, number>,
): boolean {
  const len = b - a;
  if (len < 16) return false;
  let y: number;
  let mo: number;
  let d: number;
  let i: number;
  if (buf[a + 4] === 45 && buf[a + 7] === 45) {
    const hi = two(buf, a);
    const lo = two(buf, a + 2);
    if (hi < 0 || lo < 0) return false;
    y = hi * 100 + lo;
    mo = two(buf, a + 5);
    d = two(buf, a + 8);
    i = a + 10;
  } else if (buf[a + 2] === 47 && buf[a + 5] === 47) {
    d = two(buf, a);
    mo = two(buf, a + 3);
    const hi = two(buf, a + 6);
    const lo = two(buf, a + 8);
    if (hi < 0 || lo < 0) return false;
    y = hi * 100 + lo;
    i = a + 10;
  } else return false;
  if (mo < 1 || mo > 12 || d < 1 || y < 1990 || y > 2100 || d > daysIn(y, mo)) return false;
  const sep = buf[i];
  if (sep !== 84 && sep !== 32) return false;
  const h = two(buf, i + 1);
  const mi = two(buf, i + 4);
  if (buf[i + 3] !== 58 || h < 0 || h > 23 || mi < 0 || mi > 59) return false;
  i += 6;
  let s = 0;
  if (i < b && buf[i] === 58) {
    s = two(buf, i + 1);
    if (s < 0 || s > 59) return false;
    i += 3;
    if (i < b && buf[i] === 46) {
      i++;
      while (i < b && buf[i]! >= 48 && buf[i]! <= 57) i++;
    }
  }
  out.y = y;
  out.mo = mo;
  out.d = d;
  out.h = h;
  out.mi = mi;
  out.s = s;
  if (i === b) {
    out.kind = 'local';
    return true;
  }
  if (i + 1 === b && (buf[i] === 90 || buf[i] === 122)) {
    const key = y * 10000 + mo * 100 + d;
    let day = dayCache.get(key);
    if (day === undefined) {
      day = Date.UTC(y, mo - 1, d) / 1000;
      dayCache.set(key, day);
    }
    out.kind = 'utc';
    out.utc = day + h * 3600 + mi * 60 + s;
    return true;
  }
  return false;
}

/** The value read by the last successful decimalFrom. */
export const lastDecimal = { value: 0 };

/**
 * An unsigned decimal starting at buf[a]: digits with at most one point, up to 15 characters.
 * Returns the offset just after it (the value in lastDecimal), or -1. Equal to Number(text), as
 * decimalAt.
 */
export function decimalFrom(buf: Uint8Array, a: number, end: number): number {
  let mant = 0;
  let scale = 1;
  let dot = false;
  let i = a;
  const stop = Math.min(end, a + 15);
  for (; i < stop; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      if (dot) scale *= 10;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (
    i === a ||
    (dot && i === a + 1) ||
    (i === stop && stop < end && ((buf[i]! >= 48 && buf[i]! <= 57) || buf[i] === 46))
  )
    return -1;
  lastDecimal.value = mant / scale;
  return i;
}

/** The last date read by timestampFrom (its ten bytes and what they meant), to skip re-reading a repeated date. */
export class DateMemo {
  readonly bytes = new Uint8Array(10);
  ok = false;
  y = 0;
  mo = 0;
  d = 0;
  utcMidnight = 0;
}

/**
 * A timestamp starting at buf[a] in the common shapes (as timestampAt), without knowing where the
 * field ends: returns the offset just after it, or -1. `memo` remembers the last date's bytes.
 */
export function timestampFrom(buf: Uint8Array, a: number, end: number, out: TsParts, memo: DateMemo): number {
  if (a + 16 > end) return -1;
  const mb = memo.bytes;
  if (!(
    memo.ok &&
    buf[a] === mb[0] &&
    buf[a + 1] === mb[1] &&
    buf[a + 2] === mb[2] &&
    buf[a + 3] === mb[3] &&
    buf[a + 4] === mb[4] &&
    buf[a + 5] === mb[5] &&
    buf[a + 6] === mb[6] &&
    buf[a + 7] === mb[7] &&
    buf[a + 8] === mb[8] &&
    buf[a + 9] === mb[9]
  )) {
    let y: number;
    let mo: number;
    let d: number;
    if (buf[a + 4] === 45 && buf[a + 7] === 45) {
      const hi = two(buf, a);
      const lo = two(buf, a + 2);
      if (hi < 0 || lo < 0) return -1;
      y = hi * 100 + lo;
      mo = two(buf, a + 5);
      d = two(buf, a + 8);
    } else if (buf[a + 2] === 47 && buf[a + 5] === 47) {
      d = two(buf, a);
      mo = two(buf, a + 3);
      const hi = two(buf, a + 6);
      const lo = two(buf, a + 8);
      if (hi < 0 || lo < 0) return -1;
      y = hi * 100 + lo;
    } else return -1;
    if (mo < 1 || mo > 12 || d < 1 || y < 1990 || y > 2100 || d > daysIn(y, mo)) return -1;
    for (let k = 0; k < 10; k++) mb[k] = buf[a + k]!;
    memo.ok = true;
    memo.y = y;
    memo.mo = mo;
    memo.d = d;
    memo.utcMidnight = Date.UTC(y, mo - 1, d) / 1000;
  }
  let i = a + 10;
  const sep = buf[i];
  if (sep !== 84 && sep !== 32) return -1;
  const h = two(buf, i + 1);
  const mi = two(buf, i + 4);
  if (buf[i + 3] !== 58 || h < 0 || h > 23 || mi < 0 || mi > 59) return -1;
  i += 6;
  let sec = 0;
  if (i < end && buf[i] === 58) {
    sec = two(buf, i + 1);
    if (sec < 0 || sec > 59) return -1;
    i += 3;
    if (i < end && buf[i] === 46) {
      i++;
      while (i < end && buf[i]! >= 48 && buf[i]! <= 57) i++;
    }
  }
  out.y = memo.y;
  out.mo = memo.mo;
  out.d = memo.d;
  out.h = h;
  out.mi = mi;
  out.s = sec;
  if (i < end && (buf[i] === 90 || buf[i] === 122)) {
    out.kind = 'utc';
    out.utc = memo.utcMidnight + h * 3600 + mi * 60 + sec;
    return i + 1;
  }
  out.kind = 'local';
  return i;
}
