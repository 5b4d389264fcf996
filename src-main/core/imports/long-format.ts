/**
 * The row-per-reading ("long") format: one meter half-hour per row with a meter id, a timestamp
 * (the interval start) and a kWh value, plus an optional quality column. Headers are matched
 * loosely, by normalised name, never by file name.
 */
import { splitCsv, sniffDelimiter } from './csv';

/** Lower-case and strip everything but letters and digits: "Read Datetime" → "readdatetime". */
export const normaliseHeader = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

const METER = ['mpan', 'mpancore', 'mpr', 'mprn', 'metercode', 'meter', 'meterid', 'meterpoint', 'meterpointid', 'mpxn', 'mpanmprn', 'supplyid', 'lclid', 'meterserial', 'serial', 'msn', 'meternumber'];
const TIMESTAMP = ['timestamp', 'datetime', 'readdatetime', 'readingdatetime', 'intervalstart', 'start', 'starttime', 'time', 'readingtime', 'date', 'datetimeutc', 'periodstart', 'tstp', 'readdate', 'readingdate'];
const KWH = ['kwh', 'consumption', 'consumptionkwh', 'energykwh', 'kwhhh', 'kwhhhperhalfhour', 'energykwhhh', 'value', 'reading', 'usage', 'usagekwh', 'meterread', 'meterconsumption', 'primaryvalue'];
const QUALITY = ['quality', 'readtype', 'dataquality', 'type', 'flag', 'dqflag', 'est', 'estimated', 'actualorestimate', 'status'];

export interface LongLayout {
  delimiter: string;
  /** 1-based line number of the header. */
  headerLine: number;
  meterCol: number;
  tsCol: number;
  kwhCol: number;
  qualityCol: number;
  headers: string[];
}

function findCol(norm: string[], aliases: readonly string[]): number {
  for (const a of aliases) {
    const i = norm.indexOf(a);
    if (i !== -1) return i;
  }
  // Looser: a header that starts with an alias ("kwh/hh (per half hour)" → "kwhhhperhalfhour").
  for (const a of aliases) {
    if (a.length < 3) continue;
    const i = norm.findIndex((n) => n.startsWith(a));
    if (i !== -1) return i;
  }
  return -1;
}

/**
 * Finds the header among the first lines (skipping `sep=,` hints and report titles) and maps its
 * columns. Returns a reason instead when no line has a meter, a timestamp and a kWh column.
 */
export function detectLongLayout(lines: readonly string[]): LongLayout | { reason: string } {
  let forced: string | null = null;
  const limit = Math.min(lines.length, 30);
  for (let i = 0; i < limit; i++) {
    const line = lines[i]!.replace(/^\uFEFF/, '');
    const sep = /^sep=(.)\s*$/i.exec(line.trim());
    if (sep) {
      forced = sep[1]!;
      continue;
    }
    if (line.trim() === '') continue;
    const delimiter = forced ?? sniffDelimiter(line);
    const headers = splitCsv(line, delimiter).map((h) => h.trim());
    const norm = headers.map(normaliseHeader);
    const meterCol = findCol(norm, METER);
    const tsCol = findCol(norm, TIMESTAMP);
    let kwhCol = findCol(norm, KWH);
    if (kwhCol === tsCol || kwhCol === meterCol) kwhCol = -1;
    if (meterCol !== -1 && tsCol !== -1 && kwhCol !== -1 && meterCol !== tsCol) {
      let qualityCol = findCol(norm, QUALITY);
      if (qualityCol === meterCol || qualityCol === tsCol || qualityCol === kwhCol) qualityCol = -1;
      return { delimiter, headerLine: i + 1, meterCol, tsCol, kwhCol, qualityCol, headers };
    }
  }
  const first = lines.find((l) => l.trim() !== '' && !/^sep=/i.test(l.trim())) ?? '';
  return {
    reason:
      `no header row with a meter column (e.g. MPAN, MeterCode, Meter), a timestamp column (e.g. Timestamp, DateTime, ReadDatetime) ` +
      `and a kWh column (e.g. kWh, Consumption) was found in the first ${limit} lines` +
      (first ? `; the first line reads "${first.slice(0, 120)}"` : '; the file is empty'),
  };
}

/** Maps a quality cell to 0 actual, 1 estimated (unknown text counts as actual). */
export function parseQuality(v: string | undefined): number {
  if (!v) return 0;
  const c = v.trim().charAt(0).toUpperCase();
  return c === 'E' ? 1 : 0;
}

const MISSING = new Set(['', 'null', 'na', 'n/a', '-', 'nan', 'missing']);

export type ValueResult = { kind: 'value'; kwh: number } | { kind: 'missing' } | { kind: 'error'; message: string };

/** Parses a kWh cell: blank or Null is a missing half-hour, never zero; negatives are rejected. */
export function parseKwh(raw: string | undefined, ceiling: number): ValueResult {
  const s = (raw ?? '').trim();
  if (MISSING.has(s.toLowerCase())) return { kind: 'missing' };
  const v = Number(s);
  if (!Number.isFinite(v)) return { kind: 'error', message: `kWh value "${s.slice(0, 30)}" is not a number` };
  if (v < 0) return { kind: 'error', message: `kWh value ${s} is negative; consumption cannot be below zero` };
  if (v > ceiling) return { kind: 'error', message: `kWh value ${s} is above the plausible ceiling of ${ceiling} kWh per half-hour` };
  return { kind: 'value', kwh: v };
}
