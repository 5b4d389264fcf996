/** The meter page's charts beyond the half-hourly line: daily bars, the load-profile heatmap and period bars. */
import { useMemo, useState } from 'react';
import type { Comparison, MeterSummary, PeriodKind, Series } from '../../../src-shared/contract/types';
import { isoDay } from '../../../src-shared/domain/periods';
import { AsAtField } from '../../components/AsAtField';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import { buildDailyOption, dailyCsv, dailyRows } from './daily-bars';
import { buildHeatmapGrid, buildHeatmapOption, heatmapCsv } from './heatmap';
import { alignYearAgo, buildPeriodOption, periodCsv } from './period-bars';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName } from '../../components/table-export';
import { changePercentOf, totalColumns } from './totals-csv';
import { Segmented } from '../../components/Segmented';
import { EmptyState, Skeleton } from '../../components/States';
import { Trend } from '../../components/Trend';
import { fileSlug } from '../../lib/download';
import {
  formatEnergy,
  formatEnergyUnit,
  formatPeriodLabel,
  formatShare,
  formatSignedEnergyUnit,
  plural,
} from '../../lib/format';
import { PERIOD_NAME, periodRange, readingDays, yearEarlier } from '../../lib/periods';
import { useQuery, type Query } from '../../lib/query';
import { useDataStore } from '../../stores/data';
import { QueryProblem } from '../../components/ProblemState';

function ChartLoading({ title, q }: { title: string; q: Query<unknown> }) {
  return (
    <section className="card chart-card" aria-label={title}>
      {q.load === 'error' ? (
        <QueryProblem title={`Could not load the ${title.toLowerCase()}`} q={q} />
      ) : (
        <>
          <Skeleton rows={1} label={`Loading the ${title.toLowerCase()}`} />
          <div className="chart-skeleton" aria-hidden="true" />
        </>
      )}
    </section>
  );
}

const NO_READINGS = (
  <EmptyState title="No readings for this meter yet">
    Import a file with its half-hourly data to see totals here.
  </EmptyState>
);

export function DailyChart({ meter }: { meter: MeterSummary }) {
  const version = useDataStore((s) => s.version);
  const days = readingDays(meter.firstReading, meter.lastReading);
  const from = days ? isoDay(days.from) : null;
  const to = days ? isoDay(days.to) : null;
  const q = useQuery(from && to ? `daily:${meter.mpan}:${from}:${to}:${version}` : null, () =>
    getClient().call('totals.list', { meter: meter.mpan, period: 'day', from: from as string, to: to as string }),
  );
  const option = useMemo(() => (q.data ? buildDailyOption(q.data) : null), [q.data]);
  if (!days) return <section className="card">{NO_READINGS}</section>;
  if (!q.data || !option) return <ChartLoading title="Daily consumption" q={q} />;
  const rows = q.data;
  const incomplete = rows.filter((r) => r.completeness < 1).length;
  return (
    <ChartCard
      title="Daily consumption"
      note={`${plural(rows.length, 'day')} · dashed line: baseload (mean of the 8 lowest half-hours held all day, on days with at least 40 half-hours)${incomplete ? ` · pale bars: ${plural(incomplete, 'incomplete day')}` : ''}`}
      testId="daily-chart"
      points={rows.length}
      option={option}
      fileBase={`daily-${fileSlug(meter.mpan)}`}
      csv={() => dailyCsv(dailyRows(rows))}
      ariaLabel={`Daily kWh of meter ${meter.mpan} over ${plural(rows.length, 'day')}`}
    />
  );
}

export function HeatmapChart({ meter, series }: { meter: MeterSummary | null; series: Series }) {
  const grid = useMemo(() => buildHeatmapGrid(series), [series]);
  const option = useMemo(() => buildHeatmapOption(grid), [grid]);
  const id = meter?.mpan ?? series.meter;
  return (
    <ChartCard
      title="Load profile"
      note={`Each column is a UK local day, each row a half-hour (00:00 at the top). Look for colour outside working hours.${grid.doubled ? ' On the autumn clock change the repeated hour shows the mean of its two readings.' : ''}`}
      testId="heatmap-chart"
      points={grid.cells.length}
      option={option}
      fileBase={`load-profile-${fileSlug(id)}`}
      csv={() => heatmapCsv(grid)}
      ariaLabel={`Load profile heatmap of meter ${id}: ${plural(grid.days.length, 'day')} by 48 half-hours`}
      empty={grid.cells.length === 0 ? NO_READINGS : undefined}
      tall
    />
  );
}

