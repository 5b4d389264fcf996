/**
 * Meter identifiers: MPAN (electricity, 13-digit core with a check digit, or the 21-character
 * full MPAN with its top line), MPRN (gas, 6–10 digits, no public check digit) or another id a
 * file uses (a meter serial, a research household id).
 */

const PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** Expected check digit of a 13-digit MPAN core (the last digit is the check). */
export function mpanCheckDigit(core: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (core.charCodeAt(i) - 48) * PRIMES[i]!;
  return (sum % 11) % 10;
}

export type MeterIdKind = 'mpan' | 'mprn' | 'other';

export type ParsedMeterId =
  | { ok: true; id: string; kind: MeterIdKind; fuel: 'electricity' | 'gas' | null; topLine: string | null }
  | { ok: false; reason: string };

const DIGITS13 = /^\d{13}$/;
const FULL_MPAN = /^(\d{2})(\d{3})([A-Z0-9]{3})(\d{13})$/;
const MPRN = /^\d{6,10}$/;
const OTHER = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;

/**
 * Classifies and validates a meter id. Anything that looks like an MPAN (13 digits or a 21-character
 * full MPAN) must pass the check digit; a 21-character MPAN keeps its top line and is stored by core.
 */
export function parseMeterId(raw: string): ParsedMeterId {
  const s = raw.trim().replace(/\s+/g, '').toUpperCase();
  if (s === '') return { ok: false, reason: 'The meter id is blank' };
  const full = FULL_MPAN.exec(s);
  if (full) {
    const core = full[4]!;
    const expected = mpanCheckDigit(core);
    if (expected !== core.charCodeAt(12) - 48) {
      return { ok: false, reason: `MPAN ${core} fails its check digit (expected ${expected} as the last digit)` };
    }
    return { ok: true, id: core, kind: 'mpan', fuel: 'electricity', topLine: `${full[1]}${full[2]}${full[3]}` };
  }
  if (DIGITS13.test(s)) {
    const expected = mpanCheckDigit(s);
    if (expected !== s.charCodeAt(12) - 48) {
      return { ok: false, reason: `MPAN ${s} fails its check digit (expected ${expected} as the last digit)` };
    }
    return { ok: true, id: s, kind: 'mpan', fuel: 'electricity', topLine: null };
  }
  if (MPRN.test(s)) return { ok: true, id: s, kind: 'mprn', fuel: 'gas', topLine: null };
  if (OTHER.test(raw.trim())) return { ok: true, id: raw.trim(), kind: 'other', fuel: null, topLine: null };
  return {
    ok: false,
    reason: `"${raw.slice(0, 40)}" is not an MPAN, MPRN or meter id (letters, digits, . _ - / only, up to 64 characters)`,
  };
}
