/**
 * UK postcodes: their shape (an outward code of 2–4 characters, a space, an inward code of a digit
 * and two letters) and the one way they are written ("ba1 7ub", "BA17UB" → "BA1 7UB").
 */

const SHAPE = /^([A-Z]{1,2}\d[A-Z\d]?|GIR)(\d[A-Z]{2})$/;

/** The postcode written as the Royal Mail writes it, or null when it is not a UK postcode's shape. */
export function normalisePostcode(raw: string): string | null {
  const s = raw.toUpperCase().replace(/\s+/g, '');
  const m = SHAPE.exec(s);
  if (!m || (m[1] === 'GIR' && m[2] !== '0AA')) return null;
  return `${m[1]} ${m[2]}`;
}
