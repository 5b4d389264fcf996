/** Loose header matching: names are compared lower-cased with everything but letters and digits removed. */

/** "Read Datetime" → "readdatetime"; "KWH/hh (per half hour) " → "kwhhhperhalfhour"; "m³" → "m3". */
export const normaliseHeader = (h: string): string =>
  h
    .toLowerCase()
    .replace(/³/g, '3')
    .replace(/[^a-z0-9]/g, '');

/**
 * Index of the first header equal to one of the aliases (in alias order), else the first header
 * starting with one (aliases of 3+ characters), skipping columns already taken.
 */
export function findCol(norm: readonly string[], aliases: readonly string[], taken: readonly number[] = []): number {
  for (const a of aliases) {
    const i = norm.findIndex((n, k) => n === a && !taken.includes(k));
    if (i !== -1) return i;
  }
  for (const a of aliases) {
    if (a.length < 3) continue;
    const i = norm.findIndex((n, k) => n.startsWith(a) && !taken.includes(k));
    if (i !== -1) return i;
  }
  return -1;
}
