import { useMemo, useState } from 'react';
import type { Fuel, MeterSummary, PeriodTotal, SiteDetail } from '../../../src-shared/contract/types';
import {
  isComparable,
  isoDay,
  parsePeriod,
  periodLabel,
  previousPeriodStart,
  yearAgoStart,
  nextPeriodStart,
  ukToday,
} from '../../../src-shared/domain/periods';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import { buildGroupedOption, groupTotals, groupedCsv, type GroupedSeries } from './grouped-bars';
import { FUEL_NAME, FuelBadge } from '../../components/FuelBadge';
import { DataTable, type Column } from '../../components/DataTable';
import { Breadcrumb, PageHeader } from '../../components/Page';
import { Segmented } from '../../components/Segmented';
import { EmptyState, Skeleton } from '../../components/States';
import { Trend } from '../../components/Trend';
import { fileSlug } from '../../lib/download';
import {
  formatDayRange,
  formatEnergy,
  formatEnergyUnit,
  formatPeriodLabel,
  formatShare,
  plural,
} from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { periodRange, readingDays } from '../../lib/periods';
import { useQuery } from '../../lib/query';
import { href, navigate } from '../../lib/route';
import { useDataStore } from '../../stores/data';
import { SiteCarbonCard } from './SiteCarbonCard';
import { latestMonth, siteDays } from './site-periods';
import { Energy } from '../../components/Energy';
import { QueryProblem } from '../../components/ProblemState';
import '../../styles/analysis.css';
import { ClosuresCard } from './ClosuresCard';
import { OpeningHoursCard } from './OpeningHoursCard';
import { SiteDetailsCard } from './SiteDetails';
import { WeatherCard } from './WeatherCard';
import { SiteActions } from '../undo/SiteActions';
import { BudgetCard } from '../budgets/BudgetCard';
import { exportName, timeColumns } from '../../components/table-export';
import { changePercentOf, totalColumns } from '../meters/totals-csv';

export function SitePage({ id }: { id: number }) {
  const version = useDataStore((s) => s.version);
  const q = useQuery(`site:${id}:${version}`, () => getClient().call('sites.get', { id }));
  const d = q.data;
  useDocumentTitle(d?.site.name ?? 'Site');

  return (
    <div className="page">
      <Breadcrumb steps={[<a href={href.meters}>Sites &amp; meters</a>, <span>{d?.site.name ?? `Site ${id}`}</span>]} />
      {q.load === 'error' && !d ? (
        <section className="card">
          <QueryProblem
            title={q.code === 'NOT_FOUND' ? 'Site not found' : 'Could not load this site'}
            q={q}
            action={
              <button type="button" className="btn btn-quiet" onClick={() => navigate(href.meters)}>
                Back to Sites &amp; meters
              </button>
            }
          />
        </section>
      ) : !d ? (
        <section className="card">
          <Skeleton rows={4} label="Loading the site" />
        </section>
      ) : (
        <Site d={d} />
      )}
    </div>
  );
}

const METER_COLUMNS: Column<MeterSummary>[] = [
  {
    header: 'MPAN / MPRN',
    cell: (m) => (
      <a className="mono strong" href={href.meter(m.mpan)} onClick={(e) => e.stopPropagation()}>
        {m.mpan}
      </a>
    ),
    csv: (m) => m.mpan,
  },
  { header: 'Label', cell: (m) => m.label ?? <span className="muted">—</span>, csv: (m) => m.label },
  { header: 'Fuel', cell: (m) => <FuelBadge fuel={m.fuel} />, csv: (m) => m.fuel },
  {
    header: 'Last reading',
    cell: (m) => (m.lastReading ? formatPeriodLabel(isoDay(readingDays(m.firstReading, m.lastReading)!.to - 1)) : '—'),
    csv: timeColumns<MeterSummary>('Last reading', (m) => m.lastReading),
  },
];

