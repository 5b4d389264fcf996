/**
 * Every meter in one virtualised table (`meters.table`): MPAN/MPRN, label, fuel, site, supplier,
 * tariff, tags, last reading, completeness, kWh and £ this month against last year's same days, open
 * alerts and the source that fed it; sortable by every column, filtered by the bar above it (and the
 * page's search), kept in the address. Managers select rows (a box, shift-click, "select all shown")
 * and act on them in bulk; everyone can export the rows shown as CSV.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MeterRow, TablePeriod } from '../../../src-shared/contract/types';
import { ukToday } from '../../../src-shared/domain/periods';
import { useCan } from '../../components/Can';
import { FuelBadge } from '../../components/FuelBadge';
import { VirtualTable, type VColumn } from '../../components/VirtualTable';
import { keepShown, orderRows } from '../../components/virtual-table';
import { downloadText } from '../../lib/download';
import { formatDay, formatInt, formatUkDateTime } from '../../lib/format';
import { formatPounds } from '../../lib/money';
import { href, navigate } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { Spinner } from '../../components/States';
import { BulkDialog, runBulk, type BulkKind } from './BulkDialog';
import {
  applyBulk,
  bulkDoing,
  bulkDone,
  filterChoices,
  isFiltered,
  meterFilter,
  metersWord,
  NONE,
  NO_FILTER,
  periodWords,
  type BulkChange,
  type TableFilter,
  type TableState,
} from './portfolio-table';
import { CompletenessCell, FilterSelect, monthColumns, PoundsCell } from './table-cells';
import { metersCsv } from './table-csv';

const dash = <span className="muted">—</span>;
const timeOf = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** The meters' columns, in the order shown (the first is held in place when the table scrolls sideways). */
export const METER_COLUMNS: VColumn<MeterRow>[] = [
  {
    key: 'mpan',
    header: 'MPAN / MPRN',
    width: 150,
    cell: (m) => (
      <a className="mono strong" href={href.meter(m.mpan)}>
        {m.mpan}
      </a>
    ),
    sortValue: (m) => m.mpan,
  },
  {
    key: 'label',
    header: 'Label',
    width: 170,
    cell: (m) => m.label ?? dash,
    title: (m) => m.label ?? undefined,
    sortValue: (m) => m.label,
  },
  { key: 'fuel', header: 'Fuel', width: 120, cell: (m) => <FuelBadge fuel={m.fuel} />, sortValue: (m) => m.fuel },
  {
    key: 'site',
    header: 'Site',
    width: 170,
    cell: (m) =>
      m.siteId === null ? <span className="muted">No site</span> : <a href={href.site(m.siteId)}>{m.site}</a>,
    title: (m) => m.site ?? undefined,
    sortValue: (m) => m.site,
  },
  {
    key: 'supplier',
    header: 'Supplier',
    width: 130,
    cell: (m) => m.supplier ?? dash,
    title: (m) => m.supplier ?? undefined,
    sortValue: (m) => m.supplier,
  },
  {
    key: 'tariff',
    header: 'Tariff',
    width: 160,
    cell: (m) => m.tariff?.name ?? dash,
    title: (m) => m.tariff?.name,
    sortValue: (m) => m.tariff?.name ?? null,
  },
  {
    key: 'tags',
    header: 'Tags',
    width: 150,
    // the first tag and how many more (all of them in the cell's title): a second chip would only be cut off
    cell: (m) =>
      m.tags.length ? (
        <>
          <span className="tag tag-plain vt-tag">{m.tags[0]}</span>
          {m.tags.length > 1 && <span className="muted small">+{m.tags.length - 1}</span>}
        </>
      ) : (
        dash
      ),
    title: (m) => m.tags.join(', ') || undefined,
    sortValue: (m) => m.tags.join(', ') || null,
  },
  {
    key: 'last',
    header: 'Last reading',
    width: 150,
    cell: (m) => (m.lastReading ? formatUkDateTime(m.lastReading) : <span className="muted">None yet</span>),
    sortValue: (m) => timeOf(m.lastReading),
    sortFirst: 'asc',
  },
  {
    key: 'complete',
    header: 'Complete',
    width: 130,
    cell: (m) => <CompletenessCell share={m.completeness} />,
    sortValue: (m) => m.completeness,
    sortFirst: 'asc',
  },
  ...monthColumns<MeterRow>((pence, kwh) => (
    <PoundsCell pence={pence} kwh={kwh}>
      {pence !== null && formatPounds(pence)}
    </PoundsCell>
  )),
  {
    key: 'alerts',
    header: 'Alerts',
    width: 80,
    num: true,
    cell: (m) =>
      m.openAlerts ? (
        <a className="vt-alerts" href={`${href.alerts}?meter=${encodeURIComponent(m.mpan)}`}>
          {formatInt(m.openAlerts)}
        </a>
      ) : (
        <span className="muted">0</span>
      ),
    sortValue: (m) => m.openAlerts,
  },
  {
    key: 'source',
    header: 'Source',
    width: 150,
    cell: (m) => m.source?.name ?? dash,
    title: (m) => m.source?.name,
    sortValue: (m) => m.source?.name ?? null,
  },
];

