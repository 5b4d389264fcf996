/**
 * Analysis: the portfolio league tables (analytics.portfolio) — baseload, out-of-hours use,
 * exceptions and data quality, one sortable table each, every row leading to the meter's Analysis
 * view — so a manager sees which site to visit first. Over the call's own 4 weeks, as at a day, or
 * any days chosen.
 */
import { createContext, useContext, useState, type ReactNode } from 'react';
import type { LeagueRow, PortfolioAnalysis } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { AsAtField } from '../../components/AsAtField';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, percentOf, timeColumns } from '../../components/table-export';
import { DateRangeForm } from '../../components/DateRangeForm';
import { FuelBadge } from '../../components/FuelBadge';
import { Page } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import type { SortState } from '../../components/table-sort';
import {
  formatChangePercent,
  formatDay,
  formatDayRangeUntil,
  formatEnergy,
  formatInt,
  formatKwh,
  formatMs,
  formatShare,
  formatSignedEnergy,
  formatUkDate,
  plural,
} from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href, navigate } from '../../lib/route';
import { useDataStore } from '../../stores/data';
import '../../styles/analysis.css';
import { meterName, portfolioArgs, type Measure, type PeriodChoice } from './league';

/** Rows a table shows before "Show all". */
const FIRST_ROWS = 10;

export function AnalysisPage() {
  useDocumentTitle('Analysis');
  const version = useDataStore((s) => s.version);
  const [choice, setChoice] = useState<PeriodChoice>({ kind: 'latest' });
  const args = portfolioArgs(choice);
  const q = useQuery(`portfolio:${version}:${JSON.stringify(args)}`, () =>
    getClient().call('analytics.portfolio', args),
  );
  const d = q.data;
  return (
    <Page
      title="Analysis"
      subtitle={
        d && d.rows.length > 0 ? (
          <span
            data-testid="league-period"
            title="The latest data: the median of the meters’ latest complete days (at least 40 half-hours)"
          >
            {periodWords(d, choice)} · {plural(d.rows.length, 'meter')} · UK local days
          </span>
        ) : (
          'Which meters to look at first: baseload, out-of-hours use, exceptions and data quality.'
        )
      }
      testId="analysis"
      actions={
        <>
          <AsAtField
            key={choice.kind === 'range' ? 'range' : 'as-at'}
            id="analysis-as-at"
            value={choice.kind === 'asAt' ? choice.asAt : ''}
            onChange={(v) => setChoice(v ? { kind: 'asAt', asAt: v } : { kind: 'latest' })}
          />
          <button type="button" className="btn btn-quiet" onClick={q.reload} disabled={q.load === 'loading'}>
            {q.load === 'loading' && d ? 'Refreshing…' : 'Refresh'}
          </button>
        </>
      }
    >
      {d?.rows.length !== 0 && (
        <div className="league-period card card-pad">
          <DateRangeForm idPrefix="league" onApply={(r) => setChoice({ kind: 'range', ...r })} />
          {choice.kind === 'range' && (
            <button type="button" className="btn btn-small btn-quiet" onClick={() => setChoice({ kind: 'latest' })}>
              Back to the latest 4 weeks
            </button>
          )}
        </div>
      )}
      {q.load === 'error' && !d ? (
        <section className="card">
          <QueryProblem title="Could not work out the league tables" q={q} />
        </section>
      ) : !d ? (
        <section className="card">
          <Skeleton rows={6} label="Working out the league tables" />
        </section>
      ) : d.rows.length === 0 ? (
        <section className="card">
          <EmptyState
            title="No meters yet"
            icon="⌁"
            action={
              <button type="button" className="btn btn-primary" onClick={() => navigate(href.imports)}>
                Import half-hourly data
              </button>
            }
          >
            Import half-hourly files to rank your meters by baseload, out-of-hours use, exceptions and data quality.
          </EmptyState>
        </section>
      ) : (
        <LeagueTables d={d} />
      )}
    </Page>
  );
}

/** "20 Jan – 16 Feb 2025: the 4 weeks to the latest data", or the days chosen. */
function periodWords(d: PortfolioAnalysis, choice: PeriodChoice): string {
  const range = formatDayRangeUntil(d.from, d.to);
  if (choice.kind === 'range') return `${range} (the days chosen)`;
  return `${range}: the 4 weeks to the latest data${choice.kind === 'asAt' ? ` up to ${formatDay(choice.asAt)}` : ''}`;
}

/** The league's range: each row opens the meter's Analysis view over the same days, so the figures agree. */
const LeagueRange = createContext<{ from: string; to: string } | undefined>(undefined);