export function PeriodChart({ meter }: { meter: MeterSummary }) {
  const [kind, setKind] = useState<Exclude<PeriodKind, 'day'>>('month');
  const version = useDataStore((s) => s.version);
  const days = readingDays(meter.firstReading, meter.lastReading);
  const range = days ? periodRange(kind, days.from, days.to) : null;
  const earlier = range ? yearEarlier(kind, range.from, range.to) : null;
  const q = useQuery(
    range && earlier ? `period:${meter.mpan}:${kind}:${range.from}:${range.to}:${version}` : null,
    async () => {
      const c = getClient();
      const [cur, old] = await Promise.all([
        c.call('totals.list', { meter: meter.mpan, period: kind, from: range!.from, to: range!.to }),
        c.call('totals.list', { meter: meter.mpan, period: kind, from: earlier!.from, to: earlier!.to }),
      ]);
      return alignYearAgo(kind, cur, old);
    },
  );
  const option = useMemo(() => (q.data ? buildPeriodOption(kind, q.data) : null), [q.data, kind]);
  const controls = (
    <Segmented
      options={(['week', 'month', 'year'] as const).map((k) => ({ value: k, label: PERIOD_NAME[k] }))}
      value={kind}
      onChange={setKind}
      label="Period"
      small
    />
  );
  if (!days) return <section className="card">{NO_READINGS}</section>;
  if (!q.data || !option)
    return (
      <section className="card chart-card" aria-label="Totals by period">
        <div className="card-header">
          <h2>Totals by {kind}</h2>
          {controls}
        </div>
        {q.load === 'error' ? (
          <QueryProblem title="Could not load the totals" q={q} />
        ) : (
          <div className="chart-skeleton" aria-hidden="true" />
        )}
      </section>
    );
  const rows = q.data;
  return (
    <ChartCard
      title={`Totals by ${kind}`}
      note={`${plural(rows.length, kind)} with the same ${kind} a year earlier in grey${kind === 'week' ? ' (52 weeks back, so weekdays line up)' : ''} · pale bars are incomplete`}
      testId="period-chart"
      points={rows.length}
      option={option}
      fileBase={`${kind}-totals-${fileSlug(meter.mpan)}`}
      csv={() => periodCsv(rows)}
      ariaLabel={`kWh per ${kind} of meter ${meter.mpan} with the year-earlier ${kind}s`}
      controls={controls}
    />
  );
}

const BASIS_TEXT = {
  previous: {
    day: 'vs the day before',
    week: 'vs the week before',
    month: 'vs the month before',
    year: 'vs the year before',
  },
  'year-ago': {
    day: 'vs 52 weeks earlier',
    week: 'vs 52 weeks earlier',
    month: 'vs a year earlier',
    year: 'vs a year earlier',
  },
} as const;

interface PeriodComparison {
  kind: PeriodKind;
  previous: Comparison;
  yearAgo: Comparison;
}

const COMPARE_COLUMNS: Column<PeriodComparison>[] = [
  {
    header: 'Period',
    rowHeader: true,
    cell: ({ previous }) => (
      <>
        <div className="strong">{formatPeriodLabel(previous.current.period)}</div>
        <div className="muted small">{formatShare(previous.current.completeness)} complete</div>
      </>
    ),
    csv: [
      { header: 'Kind', value: (r) => PERIOD_NAME[r.kind] },
      ...totalColumns<PeriodComparison>('This', (r) => r.previous.current),
    ],
  },
  { header: 'kWh', num: true, className: 'strong', cell: ({ previous }) => formatEnergy(previous.current.kwh) },
  {
    header: 'Against the one before',
    cell: ({ kind, previous }) => <CompareCell c={previous} text={BASIS_TEXT.previous[kind]} />,
    csv: [
      ...totalColumns<PeriodComparison>('Before', (r) => r.previous.previous),
      { header: 'Change vs before (%)', value: (r) => changePercentOf(r.previous.current, r.previous.previous) },
    ],
  },
  {
    header: 'Against a year earlier',
    cell: ({ kind, yearAgo }) => <CompareCell c={yearAgo} text={BASIS_TEXT['year-ago'][kind]} />,
    csv: [
      ...totalColumns<PeriodComparison>('Year earlier', (r) => r.yearAgo.previous),
      { header: 'Change vs year earlier (%)', value: (r) => changePercentOf(r.yearAgo.current, r.yearAgo.previous) },
    ],
  },
];

