/**
 * A table's rows as a spreadsheet's CSV, pure: each column declares what it exports (a header with
 * its unit, and a raw value per row: a number stays a number, a time is written as ISO UTC and as UK
 * local time), and the file holds the rows in the order shown (lib/csv.ts: BOM, CRLF, formulas
 * neutralised). DataTable and ExportCsvButton use it; hand-made tables declare their columns here too.
 */
import { isoUtc, toLondonParts } from '../../src-shared/domain/london-time';
import { ukToday } from '../../src-shared/domain/periods';
import { spreadsheetCsv } from '../lib/csv';
import { fileSlug } from '../lib/download';
import { penceToPounds } from '../lib/money';

/** A cell's raw value in a CSV file (null or undefined: empty). */
export type CsvValue = string | number | null | undefined;

/** One column of a CSV file: its header (units included, e.g. "Consumption (kWh)") and each row's value. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/** What a table column exports: its raw value (under the column's own header), or CSV columns of its own. */
export type CsvSpec<T> = ((row: T) => CsvValue) | readonly CsvColumn<T>[];

/** A table column as far as export goes: its header on screen, and what it exports (nothing: left out). */
export interface ExportableColumn<T> {
  header?: unknown;
  /** The header in the file when the one on screen is not plain text or lacks the unit. */
  csvHeader?: string;
  csv?: CsvSpec<T>;
}

/**
 * The CSV columns of a table's columns, in order: a column with a `csv` function exports under
 * `csvHeader` or its own plain-text header; one with a list exports those; one without exports nothing.
 */
export function csvColumns<T>(columns: readonly (ExportableColumn<T> | false)[]): CsvColumn<T>[] {
  const out: CsvColumn<T>[] = [];
  for (const c of columns) {
    if (c === false || c.csv === undefined) continue;
    if (typeof c.csv !== 'function') {
      out.push(...c.csv);
      continue;
    }
    const header = c.csvHeader ?? (typeof c.header === 'string' ? c.header : null);
    if (header === null)
      throw new Error('A column exported with a csv value needs a csvHeader: its header is not text');
    out.push({ header, value: c.csv });
  }
  return out;
}

/** The rows under the columns' headers as a spreadsheet-safe CSV file's text. */
export function tableCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  return spreadsheetCsv(
    columns.map((c) => c.header),
    rows.map((r) => columns.map((c) => c.value(r))),
  );
}

const toSeconds = (t: string | number): number => (typeof t === 'number' ? t : Date.parse(t) / 1000);

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** A moment as the UK clock shows it, `DD/MM/YYYY HH:MM`, as Excel reads UK dates (the CLI's exports too). */
function ukClock(utcSeconds: number): string {
  const p = toLondonParts(utcSeconds);
  return `${two(p.day)}/${two(p.month)}/${p.year} ${two(p.hour)}:${two(p.minute)}`;
}

/**
 * A moment as two CSV columns, "`name` (UTC)" in ISO 8601 and "`name` (UK local)" as the UK clock
 * shows it (in the autumn's repeated hour the UTC column tells the two apart). `at` gives an ISO
 * string or Unix seconds, or null for none.
 */
export function timeColumns<T>(name: string, at: (row: T) => string | number | null | undefined): CsvColumn<T>[] {
  const seconds = (row: T): number | null => {
    const t = at(row);
    if (t === null || t === undefined) return null;
    const s = toSeconds(t);
    return Number.isFinite(s) ? Math.floor(s) : null;
  };
  return [
    {
      header: `${name} (UTC)`,
      value: (r) => {
        const s = seconds(r);
        return s === null ? null : isoUtc(s);
      },
    },
    {
      header: `${name} (UK local)`,
      value: (r) => {
        const s = seconds(r);
        return s === null ? null : ukClock(s);
      },
    },
  ];
}

/** Pence as pounds to the penny, as shown (a number, not "£1,234.56"); null stays null. */
export const poundsOf = (pence: number | null | undefined): number | null =>
  pence === null || pence === undefined ? null : penceToPounds(pence);

/** A share (0–1) as a percentage to 0.1 (a number); null stays null. */
export const percentOf = (share: number | null | undefined): number | null =>
  share === null || share === undefined ? null : Math.round(share * 1000) / 10;

/** A CSV file's name before `.csv`: `base-YYYY-MM-DD` (today, UK) or `base-part`; unsafe characters dashed. */
export function exportName(base: string, part: string = ukToday()): string {
  return fileSlug(`${base}-${part}`);
}