function Site({ d }: { d: SiteDetail }) {
  const days = siteDays(d.meters);
  const fuels = [...new Set(d.meters.map((m) => m.fuel))].sort();
  return (
    <>
      <PageHeader
        title={d.site.name}
        titleTestId="site-name"
        actions={
          <>
            <a
              className="btn"
              href={href.reportFor({ siteId: d.site.id }, latestMonth(d.meters) ?? ukToday().slice(0, 7))}
            >
              Monthly report
            </a>
            <SiteActions site={d.site} />
          </>
        }
        subtitle={[
          d.site.postcode,
          d.site.organisation,
          plural(d.meters.length, 'meter'),
          days ? formatDayRange(isoDay(days.from), isoDay(days.to - 1)) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      />
      {d.meters.length === 0 ? (
        <section className="card">
          <EmptyState
            title="No meters on this site yet"
            icon="⌂"
            action={
              <button type="button" className="btn btn-primary" onClick={() => navigate(href.meters)}>
                Choose meters
              </button>
            }
          >
            Open a meter and use “Assign to a site…” to add it here. Totals, charts and comparisons appear once a meter
            with readings belongs to this site.
          </EmptyState>
        </section>
      ) : !days ? (
        <section className="card">
          <EmptyState title="No readings yet">The meters on this site have no half-hourly readings yet.</EmptyState>
        </section>
      ) : (
        <>
          <SiteComparisons siteId={d.site.id} fuels={fuels} month={latestMonth(d.meters)} />
          <SiteTotals d={d} days={days} />
          <MetersSideBySide d={d} days={days} />
        </>
      )}
      {d.meters.length > 0 && <SiteCarbonCard d={d} />}
      <section className="card" aria-label="Meters on this site">
        <div className="card-header">
          <h2>Meters</h2>
        </div>
        <DataTable
          columns={METER_COLUMNS}
          rows={d.meters}
          rowKey={(m) => m.mpan}
          rowProps={(m) => ({
            className: 'clickable',
            'data-testid': 'site-meter-row',
            'data-mpan': m.mpan,
            onClick: () => navigate(href.meter(m.mpan)),
          })}
          className="meters-table"
          exportName={exportName(`site-${d.site.name}-meters`)}
        />
      </section>
      <div className="dash-grid site-settings">
        <SiteDetailsCard site={d.site} />
        <ClosuresCard d={d} />
      </div>
      <OpeningHoursCard site={d.site} />
      <BudgetCard siteId={d.site.id} />
      <WeatherCard d={d} />
    </>
  );
}

function usePeriodChoice(days: { from: number; to: number }): ['day' | 'month', (k: 'day' | 'month') => void] {
  const [kind, setKind] = useState<'day' | 'month'>(days.to - days.from > 92 ? 'month' : 'day');
  return [kind, setKind];
}

function PeriodToggle({ kind, onChange }: { kind: 'day' | 'month'; onChange: (k: 'day' | 'month') => void }) {
  return (
    <Segmented
      options={[
        { value: 'day', label: 'Daily' },
        { value: 'month', label: 'Monthly' },
      ]}
      value={kind}
      onChange={onChange}
      label="Period"
      small
    />
  );
}

function SiteTotals({ d, days }: { d: SiteDetail; days: { from: number; to: number } }) {
  const [kind, setKind] = usePeriodChoice(days);
  const version = useDataStore((s) => s.version);
  const range = periodRange(kind, days.from, days.to);
  const q = useQuery(`site-totals:${d.site.id}:${kind}:${range.from}:${range.to}:${version}`, () =>
    getClient().call('totals.site', { siteId: d.site.id, period: kind, from: range.from, to: range.to }),
  );
  const series: GroupedSeries[] = useMemo(
    () => (q.data ?? []).map((f) => ({ name: `${FUEL_NAME[f.fuel]} kWh`, totals: f.totals })),
    [q.data],
  );
  const table = useMemo(() => groupTotals(series), [series]);
  const option = useMemo(() => buildGroupedOption(series, table, kind === 'day' ? 92 : 24), [series, table, kind]);
  return (
    <>
      <div className="fuel-summary" data-testid="site-fuel-totals">
        {(q.data ?? []).map((f) => (
          <FuelSummary key={f.fuel} fuel={f.fuel} totals={f.totals} />
        ))}
      </div>
      {q.load === 'error' && !q.data ? (
        <section className="card">
          <QueryProblem title="Could not load the site totals" q={q} />
        </section>
      ) : (
        <ChartCard
          title="Site totals by fuel"
          note="Each fuel on its own bars: gas and electricity kWh are never added together"
          testId="site-totals-chart"
          points={table.periods.length}
          option={option}
          fileBase={`site-${fileSlug(d.site.name)}-${kind}-by-fuel`}
          csv={() => groupedCsv(series, table)}
          ariaLabel={`${kind === 'day' ? 'Daily' : 'Monthly'} kWh of ${d.site.name} by fuel`}
          controls={<PeriodToggle kind={kind} onChange={setKind} />}
          empty={!q.data ? <Skeleton rows={2} label="Loading site totals" /> : undefined}
        />
      )}
    </>
  );
}

function FuelSummary({ fuel, totals }: { fuel: Fuel; totals: PeriodTotal[] }) {
  const kwh = totals.reduce((s, t) => s + t.kwh, 0);
  const hh = totals.reduce((s, t) => s + t.halfHours, 0);
  const missing = totals.reduce((s, t) => s + t.missing, 0);
  return (
    <div className="kpi" data-fuel={fuel}>
      <dt>
        <FuelBadge fuel={fuel} /> total
      </dt>
      {hh > 0 && missing >= hh ? (
        // its meters have no readings in the range: "no data", not a use of 0 kWh
        <dd>
          <span className="muted">—</span>
          <div className="kpi-sub">No readings yet</div>
        </dd>
      ) : (
        <dd>
          <Energy kwh={kwh} />
          <div className="kpi-sub">{hh > 0 ? `${formatShare(1 - missing / hh)} of half-hours present` : ''}</div>
        </dd>
      )}
    </div>
  );
}

function MetersSideBySide({ d, days }: { d: SiteDetail; days: { from: number; to: number } }) {
  const [kind, setKind] = usePeriodChoice(days);
  const version = useDataStore((s) => s.version);
  const range = periodRange(kind, days.from, days.to);
  const withData = d.meters.filter((m) => m.lastReading);
  const q = useQuery(
    `site-meters:${d.site.id}:${kind}:${range.from}:${range.to}:${withData.map((m) => m.mpan).join(',')}:${version}`,
    () =>
      Promise.all(
        withData.map(async (m) => ({
          name: m.label ? `${m.label} (${m.mpan})` : m.mpan,
          totals: await getClient().call('totals.list', {
            meter: m.mpan,
            period: kind,
            from: range.from,
            to: range.to,
          }),
        })),
      ),
  );
  const series = useMemo(() => q.data ?? [], [q.data]);
  const table = useMemo(() => groupTotals(series), [series]);
  const option = useMemo(() => buildGroupedOption(series, table, kind === 'day' ? 62 : 24), [series, table, kind]);
  const mixed = new Set(withData.map((m) => m.fuel)).size > 1;
  if (q.load === 'error' && !q.data)
    return (
      <section className="card">
        <QueryProblem title="Could not load the meters' totals" q={q} />
      </section>
    );
  return (
    <ChartCard
      title="Meters side by side"
      note={`${plural(series.length, 'meter')}, one bar each per ${kind}${mixed ? ' · gas and electricity meters are shown side by side, never added' : ''}`}
      testId="site-meters-chart"
      points={table.periods.length}
      option={option}
      fileBase={`site-${fileSlug(d.site.name)}-${kind}-by-meter`}
      csv={() => groupedCsv(series, table)}
      ariaLabel={`${kind === 'day' ? 'Daily' : 'Monthly'} kWh per meter of ${d.site.name}`}
      controls={<PeriodToggle kind={kind} onChange={setKind} />}
      empty={!q.data ? <Skeleton rows={2} label="Loading meter totals" /> : undefined}
    />
  );
}

interface SiteComparison {
  fuel: Fuel;
  current: PeriodTotal;
  previous: PeriodTotal | null;
  yearAgo: PeriodTotal | null;
}

function change(
  cur: PeriodTotal,
  prev: PeriodTotal | null,
): { percent: number | null; comparable: boolean; completeness: number } {
  if (!prev) return { percent: null, comparable: false, completeness: 0 };
  return {
    percent: prev.kwh > 0 ? ((cur.kwh - prev.kwh) / prev.kwh) * 100 : null,
    comparable: isComparable(cur.completeness, prev.completeness),
    completeness: Math.min(cur.completeness, prev.completeness),
  };
}

/** A month's change against an earlier one, or why there is none. */
function ChangeCell({ cur, earlier, none }: { cur: PeriodTotal; earlier: PeriodTotal | null; none: string }) {
  if (!(earlier && earlier.completeness > 0)) return <span className="muted small">{none}</span>;
  const c = change(cur, earlier);
  const against = `vs ${formatPeriodLabel(earlier.period, { short: true })} (${formatEnergyUnit(earlier.kwh)})`;
  return <Trend changePercent={c.percent} comparable={c.comparable} completeness={c.completeness} against={against} />;
}

const COMPARE_COLUMNS: Column<SiteComparison>[] = [
  {
    header: 'Fuel',
    rowHeader: true,
    cell: (c) => (
      <>
        <FuelBadge fuel={c.fuel} />
        <div className="muted small">{formatShare(c.current.completeness)} complete</div>
      </>
    ),
    csv: [{ header: 'Fuel', value: (c) => c.fuel }, ...totalColumns<SiteComparison>('This', (c) => c.current)],
  },
  {
    header: 'kWh',
    num: true,
    className: 'strong',
    cell: (c) =>
      c.current.completeness === 0 ? <span className="muted small">No readings</span> : formatEnergy(c.current.kwh),
  },
  {
    header: 'Against the month before',
    cell: (c) => <ChangeCell cur={c.current} earlier={c.previous} none="No readings the month before" />,
    csv: [
      ...totalColumns<SiteComparison>('Month before', (c) => c.previous),
      { header: 'Change vs month before (%)', value: (c) => changePercentOf(c.current, c.previous) },
    ],
  },
  {
    header: 'Against a year earlier',
    cell: (c) => <ChangeCell cur={c.current} earlier={c.yearAgo} none="No readings a year earlier" />,
    csv: [
      ...totalColumns<SiteComparison>('Year earlier', (c) => c.yearAgo),
      { header: 'Change vs year earlier (%)', value: (c) => changePercentOf(c.current, c.yearAgo) },
    ],
  },
];

/** The latest complete month per fuel against the month before and the same month a year earlier. */
function SiteComparisons({ siteId, fuels, month }: { siteId: number; fuels: Fuel[]; month: string | null }) {
  const version = useDataStore((s) => s.version);
  const start = month ? parsePeriod('month', month) : null;
  const q = useQuery(start !== null ? `site-compare:${siteId}:${month}:${version}` : null, async () => {
    const s = start as number;
    const from = isoDay(yearAgoStart('month', s));
    const to = isoDay(nextPeriodStart('month', s));
    const r = await getClient().call('totals.site', { siteId, period: 'month', from, to });
    const prevLabel = periodLabel('month', previousPeriodStart('month', s));
    const agoLabel = periodLabel('month', yearAgoStart('month', s));
    return r
      .map((f): SiteComparison | null => {
        const by = new Map(f.totals.map((t) => [t.period, t]));
        const current = by.get(month as string);
        return current
          ? { fuel: f.fuel, current, previous: by.get(prevLabel) ?? null, yearAgo: by.get(agoLabel) ?? null }
          : null;
      })
      .filter((x): x is SiteComparison => x !== null);
  });
  if (!month) return null;
  return (
    <section className="card" aria-labelledby="site-compare-title" data-testid="site-comparisons">
      <div className="card-header">
        <h2 id="site-compare-title">{formatPeriodLabel(month)} compared</h2>
        <span className="muted small">Latest complete month · each fuel on its own</span>
      </div>
      {q.load === 'error' && !q.data ? (
        <QueryProblem title="Could not compare months" q={q} />
      ) : !q.data ? (
        <Skeleton rows={fuels.length + 1} label="Comparing months" />
      ) : (
        <DataTable
          columns={COMPARE_COLUMNS}
          rows={q.data}
          rowKey={(c) => c.fuel}
          className="compare-table"
          exportName={exportName(`site-${siteId}-months`, month)}
        />
      )}
    </section>
  );
}
