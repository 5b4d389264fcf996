import { useEffect, useMemo } from 'react';
import type { Series } from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import { ChartCard } from '../../charts/ChartCard';
import { buildHalfHourlyOption, seriesStats } from '../../charts/half-hourly-line';
import { FuelBadge } from '../../components/FuelBadge';
import { Breadcrumb, PageHeader } from '../../components/Page';
import { EmptyState, Skeleton } from '../../components/States';
import { ProblemState } from '../../components/ProblemState';
import { fileSlug } from '../../lib/download';
import {
  formatDayRangeUntil,
  formatInt,
  formatKwh,
  formatPeriodLabel,
  formatUkDateTime,
  plural,
} from '../../lib/format';
import { useQuery } from '../../lib/query';
import { getClient } from '../../api/instance';
import { useDataStore } from '../../stores/data';
import { rangeText } from '../costs/CostRange';
import '../../styles/latest.css';
import { useDocumentTitle } from '../../lib/hooks';
import { href, navigate, useHash } from '../../lib/route';
import { useMetersStore } from '../../stores/meters';
import { ComparisonPanel, DailyChart, HeatmapChart, PeriodChart } from './MeterCharts';
import { EmissionsPanel } from '../carbon/EmissionsPanel';
import { MeterCostPanel } from './MeterCostPanel';
import { MeterSiteForm } from './MeterSiteForm';
import { MergeMeter } from './MergeMeter';
import { MeterActions } from '../undo/MeterActions';
import { MeterNotFound } from '../undo/DeletedMeter';
import { MeterFeedHeader } from '../sources/MeterFeedHeader';
import { Energy } from '../../components/Energy';
import { AnalysisView } from '../analysis/AnalysisView';
import { addDays } from '../analysis/analysis-range';
import { ukToday } from '../../../src-shared/domain/periods';
import {
  METER_VIEWS,
  focusWindow,
  meterQueryString,
  parseMeterQuery,
  type MeterQuery,
  type MeterView,
} from './meter-view';

/** The half-hourly series as CSV rows: UTC interval start and kWh (empty when missing). */
export function seriesRows(series: Series): { header: string[]; rows: (string | number | null)[][] } {
  const n = Math.min(series.ts.length, series.kwh.length);
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < n; i++) rows.push([isoUtc(series.ts[i] as number), series.kwh[i] ?? null]);
  return { header: ['start_utc', 'kwh'], rows };
}

