/**
 * CSV for spreadsheets, pure: a UTF-8 byte-order mark (so Excel reads £ and accents), CRLF line ends,
 * RFC 4180 quoting, and text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab
 * or a carriage return) neutralised with a leading apostrophe. Numbers are written in full.
 */

const FORMULA = /^[=+\-@\t\r]/;

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = FORMULA.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows under the header as a spreadsheet-safe CSV file's text (BOM first). */
export function spreadsheetCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