function LeagueTables({ d }: { d: PortfolioAnalysis }) {
  return (
    <LeagueRange.Provider value={{ from: d.from, to: d.to }}>
      <div className="league-grid">
        <LeagueCard
          measure="baseload"
          title="Baseload"
          definition={
            <>
              The always-on load: the mean of each day’s 8 lowest half-hours, in kW (22:00–02:00 at sites with on-site
              generation). Change: the last 7 days against the 4 weeks before.
            </>
          }
          rows={d.rows}
          columns={BASELOAD_COLUMNS}
          defaultSort={{ column: 1, dir: 'desc' }}
        />
        <LeagueCard
          measure="outOfHours"
          title="Out-of-hours use"
          definition={
            <>
              The share of the kWh used outside the site’s opening hours: evenings, weekends, bank holidays and closures
              (1 − in hours ÷ total). Sites without hours of their own: Monday–Friday 08:00–18:00.
            </>
          }
          rows={d.rows}
          columns={OUT_OF_HOURS_COLUMNS}
          defaultSort={{ column: 1, dir: 'desc' }}
        />
        <LeagueCard
          measure="exceptions"
          title="Exceptions"
          definition={
            <>
              Days whose kWh fell outside the usual band for that weekday: the mean of the same weekday over the 8 weeks
              before, ± the larger of 3 standard deviations and 10 %. Excess: kWh above (or below) the usual.
            </>
          }
          rows={d.rows}
          columns={EXCEPTION_COLUMNS}
          defaultSort={{ column: 1, dir: 'desc' }}
        />
        <LeagueCard
          measure="quality"
          title="Data quality"
          definition={
            <>
              Complete: half-hours present of those expected. Gaps: runs of missing half-hours. Zero runs: 4 or more
              zero readings in a row. Outliers: more than 3 standard deviations from the same weekday and time. Stale:
              no reading for 14 days.
            </>
          }
          rows={d.rows}
          columns={QUALITY_COLUMNS}
          defaultSort={{ column: 1, dir: 'asc' }}
        />
      </div>
      <p className="muted small league-elapsed" data-testid="league-elapsed">
        Worked out in {formatMs(d.elapsedMs)}.
      </p>
    </LeagueRange.Provider>
  );
}

function LeagueCard({
  measure,
  title,
  definition,
  rows,
  columns,
  defaultSort,
}: {
  measure: Measure;
  title: string;
  definition: ReactNode;
  rows: LeagueRow[];
  columns: Column<LeagueRow>[];
  defaultSort: SortState;
}) {
  const [all, setAll] = useState(false);
  const range = useContext(LeagueRange);
  const id = `league-${measure}`;
  return (
    <section className="card league-card" aria-labelledby={`${id}-title`} data-testid={id}>
      <div className="league-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <p className="muted small">{definition}</p>
      </div>
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(r) => r.meter}
        rowProps={(r) => ({
          className: 'clickable',
          'data-testid': 'league-row',
          'data-meter': r.meter,
          onClick: () => navigate(href.meterAnalysis(r.meter, range)),
        })}
        className="table-compact league-table"
        defaultSort={defaultSort}
        exportName={exportName(`analysis-${measure}`, range ? `${range.from}-${range.to}` : undefined)}
        limit={all ? undefined : FIRST_ROWS}
      />
      {rows.length > FIRST_ROWS && (
        <div className="league-foot">
          <button type="button" className="btn btn-small btn-quiet" onClick={() => setAll((a) => !a)}>
            {all ? `Show the first ${FIRST_ROWS}` : `Show all ${plural(rows.length, 'meter')}`}
          </button>
        </div>
      )}
    </section>
  );
}

/** The meter (its label or MPAN, leading to its Analysis view), with its fuel and site under it. */
function MeterCell({ r }: { r: Pick<LeagueRow, 'meter' | 'label' | 'fuel' | 'site'> }) {
  const range = useContext(LeagueRange);
  return (
    <>
      <a
        href={href.meterAnalysis(r.meter, range)}
        className={r.label ? 'strong' : 'mono strong'}
        onClick={(e) => e.stopPropagation()}
      >
        {meterName(r)}
      </a>
      <div className="league-meta small">
        <FuelBadge fuel={r.fuel} />
        <span className="muted">{r.site ? r.site.name : 'No site'}</span>
      </div>
    </>
  );
}

const METER_COLUMN: Column<LeagueRow> = {
  header: 'Meter',
  rowHeader: true,
  className: 'league-meter',
  cell: (r) => <MeterCell r={r} />,
  sortValue: (r) => meterName(r),
  csv: [
    { header: 'MPAN / MPRN', value: (r) => r.meter },
    { header: 'Label', value: (r) => r.label },
    { header: 'Fuel', value: (r) => r.fuel },
    { header: 'Site', value: (r) => r.site?.name },
  ],
};

const none = <span className="muted">—</span>;
const kw = (v: number | null) => (v === null ? none : formatKwh(v, v >= 100 ? 0 : v >= 10 ? 1 : 2));
const changeClass = (r: LeagueRow) =>
  r.baseloadChange === null
    ? undefined
    : r.baseloadChange > 0.005
      ? 'change-up'
      : r.baseloadChange < -0.005
        ? 'change-down'
        : undefined;

