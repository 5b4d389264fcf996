/** Shared cell parsing for all formats: quality flags, missing markers and units. */
import { ACTUAL, ESTIMATED, type Unit } from './types';

/** Maps a quality cell to ACTUAL or ESTIMATED: `E`, `Est`, `Estimated`, `Estimate` are estimated. */
export function parseQuality(v: string | undefined): number {
  if (!v) return ACTUAL;
  let i = 0;
  while (v.charCodeAt(i) === 32 || v.charCodeAt(i) === 34) i++;
  const c = v.charCodeAt(i) | 0x20; // lower-case ASCII
  return c === 101 /* e */ ? ESTIMATED : ACTUAL;
}

/** Unit named in a header or a Units cell, or null when it names none we know. */
export function unitFromText(text: string): Unit | null {
  const t = text.toLowerCase().replace(/\s+/g, '');
  if (/(^|[^k])wh\b|\(wh\)|^wh$/.test(t) && !/kwh/.test(t)) return 'wh';
  if (/m3|m³|cubicmet/.test(t)) return 'm3';
  if (/kwh/.test(t)) return 'kwh';
  return null;
}
