/**
 * The "Export CSV" button every table has at its top-right: it saves the rows as shown (filtered and
 * in the order shown) under the columns' export headers (table-export.ts), as `name.csv`. Every CSV of
 * data the app saves is "Export CSV"; "Download" is kept for documents and pictures (PDF, HTML, PNG).
 */
import '../styles/table-export.css';
import { downloadText } from '../lib/download';
import { tableCsv, type CsvColumn } from './table-export';

/** A small secondary button that saves `rows` as CSV; `name` is the file's name without `.csv`. */
export function ExportCsvButton<T>({
  name,
  columns,
  rows,
  label = 'Export CSV',
}: {
  name: string;
  columns: readonly CsvColumn<T>[];
  rows: readonly T[];
  label?: string;
}) {
  return (
    <button
      type="button"
      className="btn btn-small table-export"
      title={`Save the ${rows.length === 1 ? 'row' : `${rows.length} rows`} shown as ${name}.csv`}
      disabled={rows.length === 0}
      onClick={() => downloadText(`${name}.csv`, tableCsv(columns, rows))}
      data-testid="table-export"
    >
      {label}
    </button>
  );
}

/** The strip above a table that holds its export button at the right. */
export function ExportBar<T>(props: { name: string; columns: readonly CsvColumn<T>[]; rows: readonly T[] }) {
  return (
    <div className="table-tools">
      <ExportCsvButton {...props} />
    </div>
  );
}