const BASELOAD_COLUMNS: Column<LeagueRow>[] = [
  METER_COLUMN,
  {
    header: 'kW',
    num: true,
    className: 'strong',
    cell: (r) => kw(r.baseloadKw),
    sortValue: (r) => r.baseloadKw,
    csv: (r) => r.baseloadKw,
    csvHeader: 'Baseload (kW)',
  },
  {
    header: 'W/m²',
    num: true,
    cell: (r) => (r.baseloadKwPerM2 === null ? none : formatKwh(r.baseloadKwPerM2 * 1000, 1)),
    cellProps: (r) => ({
      title:
        r.baseloadKwPerM2 === null
          ? 'Set the site’s floor area to compare sites of different sizes'
          : `${formatInt(r.floorAreaM2)} m²`,
    }),
    sortValue: (r) => r.baseloadKwPerM2,
    csv: (r) => (r.baseloadKwPerM2 === null ? null : r.baseloadKwPerM2 * 1000),
    csvHeader: 'Baseload (W/m²)',
  },
  {
    header: 'vs 4 weeks before',
    num: true,
    className: changeClass,
    cell: (r) => (r.baseloadChange === null ? none : formatChangePercent(r.baseloadChange * 100)),
    sortValue: (r) => r.baseloadChange,
    csv: (r) => percentOf(r.baseloadChange),
    csvHeader: 'Baseload vs 4 weeks before (%)',
  },
];

const OUT_OF_HOURS_COLUMNS: Column<LeagueRow>[] = [
  METER_COLUMN,
  {
    header: 'Out of hours',
    num: true,
    className: 'strong',
    cell: (r) => (r.outOfHoursShare === null ? none : formatShare(r.outOfHoursShare)),
    sortValue: (r) => r.outOfHoursShare,
    csv: (r) => percentOf(r.outOfHoursShare),
    csvHeader: 'Out of hours (%)',
  },
  {
    header: 'kWh out of hours',
    num: true,
    cell: (r) => formatEnergy(r.outOfHoursKwh),
    sortValue: (r) => r.outOfHoursKwh,
    csv: (r) => r.outOfHoursKwh,
  },
  { header: 'Total kWh', num: true, cell: (r) => formatEnergy(r.kwh), sortValue: (r) => r.kwh, csv: (r) => r.kwh },
];

const EXCEPTION_COLUMNS: Column<LeagueRow>[] = [
  METER_COLUMN,
  {
    header: 'Last 7 days',
    num: true,
    className: 'strong',
    cell: (r) => formatInt(r.exceptionsLastWeek),
    sortValue: (r) => r.exceptionsLastWeek,
    csv: (r) => r.exceptionsLastWeek,
    csvHeader: 'Exception days, last 7 days',
  },
  {
    header: 'Exception days',
    num: true,
    cell: (r) => formatInt(r.exceptions),
    sortValue: (r) => r.exceptions,
    csv: (r) => r.exceptions,
  },
  {
    header: 'Excess kWh',
    num: true,
    cell: (r) => (r.exceptions === 0 ? none : formatSignedEnergy(r.exceptionExcessKwh)),
    sortValue: (r) => r.exceptionExcessKwh,
    csv: (r) => r.exceptionExcessKwh,
  },
];

const QUALITY_COLUMNS: Column<LeagueRow>[] = [
  METER_COLUMN,
  {
    header: 'Complete',
    num: true,
    className: (r) => (r.completeness < 0.95 ? 'strong warn' : 'strong'),
    cell: (r) => formatShare(r.completeness),
    cellProps: (r) => ({ title: `${plural(r.missingHalfHours, 'half-hour')} missing` }),
    sortValue: (r) => r.completeness,
    sortFirst: 'asc',
    csv: [
      { header: 'Complete (%)', value: (r) => percentOf(r.completeness) },
      { header: 'Missing half-hours', value: (r) => r.missingHalfHours },
    ],
  },
  { header: 'Gaps', num: true, cell: (r) => formatInt(r.gaps), sortValue: (r) => r.gaps, csv: (r) => r.gaps },
  {
    header: 'Zero runs',
    num: true,
    cell: (r) => formatInt(r.zeroRuns),
    sortValue: (r) => r.zeroRuns,
    csv: (r) => r.zeroRuns,
  },
  {
    header: 'Outliers',
    num: true,
    cell: (r) => formatInt(r.outliers),
    sortValue: (r) => r.outliers,
    csv: (r) => r.outliers,
  },
  {
    header: 'Negatives',
    num: true,
    cell: (r) => formatInt(r.negatives),
    sortValue: (r) => r.negatives,
    csv: (r) => r.negatives,
  },
  {
    header: 'Last reading',
    cell: (r) => (
      <>
        {r.lastReading ? formatUkDate(r.lastReading) : 'None'}
        {r.stale && (
          <>
            {' '}
            <span className="badge badge-tone-red" title="No reading for 14 days or more" data-testid="stale">
              Stale
            </span>
          </>
        )}
      </>
    ),
    sortValue: (r) => r.lastReading,
    sortFirst: 'asc',
    csv: [
      ...timeColumns<LeagueRow>('Last reading', (r) => r.lastReading),
      { header: 'Stale', value: (r) => (r.stale ? 'yes' : 'no') },
    ],
  },
];
