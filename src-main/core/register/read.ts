/**
 * Reads a register file into rows of cells with their line numbers: CSV (UTF-8 with or without a
 * BOM, UTF-16 as Excel's "Unicode text", or Windows-1252 as Excel's plain "CSV"; `,`, `;` or tab;
 * CRLF; RFC 4180 quotes) or XLSX (the sheet named like "register", else the first). A CSV line
 * number is the file's line (a quoted cell spanning lines counts them all); an XLSX line is its row.
 */
import readExcelFile from 'read-excel-file/node';
import { AppError } from '../../../src-shared/contract/errors';
import { CsvRecord, detectEncoding, scanRecords, splitCsv } from '../imports/csv';

/** A cell as read: CSV gives text; XLSX also numbers, dates and booleans. */
export type Cell = string | number | Date | boolean | null;

export interface RawRow {
  /** 1-based line (CSV) or row (XLSX) number. */
  line: number;
  cells: Cell[];
  /** A CSV row that could not be split (a quote never closed): its column and what is wrong. */
  problem?: { column: number; message: string };
}

export interface RegisterSheet {
  format: 'csv' | 'xlsx';
  rows: RawRow[];
  /** A `;`-separated CSV: numbers written with a decimal comma ("51,38"). */
  decimalComma: boolean;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
/** Lines looked at to choose the delimiter (a title line may come before the header). */
const SNIFF_LINES = 10;

/** Reads a register file's rows (blank rows left out). */
export async function readRegister(bytes: Buffer, fileName: string): Promise<RegisterSheet> {
  if (bytes.length === 0) throw new AppError('BAD_INPUT', `${fileName} is empty`);
  if (bytes.subarray(0, 4).equals(OLE))
    throw new AppError(
      'BAD_INPUT',
      `${fileName} is an old Excel (.xls) workbook: save it as .xlsx or CSV and import it again`,
    );
  if (bytes.subarray(0, 4).equals(ZIP))
    return { format: 'xlsx', rows: await readXlsx(bytes, fileName), decimalComma: false };
  const text = decode(bytes, fileName);
  const delimiter = delimiterOf(text);
  return { format: 'csv', rows: readCsv(text, delimiter), decimalComma: delimiter === ';' };
}

async function readXlsx(bytes: Buffer, fileName: string): Promise<RawRow[]> {
  let sheets: { sheet: string; data: Cell[][] }[];
  try {
    sheets = (await readExcelFile(bytes)) as { sheet: string; data: Cell[][] }[];
  } catch (e) {
    throw new AppError(
      'BAD_INPUT',
      `${fileName} could not be read as an Excel workbook (${e instanceof Error ? e.message : String(e)}): save it again as .xlsx or CSV`,
    );
  }
  const chosen = sheets.find((s) => /register/i.test(s.sheet)) ?? sheets[0];
  if (!chosen) throw new AppError('BAD_INPUT', `${fileName} has no sheets`);
  const rows: RawRow[] = [];
  chosen.data.forEach((cells, i) => {
    if (cells.some((c) => c !== null && c !== '')) rows.push({ line: i + 1, cells });
  });
  return rows;
}

/** The file as UTF-8 bytes without a BOM. */
function decode(bytes: Buffer, fileName: string): Buffer {
  let enc: ReturnType<typeof detectEncoding>;
  try {
    enc = detectEncoding(bytes);
  } catch (e) {
    throw new AppError('BAD_INPUT', `${fileName}: ${(e as Error).message}`);
  }
  const body = bytes.subarray(enc.bomBytes);
  if (enc.encoding === 'utf16le') return Buffer.from(body.toString('utf16le'), 'utf8');
  if (body.subarray(0, 4096).includes(0))
    throw new AppError(
      'BAD_INPUT',
      `${fileName} is not a text file (it looks like a binary file): save the register as CSV or .xlsx`,
    );
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return body;
  } catch {
    // Excel's plain "CSV" is Windows-1252 ("St Mary’s" has a byte no UTF-8 text has)
    return Buffer.from(windows1252(body), 'utf8');
  }
}

/** Windows-1252's characters for bytes 0x80–0x9F (Latin-1 has control codes there; 0 = unused). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Decodes Windows-1252 (Node's decoder of that name reads 0x80–0x9F as Latin-1's control codes). */
function windows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => {
    const cp = CP1252_HIGH[c.charCodeAt(0) - 0x80]!;
    return cp === 0 ? c : String.fromCharCode(cp);
  });
}

/** The delimiter that splits the first lines into the most cells: `,`, `;` or tab. */
function delimiterOf(buf: Buffer): string {
  const lines = buf.toString('utf8', 0, Math.min(buf.length, 64 * 1024)).split(/\r?\n/);
  const sample = lines.filter((l) => l.trim() !== '').slice(0, SNIFF_LINES);
  let best = ',';
  let bestN = 0;
  for (const d of [',', ';', '\t']) {
    const n = Math.max(0, ...sample.map((l) => splitCsv(l, d).length));
    if (n > bestN) {
      best = d;
      bestN = n;
    }
  }
  return best;
}

function readCsv(buf: Buffer, delimiter: string): RawRow[] {
  const rows: RawRow[] = [];
  const rec = new CsvRecord();
  scanRecords(buf, 0, buf.length, true, delimiter.charCodeAt(0), 1, rec, (r) => {
    const cells: Cell[] = [];
    for (let i = 0; i < r.n; i++) cells.push(r.text(i));
    rows.push({ line: r.line, cells, ...(r.problem ? { problem: { ...r.problem } } : {}) });
  });
  return rows;
}