/** The view and its state live in the query part of the hash (meter-view.ts): they survive reloads and links. */
function useMeterQuery(): [MeterQuery, (next: Partial<MeterQuery> & { view: MeterView }) => void] {
  const hash = useHash();
  const query = useMemo(() => parseMeterQuery(hash), [hash]);
  const set = (next: Partial<MeterQuery> & { view: MeterView }) => {
    const q = hash.indexOf('?');
    const base = q >= 0 ? hash.slice(0, q) : hash;
    window.history.replaceState(null, '', `${base}${meterQueryString(next)}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  };
  return [query, set];
}

export function MeterPage({ mpan }: { mpan: string }) {
  useDocumentTitle(mpan);
  const meters = useMetersStore((s) => s.meters);
  const fetchMeters = useMetersStore((s) => s.fetchMeters);
  const entry = useMetersStore((s) => s.series[mpan]);
  const fetchSeries = useMetersStore((s) => s.fetchSeries);
  const [query, setQuery] = useMeterQuery();
  const tab = query.view;
  const setTab = (view: MeterView) => setQuery({ view });

  useEffect(() => {
    void fetchSeries(mpan);
    if (!useMetersStore.getState().meters) void fetchMeters();
  }, [mpan, fetchSeries, fetchMeters]);

  const meter = meters?.find((m) => m.mpan === mpan) ?? null;
  const series = entry?.data ?? null;
  const stats = useMemo(() => (series ? seriesStats(series) : null), [series]);
  const version = useDataStore((s) => s.version);
  // expected / present / missing by the one definition the cost card and the dashboard use
  const quality = useQuery(`quality:${mpan}:${version}`, () => getClient().call('readings.quality', { meter: mpan }));
  const qd = quality.data;
  const focus = useMemo(() => {
    const w = tab === 'half-hourly' ? focusWindow(query) : null;
    return w ? { ...w, markMs: query.at ? Date.parse(query.at) : null } : null;
  }, [tab, query]);
  const option = useMemo(() => (series ? buildHalfHourlyOption(series, focus) : null), [series, focus]);

  return (
    <div className="page">
      <Breadcrumb
        steps={[
          <a href={href.meters}>Sites &amp; meters</a>,
          ...(meter?.siteId != null
            ? [<a href={href.site(meter.siteId)}>{meter.site ?? `Site ${meter.siteId}`}</a>]
            : []),
          <span className="mono">{mpan}</span>,
        ]}
      />

      <PageHeader
        className="meter-header"
        actions={
          meter && (
            <>
              <a
                className="btn"
                href={href.reportFor({ meter: mpan }, (meter.lastCompleteDay ?? ukToday()).slice(0, 7))}
              >
                Monthly report
              </a>
              <MeterActions meter={meter} />
            </>
          )
        }
        title={
          <>
            <span className="mono">{mpan}</span>
            {meter?.label && <span className="meter-label"> · {meter.label}</span>}
          </>
        }
      >
        <div className="meter-sub">
          {meter && <FuelBadge fuel={meter.fuel} />}
          {meter && <span>{meter.kind === 'mprn' ? 'MPRN' : meter.kind === 'mpan' ? 'MPAN' : 'Meter id'}</span>}
          {meter && <span>Site: {meter.site ?? 'Unassigned'}</span>}
          {meter?.serial && <span>Serial: {meter.serial}</span>}
          {meter && meter.tags.length > 0 && (
            <span data-testid="meter-tags">
              {meter.tags.map((t) => (
                <span key={t} className="tag tag-plain">
                  {t}
                </span>
              ))}
            </span>
          )}
          {stats && stats.from !== null && (
            <span>
              {formatUkDateTime(stats.from * 1000, { zone: true })} –{' '}
              {formatUkDateTime((stats.to ?? stats.from) * 1000, { zone: true })}
            </span>
          )}
        </div>
        <MeterFeedHeader mpan={mpan} />
      </PageHeader>

      {entry?.load === 'error' ? (
        <section className="card">
          {entry.notFound ? (
            <MeterNotFound
              mpan={mpan}
              message={entry.error ?? 'No such meter'}
              onRetry={() => void fetchSeries(mpan)}
            />
          ) : (
            <ProblemState
              title="Could not load this meter"
              code={null}
              message={entry.error ?? 'Something went wrong'}
              details={undefined}
              onRetry={() => void fetchSeries(mpan)}
              action={
                <button type="button" className="btn btn-quiet" onClick={() => navigate(href.meters)}>
                  Back to Sites &amp; meters
                </button>
              }
            />
          )}
        </section>
      ) : !series || !stats || !option ? (
        <section className="card">
          <Skeleton rows={2} label="Loading readings" />
          <div className="chart-skeleton" aria-hidden="true" />
        </section>
      ) : (
        <>
          <dl className="kpis kpis-5">
            <div className="kpi">
              <dt>Total consumption</dt>
              <dd>
                <Energy kwh={stats.totalKwh} />
              </dd>
            </div>
            <div className="kpi">
              <dt>Half-hours with data</dt>
              <dd data-testid="point-count" data-present={qd?.presentHalfHours}>
                {qd ? `${formatInt(qd.presentHalfHours)} of ${formatInt(qd.expectedHalfHours)}` : '…'}
              </dd>
              {qd && qd.expectedHalfHours > 0 && <div className="kpi-sub">{rangeText(qd.from, qd.to)}</div>}
            </div>
            <div className="kpi">
              <dt>Missing</dt>
              <dd
                className={qd && qd.missingHalfHours > 0 ? 'warn' : ''}
                data-testid="missing-count"
                data-missing={qd?.missingHalfHours}
              >
                {qd ? formatInt(qd.missingHalfHours) : '…'}
              </dd>
              <div className="kpi-sub">absent or listed with no value</div>
            </div>
            <div className="kpi">
              <dt>Latest complete day</dt>
              <dd data-testid="last-complete-day">
                {qd ? (qd.lastCompleteDay ? formatPeriodLabel(qd.lastCompleteDay) : 'None yet') : '…'}
              </dd>
              <div className="kpi-sub">at least 40 half-hours with data</div>
            </div>
            <div className="kpi">
              <dt>Peak half-hour</dt>
              <dd>
                {stats.peak ? (
                  <>
                    {formatKwh(stats.peak.kwh, 3)} <span className="unit">kWh</span>
                    <div className="kpi-sub">{formatUkDateTime(stats.peak.ts * 1000, { zone: true })}</div>
                  </>
                ) : (
                  '—'
                )}
              </dd>
            </div>
          </dl>

          {meter && <MeterSiteForm meter={meter} />}

          <div className="tabs" role="tablist" aria-label="Chart">
            {METER_VIEWS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls="meter-tabpanel"
                className={`tab ${tab === t.id ? 'active' : ''}`}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>

          <div id="meter-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="tabpanel">
            {tab === 'half-hourly' && (
              <ChartCard
                title="Half-hourly consumption"
                note={
                  <>
                    {focus && query.day && (
                      <span data-testid="half-hourly-focus">
                        Opened on {formatDayRangeUntil(query.day, addDays(query.day, query.days))}
                        {query.at ? `, marked at ${formatUkDateTime(query.at, { zone: true })}` : ''} ·{' '}
                        <a href={href.meter(mpan)}>whole history</a> ·{' '}
                      </span>
                    )}
                    UK local time · drag the slider or scroll on the chart to zoom
                    {entry?.load === 'loading' ? ' · refreshing…' : ''}
                  </>
                }
                testId="meter-chart"
                points={series.ts.length}
                option={option}
                fileBase={`half-hourly-${fileSlug(mpan)}`}
                csv={() => seriesRows(series)}
                ariaLabel={`Half-hourly consumption of meter ${mpan}: ${plural(stats.count, 'half-hour')}, ${formatKwh(stats.totalKwh, 2)} kWh in total`}
                empty={
                  series.ts.length === 0 ? (
                    <EmptyState title="No readings for this meter yet">
                      Import a file with half-hourly data for {mpan} to see it here.
                    </EmptyState>
                  ) : undefined
                }
              />
            )}
            {tab !== 'half-hourly' && tab !== 'heatmap' && !meter && (
              <section className="card">
                <Skeleton rows={3} label="Loading the meter" />
              </section>
            )}
            {tab === 'daily' && meter && <DailyChart meter={meter} />}
            {tab === 'heatmap' && <HeatmapChart meter={meter} series={series} />}
            {tab === 'periods' && meter && <PeriodChart meter={meter} />}
            {tab === 'analysis' && meter && (
              <AnalysisView
                meter={meter}
                query={query}
                onChange={({ range, baseline }) =>
                  setQuery({
                    view: 'analysis',
                    from: range?.from ?? null,
                    to: range?.to ?? null,
                    baselineFrom: baseline?.from ?? null,
                    baselineTo: baseline?.to ?? null,
                  })
                }
              />
            )}
          </div>

          {meter && <ComparisonPanel meter={meter} />}
          {meter && <EmissionsPanel meter={meter} />}
          {meter && <MeterCostPanel meter={meter} />}
          {meter && <MergeMeter meter={meter} />}
        </>
      )}
    </div>
  );
}
