import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { readCsvRows } from '../../tests/helpers/csv-read';
import { DataTable, type Column } from './DataTable';
import { sortRows } from './table-sort';
import { csvColumns, exportName, percentOf, poundsOf, tableCsv, timeColumns } from './table-export';

interface Row {
  meter: string;
  label: string | null;
  kwh: number;
  pence: number | null;
  at: string | null;
}

const ROWS: Row[] = [
  { meter: '1200050000009', label: 'Main school', kwh: 1234.5, pence: 12345.6, at: '2025-10-26T00:30:00Z' },
  { meter: '1200050000106', label: '=HYPERLINK("http://x")', kwh: 10, pence: null, at: null },
  { meter: '1200050000203', label: '-5 kitchen, "north"', kwh: 99.125, pence: 5, at: '2025-10-26T01:30:00Z' },
];

const COLUMNS: (Column<Row> | false)[] = [
  { header: 'Meter', cell: (r) => r.meter, sortValue: (r) => r.meter, csv: (r) => r.meter },
  { header: 'Label', cell: (r) => r.label ?? '—', csv: (r) => r.label },
  false,
  {
    header: 'kWh',
    num: true,
    cell: (r) => `${r.kwh.toLocaleString('en-GB')} kWh`,
    sortValue: (r) => r.kwh,
    csv: (r) => r.kwh,
  },
  {
    header: createElement('span', null, '£'),
    cell: (r) => (r.pence === null ? '—' : `£${(r.pence / 100).toFixed(2)}`),
    csv: (r) => poundsOf(r.pence),
    csvHeader: 'Cost (£)',
  },
  { header: 'Read', cell: (r) => r.at ?? 'never', csv: timeColumns<Row>('Read', (r) => r.at) },
  { header: 'Actions', cell: () => createElement('button', null, 'Edit') },
];

/** A CSV file's cells, read back independently of the writer. */
const parse = readCsvRows;

describe('table exports', () => {
  it('takes the exported columns in order: plain headers, csvHeader, lists of their own; none for the rest', () => {
    expect(csvColumns(COLUMNS).map((c) => c.header)).toEqual([
      'Meter',
      'Label',
      'kWh',
      'Cost (£)',
      'Read (UTC)',
      'Read (UK local)',
    ]);
  });

  it('refuses a csv value under a header that is not text and has no csvHeader', () => {
    expect(() => csvColumns<Row>([{ header: createElement('b'), csv: (r) => r.kwh }])).toThrow(/needs a csvHeader/);
  });

  it('writes raw numbers, ISO UTC and UK local times, and neutralises text that would run as a formula', () => {
    const cells = parse(tableCsv(csvColumns(COLUMNS), ROWS));
    expect(cells[1]).toEqual([
      '1200050000009',
      'Main school',
      '1234.5',
      '123.46',
      '2025-10-26T00:30:00Z',
      '26/10/2025 01:30',
    ]);
    // the second 01:30 of the autumn change (GMT) shows the same on the clock; UTC tells them apart
    expect(cells[3]!.slice(4)).toEqual(['2025-10-26T01:30:00Z', '26/10/2025 01:30']);
    expect(cells[2]).toEqual(['1200050000106', '\'=HYPERLINK("http://x")', '10', '', '', '']);
    expect(cells[3]![1]).toBe('\'-5 kitchen, "north"');
    // numbers are never prefixed, even negative ones
    expect(parse(tableCsv([{ header: 'n', value: (n: number) => n }], [-3.5, 0]))).toEqual([['n'], ['-3.5'], ['0']]);
  });

  it('saves from DataTable the rows shown, in the order shown, limited as shown', () => {
    const html = renderToStaticMarkup(
      createElement(DataTable<Row>, {
        columns: COLUMNS,
        rows: ROWS,
        rowKey: (r) => r.meter,
        exportName: 'meters-x',
        defaultSort: { column: 3, dir: 'desc' },
        limit: 2,
      }),
    );
    expect(html).toContain('data-testid="table-export"');
    expect(html).toContain('Save the 2 rows shown as meters-x.csv');
    // what the table draws, in its order, is what the file holds (largest kWh first, two rows)
    const drawn = [...html.matchAll(/<tr><td>(\d{13})<\/td>/g)].map((m) => m[1]);
    const expected = sortRows(ROWS, (r) => r.kwh, 'desc')
      .slice(0, 2)
      .map((r) => r.meter);
    expect(drawn).toEqual(expected);
    expect(drawn).toEqual(['1200050000009', '1200050000203']);
  });

  it('draws no export button without an export name', () => {
    const html = renderToStaticMarkup(
      createElement(DataTable<Row>, { columns: COLUMNS, rows: ROWS, rowKey: (r) => r.meter }),
    );
    expect(html).not.toContain('table-export');
  });

  it('names files by table and day, safely; converts pence and shares', () => {
    expect(exportName('alerts', '2025-03-01')).toBe('alerts-2025-03-01');
    expect(exportName('emissions-site-St Mary’s / Bath', '2025-01-01-2025-02-01')).toBe(
      'emissions-site-St-Mary-s-Bath-2025-01-01-2025-02-01',
    );
    expect(exportName('alerts')).toMatch(/^alerts-\d{4}-\d{2}-\d{2}$/);
    expect(poundsOf(12345.6)).toBe(123.46);
    expect(poundsOf(null)).toBeNull();
    expect(percentOf(0.12345)).toBe(12.3);
    expect(percentOf(undefined)).toBeNull();
  });
});
