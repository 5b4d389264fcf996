/**
 * Fast timestamp parsing for meter files (millions of rows): ISO 8601 with or without an offset,
 * UK `DD/MM/YYYY HH:MM[:SS]`, `DD/MM/YY`, `DD-MM-YYYY`, `04 Nov 2019 00:30:00` and
 * `Nov 13 2019 12:00AM`. Returns wall-clock fields plus the offset in minutes when one was given.
 */

export interface WallClock {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  /** Offset east of UTC in minutes, or null when the text carried no zone (UK local time). */
  offset: number | null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** Parses `HH:MM[:SS[.fffffff]]` (or `H:MM`, optional ` AM`/`PM`) then an optional zone, from index i. */
function parseTimeAndZone(s: string, i: number, out: WallClock): boolean {
  while (i < s.length && (s.charCodeAt(i) === 32 || s[i] === 'T')) i++;
  if (i >= s.length) {
    out.h = 0;
    out.mi = 0;
    out.s = 0;
    return true;
  }
  let hLen = isDigit(s.charCodeAt(i + 1)) ? 2 : 1;
  const h = num(s, i, hLen);
  if (h < 0 || s.charCodeAt(i + hLen) !== 58) return false;
  i += hLen + 1;
  const mi = num(s, i, 2);
  if (mi < 0) return false;
  i += 2;
  let sec = 0;
  if (s.charCodeAt(i) === 58) {
    sec = num(s, i + 1, 2);
    if (sec < 0) return false;
    i += 3;
    if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
      i++;
      while (isDigit(s.charCodeAt(i))) i++; // fractional seconds: accepted, must be whole in practice
    }
  }
  let hour = h;
  while (s.charCodeAt(i) === 32) i++;
  const rest = s.slice(i).toUpperCase();
  hLen = 0;
  if (rest.startsWith('AM') || rest.startsWith('PM')) {
    if (hour < 1 || hour > 12) return false;
    if (rest[0] === 'A') hour = hour === 12 ? 0 : hour;
    else hour = hour === 12 ? 12 : hour + 12;
    i += 2;
    while (s.charCodeAt(i) === 32) i++;
  }
  out.h = hour;
  out.mi = mi;
  out.s = sec;
  if (i >= s.length) {
    out.offset = null;
    return true;
  }
  const c = s[i];
  if (c === 'Z' || c === 'z') {
    out.offset = 0;
    return i + 1 === s.length;
  }
  if (c === '+' || c === '-') {
    const oh = num(s, i + 1, 2);
    let om = 0;
    let end = i + 3;
    if (s.charCodeAt(end) === 58) {
      om = num(s, end + 1, 2);
      end += 3;
    } else if (isDigit(s.charCodeAt(end))) {
      om = num(s, end, 2);
      end += 2;
    }
    // real UTC offsets run from -12:00 to +14:00
    if (oh < 0 || om < 0 || end !== s.length || oh > 14 || om > 59) return false;
    out.offset = (c === '-' ? -1 : 1) * (oh * 60 + om);
    return true;
  }
  if (rest === 'UTC' || rest === 'GMT') {
    out.offset = 0;
    return true;
  }
  return false;
}

/** Parses a timestamp; returns null when the text is not one of the supported shapes. */
export function parseWallClock(raw: string): WallClock | null {
  const s = raw.trim();
  const out: WallClock = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0, offset: null };
  if (s.length < 8) return null;
  let i: number;
  const c4 = s.charCodeAt(4);
  if (isDigit(s.charCodeAt(0)) && isDigit(s.charCodeAt(3)) && (c4 === 45 || c4 === 47)) {
    // YYYY-MM-DD or YYYY/MM/DD
    out.y = num(s, 0, 4);
    out.mo = num(s, 5, 2);
    out.d = num(s, 8, 2);
    if (out.y < 0 || out.mo < 0 || out.d < 0 || s.charCodeAt(7) !== c4) return null;
    i = 10;
  } else if (isDigit(s.charCodeAt(0)) && (s.charCodeAt(2) === 47 || s.charCodeAt(2) === 45 || s.charCodeAt(1) === 47)) {
    // DD/MM/YYYY, DD/MM/YY, DD-MM-YYYY, D/M/YYYY
    const m = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?=$|[ T])/.exec(s);
    if (!m) return null;
    out.d = +m[1]!;
    out.mo = +m[3]!;
    out.y = m[4]!.length === 2 ? 2000 + +m[4]! : +m[4]!;
    i = m[0].length;
  } else {
    // 04 Nov 2019 00:30:00  |  Nov 13 2019 12:00AM
    const a = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})/.exec(s);
    const b = a ? null : /^([A-Za-z]{3})[a-z]* {1,2}(\d{1,2}) (\d{4})/.exec(s);
    if (a) {
      out.d = +a[1]!;
      out.mo = MONTHS[a[2]!.toLowerCase()] ?? 0;
      out.y = +a[3]!;
      i = a[0].length;
    } else if (b) {
      out.mo = MONTHS[b[1]!.toLowerCase()] ?? 0;
      out.d = +b[2]!;
      out.y = +b[3]!;
      i = b[0].length;
    } else return null;
  }
  if (out.mo < 1 || out.mo > 12 || out.d < 1 || out.d > 31 || out.y < 1990 || out.y > 2100) return null;
  if (out.d > new Date(Date.UTC(out.y, out.mo, 0)).getUTCDate()) return null;
  if (!parseTimeAndZone(s, i, out)) return null;
  if (out.h > 24 || out.mi > 59 || out.s > 59 || (out.h === 24 && (out.mi !== 0 || out.s !== 0))) return null;
  return out;
}
