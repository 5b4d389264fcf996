/**
 * Every site in one virtualised table (`sites.table`): name, postcode, meters, its meters' kWh and £
 * this month against last year's same days, open alerts and the latest reading; sortable by every
 * column, filtered by the page's search, open alerts and the age of the data, kept in the address.
 */
import { useMemo } from 'react';
import type { SiteRow, TablePeriod } from '../../../src-shared/contract/types';
import { ukToday } from '../../../src-shared/domain/periods';
import { VirtualTable, type VColumn } from '../../components/VirtualTable';
import { orderRows } from '../../components/virtual-table';
import { downloadText } from '../../lib/download';
import { formatInt, formatUkDateTime, plural } from '../../lib/format';
import { formatPounds } from '../../lib/money';
import { href, navigate } from '../../lib/route';
import { AgeAndAlerts, TableLine } from '../meters/MetersTable';
import { isFiltered, NO_FILTER, siteMatches, type TableFilter, type TableState } from '../meters/portfolio-table';
import { monthColumns, PoundsCell } from '../meters/table-cells';
import { sitesCsv } from '../meters/table-csv';

const dash = <span className="muted">—</span>;

/** £ of the priced meters, marked when some of the site's meters could not be priced. */
function Pounds({ pence, kwh, unpriced }: { pence: number | null; kwh: number | null; unpriced: number }) {
  return (
    <PoundsCell pence={pence} kwh={kwh}>
      <span title={unpriced ? `${plural(unpriced, 'meter')} not priced (no tariff for every day) left out` : undefined}>
        {pence !== null && formatPounds(pence)}
        {unpriced > 0 && <span className="vt-partial">*</span>}
      </span>
    </PoundsCell>
  );
}

export const SITE_COLUMNS: VColumn<SiteRow>[] = [
  {
    key: 'name',
    header: 'Site',
    width: 220,
    cell: (s) => (
      <a className="strong" href={href.site(s.id)}>
        {s.name}
      </a>
    ),
    title: (s) => s.name,
    sortValue: (s) => s.name,
  },
  { key: 'postcode', header: 'Postcode', width: 100, cell: (s) => s.postcode ?? dash, sortValue: (s) => s.postcode },
  {
    key: 'meters',
    header: 'Meters',
    width: 80,
    num: true,
    cell: (s) => formatInt(s.meters),
    sortValue: (s) => s.meters,
  },
  ...monthColumns<SiteRow>((pence, kwh, s) => <Pounds pence={pence} kwh={kwh} unpriced={s.unpricedMeters} />),
  {
    key: 'alerts',
    header: 'Alerts',
    width: 80,
    num: true,
    cell: (s) => (s.openAlerts ? formatInt(s.openAlerts) : <span className="muted">0</span>),
    sortValue: (s) => s.openAlerts,
  },
  {
    key: 'last',
    header: 'Last reading',
    width: 160,
    cell: (s) => (s.lastReading ? formatUkDateTime(s.lastReading) : <span className="muted">None yet</span>),
    sortValue: (s) => (s.lastReading === null ? null : Date.parse(s.lastReading)),
    sortFirst: 'asc',
  },
];

export function SitesTable({
  rows,
  period,
  state,
  onChange,
  nowMs,
}: {
  rows: SiteRow[];
  period: TablePeriod | null;
  state: TableState;
  onChange: (s: TableState) => void;
  nowMs: number;
}) {
  const f = state.filter;
  const shown = useMemo(
    () =>
      orderRows(
        rows.filter((s) => siteMatches(s, f, nowMs)),
        SITE_COLUMNS,
        state.sort,
      ),
    [rows, f, nowMs, state.sort],
  );
  const set = (patch: Partial<TableFilter>) => onChange({ ...state, filter: { ...f, ...patch } });
  return (
    <>
      <div className="card-header vt-filters" role="search" aria-label="Filter sites">
        <AgeAndAlerts filter={f} set={set} />
        {isFiltered(f) && (
          <button type="button" className="btn btn-link" onClick={() => onChange({ ...state, filter: NO_FILTER })}>
            Clear filters
          </button>
        )}
      </div>
      <TableLine
        period={period}
        count={`${formatInt(shown.length)} of ${plural(rows.length, 'site')}`}
        onExport={() => downloadText(`sites-${ukToday()}.csv`, sitesCsv(shown))}
      />
      <VirtualTable
        columns={SITE_COLUMNS}
        rows={shown}
        rowKey={(s) => String(s.id)}
        rowLabel={(s) => s.name}
        sort={state.sort}
        onSort={(sort) => onChange({ ...state, sort })}
        onOpen={(s) => navigate(href.site(s.id))}
        rowProps={(s) => ({ 'data-testid': 'site-row', 'data-site-id': s.id, className: 'clickable' })}
        label="Sites"
        testId="sites-table"
        empty={
          rows.length === 0 ? (
            'No sites yet: make one with “New site”, or assign meters to one from the meters table.'
          ) : (
            <span>
              No site matches these filters.{' '}
              <button type="button" className="btn btn-link" onClick={() => onChange({ ...state, filter: NO_FILTER })}>
                Clear the filters
              </button>
            </span>
          )
        }
      />
    </>
  );
}
