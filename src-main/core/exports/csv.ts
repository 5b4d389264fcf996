/**
 * A streaming CSV writer for exports that open correctly in Excel for UK users: UTF-8 with a byte
 * order mark, CRLF line ends, decimal points, fields quoted only when they need it, and text cells
 * that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or carriage return)
 * neutralised with a leading apostrophe. Numbers are written as numbers, negative ones included.
 * Rows are written as they are produced, in chunks, waiting for the stream to drain.
 */
import type { Writable } from 'node:stream';
import { toLondonParts } from '../../../src-shared/domain/london-time';

/** One cell: text (neutralised and quoted as needed), a number (blank when NaN), or blank. */
export type Cell = string | number | null | undefined;

/** Several formed lines at once (`rows` of them): producers of millions of rows yield a day's lines together. */
export interface Block {
  text: string;
  rows: number;
}

/** What a producer yields: a row of cells, one formed line (from `csvLine`), or a block of lines. */
export type Row = readonly Cell[] | string | Block;

/** The UTF-8 byte order mark Excel needs to read the file as UTF-8. */
export const BOM = '\uFEFF';

const CHUNK = 64 * 1024;
const FORMULA = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell as written: an apostrophe before a formula trigger, quoted when it holds a comma, quote or line end. */
export function textCell(s: string): string {
  const safe = FORMULA.test(s) ? `'${s}` : s;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number as written: the shortest decimal that reads back as the same number, never an exponent; NaN is blank. */
export function numberCell(n: number): string {
  if (n !== n || !Number.isFinite(n)) return '';
  // meter readings mostly have at most 3 decimals: written from integers, several times faster than
  // the general conversion and the same text (below 1e9 such numbers are further apart than doubles)
  const m = Math.round(n * 1000);
  if (m / 1000 === n && m < 1e12 && m > -1e12) {
    const a = m < 0 ? -m : m;
    const whole = Math.floor(a / 1000);
    const f = a - whole * 1000;
    const head = (m < 0 ? '-' : '') + whole;
    if (f === 0) return head;
    if (f % 100 === 0) return `${head}.${f / 100}`;
    if (f % 10 === 0) return `${head}.${f < 100 ? '0' : ''}${f / 10}`;
    return `${head}.${f < 10 ? '00' : f < 100 ? '0' : ''}${f}`;
  }
  const s = '' + n;
  if (s.indexOf('e') === -1) return s;
  // 1e-7 → 0.0000001, 1.5e+21 → 1500000000000000000000: Excel and the importer read plain decimals
  const [mant, exp] = s.split('e') as [string, string];
  const neg = mant.startsWith('-');
  const abs = neg ? mant.slice(1) : mant;
  const digits = abs.replace('.', '');
  const point = abs.indexOf('.');
  const at = (point === -1 ? abs.length : point) + Number(exp);
  let body: string;
  if (at <= 0) body = `0.${'0'.repeat(-at)}${digits}`;
  else if (at >= digits.length) body = digits + '0'.repeat(at - digits.length);
  else body = `${digits.slice(0, at)}.${digits.slice(at)}`;
  return (neg ? '-' : '') + body;
}

/**
 * A computed figure to `dp` decimals (null stays blank): sums and products of readings carry binary
 * noise (27093.542999999998) that Excel would show; kWh and kg to the watt-hour and gram.
 */
export function round(n: number | null, dp = 3): number | null {
  return n === null ? null : Math.round(n * 10 ** dp) / 10 ** dp;
}

/** One row as a CSV line with its CRLF. */
export function csvLine(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (i > 0) line += ',';
    if (typeof c === 'number') line += numberCell(c);
    else if (typeof c === 'string') line += textCell(c);
  }
  return line + '\r\n';
}

/** Writes `text` to `out`, waiting for the stream to drain when its buffer is full. */
async function put(out: Writable, text: string): Promise<void> {
  if (out.write(text, 'utf8')) return;
  await new Promise<void>((resolve, reject) => {
    const done = (e?: Error) => {
      out.off('drain', done);
      out.off('error', done);
      if (e) reject(e);
      else resolve();
    };
    out.once('drain', done);
    out.once('error', done);
  });
}

/**
 * Writes a BOM, then each row as it is produced, in chunks of about 64 KB. Resolves with the number
 * of rows written (the header included).
 */
export async function writeCsv(out: Writable, rows: Iterable<Row> | AsyncIterable<Row>): Promise<number> {
  let buf = BOM;
  let n = 0;
  const take = (row: Row): boolean => {
    if (typeof row === 'string') {
      buf += row;
      n++;
    } else if ('text' in row) {
      buf += row.text;
      n += row.rows;
    } else {
      buf += csvLine(row);
      n++;
    }
    return buf.length >= CHUNK;
  };
  const flush = async (): Promise<void> => {
    await put(out, buf);
    buf = '';
  };
  // a synchronous source awaits only per chunk, not per row
  if (Symbol.iterator in rows) {
    for (const row of rows) if (take(row)) await flush();
  } else for await (const row of rows) if (take(row)) await flush();
  if (buf) await flush();
  return n;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** A UTC instant (epoch seconds) as the UK clock shows it, `DD/MM/YYYY HH:MM`, as Excel reads UK dates. */
export function ukDateTime(utcSeconds: number): string {
  const p = toLondonParts(utcSeconds);
  return `${two(p.day)}/${two(p.month)}/${p.year} ${two(p.hour)}:${two(p.minute)}`;
}