/**
 * The latest complete day, week, month and year with readings, against the one before and a year
 * earlier — anchored on the meter's last complete day (core: totals.latest), up to an "as at" date.
 */
export function ComparisonPanel({ meter }: { meter: MeterSummary }) {
  const version = useDataStore((s) => s.version);
  const [asAt, setAsAt] = useState('');
  const q = useQuery(meter.lastReading ? `latest:${meter.mpan}:${asAt}:${version}` : null, () =>
    getClient().call('totals.latest', { meter: meter.mpan, ...(asAt ? { asAt } : {}) }),
  );
  const rows = (q.data?.periods ?? []).flatMap((p) =>
    p.previous && p.yearAgo ? [{ kind: p.kind, previous: p.previous, yearAgo: p.yearAgo }] : [],
  );
  const none = (q.data?.periods ?? []).filter((p) => !p.previous).map((p) => p.kind);
  const anchor = q.data?.lastCompleteDay ?? null;

  return (
    <section className="card" aria-labelledby="compare-title" data-testid="comparison-panel">
      <div className="card-header">
        <h2 id="compare-title">Latest periods with readings</h2>
        <span className="muted small" data-testid="comparison-anchor">
          {anchor
            ? `Up to ${formatPeriodLabel(anchor)}, the meter’s latest complete day`
            : 'Trends are drawn only when both periods are at least 90 % complete'}
        </span>
        <AsAtField id={`as-at-${meter.mpan}`} value={asAt} onChange={setAsAt} />
      </div>
      {!meter.lastReading ? (
        NO_READINGS
      ) : q.load === 'error' && !q.data ? (
        <QueryProblem title="Could not compare periods" q={q} />
      ) : !q.data ? (
        <Skeleton rows={4} label="Comparing periods" />
      ) : !anchor ? (
        <EmptyState title="No complete day yet">
          {asAt
            ? `This meter has no day with at least 40 half-hours of data up to ${formatPeriodLabel(q.data.asAt)}.`
            : 'This meter has no day with at least 40 half-hours of data yet.'}
        </EmptyState>
      ) : (
        <>
          <DataTable
            columns={COMPARE_COLUMNS}
            rows={rows}
            rowKey={(r) => r.kind}
            rowProps={(r) => ({ 'data-testid': 'comparison-row', 'data-kind': r.kind })}
            className="compare-table"
            exportName={exportName(`period-totals-${meter.mpan}`, anchor)}
          />
          {none.length > 0 && (
            <p className="muted small card-pad" data-testid="comparison-none">
              No complete {none.map((k) => PERIOD_NAME[k].toLowerCase()).join(', ')} with readings up to{' '}
              {formatPeriodLabel(anchor)}. Trends are drawn only when both periods are at least 90 % complete.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function CompareCell({ c, text }: { c: Comparison; text: string }) {
  if (c.previous.kwh === 0 && c.previous.completeness === 0)
    return <span className="muted small">No readings for {formatPeriodLabel(c.previous.period)}</span>;
  return (
    <div className="compare-cell">
      <Trend
        changePercent={c.changePercent}
        comparable={c.comparable}
        completeness={c.current.completeness}
        previousCompleteness={c.previous.completeness}
        against={text}
      />
      <div className="muted small">
        {formatPeriodLabel(c.previous.period, { short: true })}: {formatEnergyUnit(c.previous.kwh)} (
        {formatSignedEnergyUnit(c.changeKwh)})
      </div>
    </div>
  );
}
