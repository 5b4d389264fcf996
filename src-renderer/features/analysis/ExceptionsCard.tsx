/**
 * Days outside their usual band (`analytics.exceptions`): each complete day against the mean of the
 * same weekday over the 8 weeks before, band max(3σ, 10 %); sortable, each day a link to its half-hours.
 */
import { useState } from 'react';
import type { ExceptionDay, MeterSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { Segmented } from '../../components/Segmented';
import { EmptyState } from '../../components/States';
import { formatEnergy, formatEnergyUnit, formatPeriodLabel, formatSignedEnergy, plural } from '../../lib/format';
import { formatPounds, formatRate } from '../../lib/money';
import { useQuery } from '../../lib/query';
import { halfHourlyDayHref } from '../meters/meter-view';
import { AnalysisProblem } from './AnalysisCard';
import type { DayRange } from './analysis-range';
import { excessTotals, sortExceptions, type ExceptionOrder } from './exceptions';

function columns(mpan: string): Column<ExceptionDay>[] {
  return [
    {
      header: 'Day',
      rowHeader: true,
      cell: (d) => (
        <a href={halfHourlyDayHref(mpan, d.date)} data-testid="exception-link">
          {formatPeriodLabel(d.date)}
        </a>
      ),
    },
    { header: 'Used (kWh)', num: true, className: 'strong', cell: (d) => formatEnergy(d.actualKwh) },
    {
      header: 'Usual (kWh)',
      num: true,
      cell: (d) => (
        <>
          {formatEnergy(d.expectedKwh)} <span className="muted small">± {formatEnergy(d.bandKwh)}</span>
        </>
      ),
    },
    {
      header: 'Difference (kWh)',
      num: true,
      className: (d) => (d.excessKwh > 0 ? 'change-up' : 'change-down'),
      cell: (d) => formatSignedEnergy(d.excessKwh),
    },
    {
      header: 'Cost of difference',
      num: true,
      cell: (d) => (d.excessPence === null ? '—' : formatPounds(d.excessPence)),
    },
    { header: 'Weeks compared', num: true, cell: (d) => d.weeks },
  ];
}

export function ExceptionsCard({ meter, range, version }: { meter: MeterSummary; range: DayRange; version: number }) {
  const [order, setOrder] = useState<ExceptionOrder>('date');
  const q = useQuery(`exceptions:${meter.mpan}:${range.from}:${range.to}:${version}`, () =>
    getClient().call('analytics.exceptions', { meter: meter.mpan, from: range.from, to: range.to }),
  );
  if (!q.data) return <AnalysisProblem title="Exceptions" q={q} testId="exceptions-card" siteId={meter.siteId} />;
  const r = q.data;
  const totals = excessTotals(r.exceptions);
  const rows = sortExceptions(r.exceptions, order);
  return (
    <section className="card analysis-card" aria-labelledby="exceptions-title" data-testid="exceptions-card">
      <div className="card-header">
        <div className="chart-title">
          <h2 id="exceptions-title">Exceptions</h2>
          <span className="muted small">
            Days whose use was outside the usual band: the mean of the same weekday over the 8 weeks before (at least 4
            complete ones) ± the larger of 3 standard deviations and 10 %
          </span>
        </div>
        {r.exceptions.length > 1 && (
          <Segmented
            options={[
              { value: 'date', label: 'Latest first' },
              { value: 'excess', label: 'Largest excess first' },
            ]}
            value={order}
            onChange={setOrder}
            label="Order"
            small
            testId="exceptions-order"
          />
        )}
      </div>
      {r.exceptions.length === 0 ? (
        <EmptyState title="No exceptions">
          <span data-testid="exceptions-none">
            {r.checkedDays > 0
              ? `No day was outside its usual band: ${plural(r.checkedDays, 'day')} checked`
              : 'No day could be checked: each needs a complete day and at least 4 complete same weekdays in the 8 weeks before it'}
            {r.uncheckedDays > 0 && r.checkedDays > 0
              ? `, ${plural(r.uncheckedDays, 'day')} not checked (incomplete, or too little history before it).`
              : '.'}
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
              {r.uncheckedDays > 0 &&
                ` ${plural(r.uncheckedDays, 'day')} not checked (incomplete, or too little history before it).`}
            </span>
          </p>
          <DataTable
            columns={columns(meter.mpan)}
            rows={rows}
            rowKey={(d) => d.date}
            rowProps={(d) => ({ 'data-testid': 'exception-row', 'data-date': d.date })}
            testId="exceptions-table"
            className="exceptions-table"
          />
        </>
      )}
    </section>
  );
}
