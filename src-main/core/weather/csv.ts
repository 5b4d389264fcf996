/**
 * Weather files a person imports: one value per UK day, either the mean temperature (°C) or heating
 * degree days, as a weather or degree-day service exports them (`date,meanTemperatureC`,
 * `date,hdd`, Open-Meteo's `time,temperature_2m_mean (°C)`, degreedays.net's `Date,HDD 15.5`).
 * Comma or semicolon separated (with `;` a decimal comma is read too), optional BOM, CRLF, quoted
 * cells; blank lines and lines before the header are skipped. All or nothing: any bad row refuses
 * the file, listing where each problem is.
 */
import { AppError } from '../../../src-shared/contract/errors';
import { dayFromDate, isoDay } from '../../../src-shared/domain/periods';
import { parseIsoDay } from './client';

export type WeatherFileKind = 'temperature' | 'hdd';

export interface WeatherFile {
  kind: WeatherFileKind;
  /** One row per day, in day order. */
  rows: { day: number; value: number }[];
  /** The degree-day base temperature (°C) when the header names it (`HDD 15.5`). */
  hddBase?: number;
}

export interface WeatherFileProblem {
  line: number;
  column: number;
  message: string;
}

/** Plausible daily means and degree days; values outside are typing or unit mistakes. */
export const TEMPERATURE_RANGE = [-50, 60] as const;
export const HDD_RANGE = [0, 80] as const;
/** Problems listed in the message (details carry up to MAX_DETAILS). */
const MAX_LISTED = 10;
const MAX_DETAILS = 200;
/** Lines before the header (a service's description of the export) that are skipped. */
const MAX_PREAMBLE_LINES = 20;

const DATE_NAMES = new Set(['date', 'day', 'time']);
const TEMPERATURE_NAMES = new Set([
  'meantemperaturec',
  'meantemperature',
  'meantempc',
  'meantemp',
  'temperaturec',
  'temperature',
  'tempc',
  'temp',
  'tmean',
  'tavg',
  'averagetemperature',
  'avgtemp',
  'temperature2mmean',
]);
const HDD_NAME = /^(?:hdd|heating degree days?|degree days?)(?:\s*\(?\s*(?:base\s*)?(\d+(?:\.\d+)?)\s*c?\s*\)?)?$/;

export const ACCEPTED_HEADERS =
  'a first line "date,meanTemperatureC" or "date,hdd": a date column (date, day or time), and a mean temperature column ' +
  '(meanTemperatureC, mean_temperature_c, temperature, temp, tmean, "mean temp (°C)") or a heating degree day column ' +
  '(hdd, "heating degree days", "degree days")';

/** A header cell, lower case, without °, units in brackets, `_`/`-` or repeated spaces. */
const headerText = (cell: string): string =>
  cell.toLowerCase().replace(/°/g, '').replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
/** A header text without a trailing unit (`(c)`, `[c]`). */
const unitless = (h: string): string => h.replace(/\s*[([]\s*c\s*[)\]]$/, '');
const compact = (h: string): string => unitless(h).replace(/\s+/g, '');

interface Header {
  dateCol: number;
  valueCol: number;
  kind: WeatherFileKind;
  hddBase?: number;
}

function readHeader(cells: string[]): Header | null {
  const names = cells.map((c) => unitless(headerText(c)));
  const dateCol = names.findIndex((n) => DATE_NAMES.has(compact(n)));
  const tempCol = names.findIndex((n) => TEMPERATURE_NAMES.has(compact(n)));
  const hddCol = names.findIndex((n) => HDD_NAME.test(n));
  if (dateCol === -1 || (tempCol === -1 && hddCol === -1)) return null;
  if (tempCol !== -1 && hddCol !== -1) return { dateCol, valueCol: -1, kind: 'temperature' };
  if (tempCol !== -1) return { dateCol, valueCol: tempCol, kind: 'temperature' };
  const base = HDD_NAME.exec(names[hddCol]!)![1];
  return { dateCol, valueCol: hddCol, kind: 'hdd', ...(base !== undefined ? { hddBase: Number(base) } : {}) };
}

