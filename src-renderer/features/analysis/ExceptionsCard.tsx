/**
 * Days outside their usual band (`analytics.exceptions`): each whole day against the mean of the
 * same weekday over the 8 weeks before, band max(3σ, 10 %); newest first, sortable by each column,
 * each day a link to its half-hours.
 */
import type { ExceptionDay, MeterSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, poundsOf } from '../../components/table-export';
import { EmptyState } from '../../components/States';
import { formatEnergy, formatEnergyUnit, formatPeriodLabel, formatSignedEnergy, plural } from '../../lib/format';
import { formatPounds, formatRate } from '../../lib/money';
import { sentence } from '../../lib/problems';
import { useQuery } from '../../lib/query';
import { halfHourlyDayHref } from '../meters/meter-view';
import { AnalysisProblem } from './AnalysisCard';
import type { DayRange } from './analysis-range';
import { excessTotals } from './exceptions';

/** Days of the range the report could not check, and why. */
const UNCHECKED = (n: number): string =>
  `${plural(n, 'day')} not checked (a half-hour missing, or fewer than 4 whole same weekdays before it)`;

function columns(mpan: string): Column<ExceptionDay>[] {
  return [
    {
      header: 'Day',
      rowHeader: true,
      sortValue: (d) => d.date,
      sortFirst: 'desc',
      cell: (d) => (
        <a href={halfHourlyDayHref(mpan, d.date)} data-testid="exception-link">
          {formatPeriodLabel(d.date)}
        </a>
      ),
      csv: (d) => d.date,
      csvHeader: 'Day (UK)',
    },
    {
      header: 'Used (kWh)',
      num: true,
      className: 'strong',
      sortValue: (d) => d.actualKwh,
      cell: (d) => formatEnergy(d.actualKwh),
      csv: (d) => d.actualKwh,
    },
    {
      header: 'Usual (kWh)',
      num: true,
      sortValue: (d) => d.expectedKwh,
      cell: (d) => (
        <>
          {formatEnergy(d.expectedKwh)} <span className="muted small">± {formatEnergy(d.bandKwh)}</span>
        </>
      ),
      csv: [
        { header: 'Usual (kWh)', value: (d) => d.expectedKwh },
        { header: 'Band ± (kWh)', value: (d) => d.bandKwh },
      ],
    },
    {
      header: 'Difference (kWh)',
      num: true,
      sortValue: (d) => d.excessKwh,
      className: (d) => (d.excessKwh > 0 ? 'change-up' : 'change-down'),
      cell: (d) => formatSignedEnergy(d.excessKwh),
      csv: (d) => d.excessKwh,
    },
    {
      header: 'Cost of difference',
      num: true,
      sortValue: (d) => d.excessPence,
      cell: (d) => (d.excessPence === null ? '—' : formatPounds(d.excessPence)),
      csv: (d) => poundsOf(d.excessPence),
      csvHeader: 'Cost of difference (£)',
    },
    { header: 'Weeks compared', num: true, sortValue: (d) => d.weeks, cell: (d) => d.weeks, csv: (d) => d.weeks },
  ];
}

export function ExceptionsCard({ meter, range, version }: { meter: MeterSummary; range: DayRange; version: number }) {
  const q = useQuery(`exceptions:${meter.mpan}:${range.from}:${range.to}:${version}`, () =>
    getClient().call('analytics.exceptions', { meter: meter.mpan, from: range.from, to: range.to }),
  );
  if (!q.data) return <AnalysisProblem title="Exceptions" q={q} testId="exceptions-card" siteId={meter.siteId} />;
  const r = q.data;
  const totals = excessTotals(r.exceptions);
  return (
    <section className="card analysis-card" aria-labelledby="exceptions-title" data-testid="exceptions-card">
      <div className="card-header">
        <div className="chart-title">
          <h2 id="exceptions-title">Exceptions</h2>
          <span className="muted small">
            Whole days (every half-hour present) whose use was outside the usual band: the mean of the same weekday over
            the 8 weeks before (at least 4 whole ones) ± the larger of 3 standard deviations and 10 %
          </span>
        </div>
      </div>
      {r.exceptions.length === 0 ? (
        <EmptyState title="No exceptions">
          <span data-testid="exceptions-none">
            {r.checkedDays > 0
              ? `No day was outside its usual band: ${plural(r.checkedDays, 'day')} checked`
              : 'No day could be checked: a day is checked when every half-hour is present and at least 4 of the same weekdays in the 8 weeks before it are too'}
            {r.uncheckedDays > 0 && r.checkedDays > 0 ? `, ${UNCHECKED(r.uncheckedDays)}.` : '.'}
          </span>
        </EmptyState>
      ) : (
        <>
          <p className="card-pad analysis-summary" data-testid="exceptions-summary">
            <span>
              {plural(r.exceptions.length, 'exception')} in {plural(r.checkedDays, 'day')} checked
              {totals.days > 0 &&
                `: ${plural(totals.days, 'day')} above the band used ${formatEnergyUnit(totals.kwh)} more than usual${totals.pence !== null ? ` (${formatPounds(totals.pence)})` : ''}`}
              .
            </span>
            <span className="muted small">
              {r.ratePencePerKwh !== null
                ? `£ at the meter’s average unit rate over the range, ${formatRate(r.ratePencePerKwh)} per kWh.`
                : 'No £: the meter has no tariff for this range.'}
              {r.uncheckedDays > 0 && ` ${sentence(UNCHECKED(r.uncheckedDays))}.`}
            </span>
          </p>
          <DataTable
            columns={columns(meter.mpan)}
            rows={r.exceptions}
            rowKey={(d) => d.date}
            defaultSort={{ column: 0, dir: 'desc' }}
            rowProps={(d) => ({ 'data-testid': 'exception-row', 'data-date': d.date })}
            testId="exceptions-table"
            className="exceptions-table"
            exportName={exportName(`exceptions-${meter.mpan}`, `${range.from}-${range.to}`)}
          />
        </>
      )}
    </section>
  );
}