const FUELS = [
  { value: 'electricity', label: 'Electricity' },
  { value: 'gas', label: 'Gas' },
];

const BULK_ACTIONS: { kind: BulkKind; label: string }[] = [
  { kind: 'site', label: 'Assign to site…' },
  { kind: 'supplier', label: 'Set supplier…' },
  { kind: 'tariff', label: 'Assign tariff…' },
  { kind: 'capacity', label: 'Set capacity…' },
  { kind: 'addTags', label: 'Add tags…' },
  { kind: 'removeTags', label: 'Remove tags…' },
];

export function MetersTable({
  rows: loaded,
  period,
  state,
  onChange,
  nowMs,
}: {
  rows: MeterRow[];
  period: TablePeriod | null;
  state: TableState;
  onChange: (s: TableState) => void;
  /** When the rows were read (what "data older than N days" counts from). */
  nowMs: number;
}) {
  const canEdit = useCan()('meters.bulkUpdate');
  // a bulk edit shows at once, until the table is read again
  const [patched, setPatched] = useState<{ base: MeterRow[]; rows: MeterRow[] } | null>(null);
  const rows = patched && patched.base === loaded ? patched.rows : loaded;
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const f = state.filter;
  const choices = useMemo(() => filterChoices(rows), [rows]);
  const shown = useMemo(
    () => orderRows(rows.filter(meterFilter(f, nowMs)), METER_COLUMNS, state.sort),
    [rows, f, nowMs, state.sort],
  );
  const shownKeys = useMemo(() => shown.map((m) => m.mpan), [shown]);
  // what a filter hides is no longer selected: a bulk edit changes only rows in sight
  useEffect(
    () =>
      setSelected((s) => {
        const kept = keepShown(s, shownKeys);
        return kept.size === s.size ? s : kept;
      }),
    [shownKeys],
  );
  const picked = useMemo(() => shown.filter((m) => selected.has(m.mpan)), [shown, selected]);
  const set = (patch: Partial<TableFilter>) => onChange({ ...state, filter: { ...f, ...patch } });

  // the rows as they are when an edit's answer comes (the table may have been read again meanwhile)
  const latest = useRef({ loaded, rows });
  latest.current = { loaded, rows };
  const [work, setWork] = useState<{ failed: boolean; text: string } | null>(null);

  /** Runs a confirmed edit on the selected meters: what it is doing, then the rows changed, or why not. */
  const confirm = async (change: BulkChange) => {
    const meters = picked.map((m) => m.mpan);
    setBulk(null);
    setWork({ failed: false, text: bulkDoing(change, meters.length) });
    try {
      const r = await runBulk(change, meters);
      const now = latest.current;
      setPatched({ base: now.loaded, rows: applyBulk(now.rows, new Set(r.meters), r.change, ukToday()) });
      setWork(null);
      useAppStore.getState().toast({ kind: 'success', title: bulkDone(r.change, r.meters.length, formatDay) });
    } catch (e) {
      setWork({ failed: true, text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <>
      <div className="card-header vt-filters" role="search" aria-label="Filter meters">
        <FilterSelect
          label="Fuel"
          value={f.fuel}
          onChange={(fuel) => set({ fuel: fuel as TableFilter['fuel'] })}
          any="All fuels"
          options={FUELS}
          testId="filter-fuel"
        />
        <FilterSelect
          label="Site"
          value={f.site}
          onChange={(site) => set({ site })}
          any="All sites"
          none={{ value: NONE, label: 'No site' }}
          options={choices.sites.map((x) => ({ value: x.id, label: x.name }))}
          testId="filter-site"
        />
        <FilterSelect
          label="Supplier"
          value={f.supplier}
          onChange={(supplier) => set({ supplier })}
          any="All suppliers"
          none={{ value: NONE, label: 'No supplier' }}
          options={choices.suppliers.map((x) => ({ value: x, label: x }))}
          testId="filter-supplier"
        />
        <FilterSelect
          label="Tariff"
          value={f.tariff}
          onChange={(tariff) => set({ tariff })}
          any="All tariffs"
          none={{ value: NONE, label: 'No tariff assigned' }}
          options={choices.tariffs.map((x) => ({ value: x.id, label: x.name }))}
          testId="filter-tariff"
        />
        <FilterSelect
          label="Tag"
          value={f.tag}
          onChange={(tag) => set({ tag })}
          any="All tags"
          options={choices.tags.map((x) => ({ value: x, label: x }))}
          testId="filter-tag"
        />
        <AgeAndAlerts filter={f} set={set} />
        {isFiltered(f) && (
          <button type="button" className="btn btn-link" onClick={() => onChange({ ...state, filter: NO_FILTER })}>
            Clear filters
          </button>
        )}
      </div>
      <TableLine
        period={period}
        count={`${formatInt(shown.length)} of ${metersWord(rows.length)}`}
        onExport={() => downloadText(`meters-${ukToday()}.csv`, metersCsv(shown))}
      />
      {canEdit && (picked.length > 0 || work) && (
        <div className="vt-bulk" role="toolbar" aria-label="Bulk actions" data-testid="bulk-bar">
          <strong data-testid="selection-count">{formatInt(picked.length)} selected</strong>
          {picked.length < shown.length && (
            <button type="button" className="btn btn-link" onClick={() => setSelected(new Set(shownKeys))}>
              Select all {formatInt(shown.length)} shown
            </button>
          )}
          <button type="button" className="btn btn-link" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
          <span className="vt-bulk-actions">
            {BULK_ACTIONS.map((a) => (
              <button
                key={a.kind}
                type="button"
                className="btn btn-small"
                disabled={work?.failed === false || picked.length === 0}
                onClick={() => setBulk(a.kind)}
              >
                {a.label}
              </button>
            ))}
            <button
              type="button"
              className="btn btn-small"
              disabled={picked.length === 0}
              onClick={() => downloadText(`meters-selected-${ukToday()}.csv`, metersCsv(picked))}
            >
              Export selected
            </button>
          </span>
          {work && !work.failed && (
            <div className="vt-bulk-status" data-testid="bulk-status">
              <Spinner inline label={work.text} />
            </div>
          )}
          {work?.failed && (
            <p className="callout callout-warn vt-bulk-status" role="alert" data-testid="bulk-error">
              {work.text}{' '}
              <button type="button" className="btn btn-link" onClick={() => setWork(null)}>
                Dismiss
              </button>
            </p>
          )}
        </div>
      )}
      <VirtualTable
        columns={METER_COLUMNS}
        rows={shown}
        rowKey={(m) => m.mpan}
        rowLabel={(m) => (m.label ? `${m.mpan}, ${m.label}` : m.mpan)}
        sort={state.sort}
        onSort={(sort) => onChange({ ...state, sort })}
        selection={canEdit ? { selected, onChange: setSelected } : undefined}
        onOpen={(m) => navigate(href.meter(m.mpan))}
        rowProps={(m) => ({ 'data-testid': 'meter-row', 'data-mpan': m.mpan, className: 'clickable' })}
        label="Meters"
        testId="meters-table"
        empty={
          <span>
            No meter matches these filters.{' '}
            <button type="button" className="btn btn-link" onClick={() => onChange({ ...state, filter: NO_FILTER })}>
              Clear the filters
            </button>
          </span>
        }
      />
      <BulkDialog
        kind={bulk}
        meters={picked}
        suppliers={choices.suppliers}
        onClose={() => setBulk(null)}
        onConfirm={(c) => void confirm(c)}
      />
    </>
  );
}

/** "Open alerts only" and "data older than N days": filters both tables have. */
export function AgeAndAlerts({ filter, set }: { filter: TableFilter; set: (p: Partial<TableFilter>) => void }) {
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={filter.alerts}
          onChange={(e) => set({ alerts: e.currentTarget.checked })}
          data-testid="filter-alerts"
        />
        Open alerts
      </label>
      <label className="vt-older">
        Data older than
        <input
          className="input vt-days"
          inputMode="numeric"
          aria-label="Data older than (days)"
          placeholder="–"
          value={filter.olderThan ?? ''}
          onChange={(e) => {
            const t = e.currentTarget.value.trim();
            const n = Number(t);
            set({ olderThan: t === '' || !Number.isInteger(n) || n < 0 ? null : n });
          }}
          data-testid="filter-older"
        />
        days
      </label>
    </>
  );
}

/** The line above a table: how many rows show, the period the figures cover, and the export. */
export function TableLine({
  period,
  count,
  onExport,
}: {
  period: TablePeriod | null;
  count: string;
  onExport: () => void;
}) {
  return (
    <div className="vt-line">
      <span data-testid="table-count">Showing {count}</span>
      <span className="muted" data-testid="table-period">
        {periodWords(period)}
      </span>
      <button
        type="button"
        className="btn btn-small vt-export table-export"
        onClick={onExport}
        data-testid="table-export"
      >
        Export CSV
      </button>
    </div>
  );
}
