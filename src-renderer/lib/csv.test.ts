import { describe, expect, it } from 'vitest';
import { spreadsheetCsv } from './csv';

describe('spreadsheetCsv', () => {
  it('starts with a BOM, ends lines with CRLF, quotes what needs it and writes numbers in full', () => {
    const text = spreadsheetCsv(
      ['Site', 'kWh'],
      [
        ['Bath, "Old" Library', 1234.5678],
        ['Depot', null],
      ],
    );
    expect(text).toBe('\uFEFFSite,kWh\r\n"Bath, ""Old"" Library",1234.5678\r\nDepot,\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula, and leaves numbers and ordinary text alone', () => {
    const rows = [['=HYPERLINK("http://x")'], ['+44 1225'], ['-2'], ['@SUM(A1)'], ['\tTab'], ['Plain = text'], [-2]];
    const lines = spreadsheetCsv(['Label'], rows).slice(1).split('\r\n');
    expect(lines.slice(1, -1)).toEqual([
      `"'=HYPERLINK(""http://x"")"`,
      "'+44 1225",
      "'-2",
      "'@SUM(A1)",
      "'\tTab",
      'Plain = text',
      '-2',
    ]);
  });
});