/** Splits a line into cells (quotes may hold the delimiter and doubled quotes); null if a quote is left open. */
function splitLine(line: string, delimiter: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (c === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  if (quoted) return null;
  cells.push(cell.trim());
  return cells;
}

/** The day of `YYYY-MM-DD` or UK `DD/MM/YYYY` (also `D/M/YYYY`), or null. */
export function parseWeatherDate(s: string): number | null {
  const iso = parseIsoDay(s);
  if (iso !== null) return iso;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (!m) return null;
  const day = dayFromDate(+m[3]!, +m[2]!, +m[1]!);
  const back = isoDay(day);
  return back === `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` ? day : null;
}

/** `;` when a line has more semicolons than commas, else `,`. */
const delimiterOf = (line: string): string =>
  (line.match(/;/g)?.length ?? 0) > (line.match(/,/g)?.length ?? 0) ? ';' : ',';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Reads a weather file (see the top of this file); throws AppError('BAD_INPUT') listing every problem. */
export function parseWeatherCsv(text: string, fileName: string): WeatherFile {
  // a binary file (a spreadsheet saved as .xlsx, an image…) decodes with NULs or replacement characters
  const sample = text.slice(0, 4096);
  if (sample.includes('\u0000') || (sample.match(/\uFFFD/g)?.length ?? 0) > 2)
    throw new AppError(
      'BAD_INPUT',
      `${fileName} is not a text file (it looks like a spreadsheet or other binary file): save it as CSV, with ${ACCEPTED_HEADERS}`,
      { errors: [{ line: 1, column: 1, message: 'not a text (CSV) file' }] },
    );
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const firstUsed = lines.findIndex((l) => l.trim() !== '');
  if (firstUsed === -1)
    throw new AppError('BAD_INPUT', `${fileName} is empty: expected ${ACCEPTED_HEADERS}, then one line per day`, {
      errors: [{ line: 1, column: 1, message: 'the file is empty' }],
    });
  const first = lines[firstUsed]!;

  let header: Header | null = null;
  let headerLine = -1;
  let delimiter = ',';
  for (let i = firstUsed, seen = 0; i < lines.length && seen < MAX_PREAMBLE_LINES && !header; i++) {
    if (lines[i]!.trim() === '') continue;
    seen++;
    delimiter = delimiterOf(lines[i]!);
    const cells = splitLine(lines[i]!, delimiter);
    if (!cells) continue;
    if (parseWeatherDate(cells[0]!) !== null) break; // data before any header
    header = readHeader(cells);
    headerLine = i;
  }
  if (!header)
    throw new AppError(
      'BAD_INPUT',
      `${fileName} has no header this app recognises (line ${firstUsed + 1} is "${first.slice(0, 60)}"): expected ${ACCEPTED_HEADERS}`,
      { errors: [{ line: firstUsed + 1, column: 1, message: 'no recognised header' }] },
    );
  const headerCells = splitLine(lines[headerLine]!, delimiter)!;
  if (header.valueCol === -1)
    throw new AppError(
      'BAD_INPUT',
      `${fileName} line ${headerLine + 1} has both a temperature and a degree-day column: keep one of them and import the file again`,
      { errors: [{ line: headerLine + 1, column: 1, message: 'both a temperature and a degree-day column' }] },
    );
  const { dateCol, valueCol, kind } = header;
  const dateName = headerCells[dateCol]!;
  const valueName = headerCells[valueCol]!;
  const [lo, hi] = kind === 'temperature' ? TEMPERATURE_RANGE : HDD_RANGE;
  const expectedValue =
    kind === 'temperature'
      ? `a mean temperature in °C between ${lo} and ${hi}`
      : `heating degree days between ${lo} and ${hi}`;

  const problems: WeatherFileProblem[] = [];
  const byDay = new Map<number, { value: number; line: number }>();
  const problem = (line: number, column: number, name: string, expected: string, found: string): void => {
    problems.push({
      line,
      column,
      message: `${fileName} line ${line}, column ${column} (${name}): expected ${expected}, found "${found.slice(0, 40)}"`,
    });
  };
  for (let i = headerLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = splitLine(line, delimiter);
    if (!cells) {
      const col = line.slice(0, line.lastIndexOf('"')).split(delimiter).length;
      problem(
        i + 1,
        col,
        headerCells[col - 1] ?? `column ${col}`,
        'a closing quote (")',
        line.slice(line.lastIndexOf('"')),
      );
      continue;
    }
    const dateText = cells[dateCol] ?? '';
    const valueText = cells[valueCol] ?? '';
    const day = parseWeatherDate(dateText);
    if (day === null) problem(i + 1, dateCol + 1, dateName, 'a date YYYY-MM-DD or DD/MM/YYYY', dateText);
    const numeric = delimiter === ';' ? valueText.replace(',', '.') : valueText;
    const value = NUMBER.test(numeric) ? Number(numeric) : NaN;
    if (Number.isNaN(value)) problem(i + 1, valueCol + 1, valueName, expectedValue, valueText);
    else if (value < lo || value > hi) problem(i + 1, valueCol + 1, valueName, expectedValue, valueText);
    if (day === null || Number.isNaN(value) || value < lo || value > hi) continue;
    const before = byDay.get(day);
    if (before && before.value !== value)
      problem(
        i + 1,
        dateCol + 1,
        dateName,
        `one value per day (line ${before.line} gives ${isoDay(day)} the value ${before.value}, this line ${value})`,
        dateText,
      );
    else if (!before) byDay.set(day, { value, line: i + 1 });
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).map((p) => p.message);
    const more = problems.length - listed.length;
    throw new AppError(
      'BAD_INPUT',
      `${fileName} was not imported (nothing was stored): ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}\n` +
        listed.join('\n') +
        (more > 0 ? `\n… and ${more} more` : ''),
      { errors: problems.slice(0, MAX_DETAILS) },
    );
  }
  if (byDay.size === 0)
    throw new AppError(
      'BAD_INPUT',
      `${fileName} has a header but no days: expected one line per day after line ${headerLine + 1}`,
      {
        errors: [{ line: headerLine + 1, column: 1, message: 'no days after the header' }],
      },
    );
  return {
    kind,
    rows: [...byDay.entries()].sort(([a], [b]) => a - b).map(([day, v]) => ({ day, value: v.value })),
    ...(header.hddBase !== undefined ? { hddBase: header.hddBase } : {}),
  };
}
