/**
 * Reading back the CSV files the app writes, for tests: the byte-order mark and CRLF line ends are
 * required (an error names what is missing), RFC 4180 quoting is undone, and each line is a list of
 * cells. Written apart from the writers so a test compares against an independent reading.
 */

/** The rows of a spreadsheet CSV file's text (BOM first, CRLF line ends, final CRLF), as cells. */
export function readCsvRows(text: string): string[][] {
  if (text.charCodeAt(0) !== 0xfeff) throw new Error('The CSV text does not start with a UTF-8 byte-order mark');
  if (!text.endsWith('\r\n')) throw new Error('The CSV text does not end with CRLF');
  const rows: string[][] = [[]];
  let cell = '';
  let quoted = false;
  const body = text.slice(1, -2);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      rows.at(-1)!.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      rows.at(-1)!.push(cell);
      cell = '';
      rows.push([]);
      i++;
    } else if (ch === '\n')
      throw new Error(`A bare line feed outside quotes at character ${i + 2}: lines end with CRLF`);
    else cell += ch;
  }
  rows.at(-1)!.push(cell);
  return rows;
}

/** The rows under the header line as records keyed by the header's cells. */
export function readCsvRecords(text: string): Record<string, string>[] {
  const [head, ...lines] = readCsvRows(text);
  return lines.map((l) => Object.fromEntries(head!.map((h, i) => [h, l[i] ?? ''])));
}
