import { lazy, Suspense, useEffect, useMemo } from 'react';
import type { Series } from '../../src-shared/contract/types';
import { isoUtc } from '../../src-shared/domain/london-time';
import { buildHalfHourlyOption, seriesStats } from '../charts/half-hourly-line';
import { EmptyState, ErrorState, Skeleton } from '../components/States';
import { formatInt, formatKwh, formatUkDateTime } from '../lib/format';
import { useDocumentTitle } from '../lib/hooks';
import { href, navigate } from '../lib/route';
import { useMetersStore } from '../stores/meters';
import { FuelBadge } from './MetersPage';

// echarts is the largest dependency: load it with the first meter page, not at startup.
const EChart = lazy(() => import('../charts/EChart').then((m) => ({ default: m.EChart })));

export function seriesCsv(series: Series): string {
  const lines = ['start_utc,kwh'];
  const n = Math.min(series.ts.length, series.kwh.length);
  for (let i = 0; i < n; i++) {
    const v = series.kwh[i];
    lines.push(`${isoUtc(series.ts[i] as number)},${v === null || v === undefined ? '' : v}`);
  }
  return lines.join('\r\n') + '\r\n';
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function MeterPage({ mpan }: { mpan: string }) {
  useDocumentTitle(mpan);
  const meters = useMetersStore((s) => s.meters);
  const fetchMeters = useMetersStore((s) => s.fetchMeters);
  const entry = useMetersStore((s) => s.series[mpan]);
  const fetchSeries = useMetersStore((s) => s.fetchSeries);

  useEffect(() => {
    void fetchSeries(mpan);
    if (!useMetersStore.getState().meters) void fetchMeters();
  }, [mpan, fetchSeries, fetchMeters]);

  const meter = meters?.find((m) => m.mpan === mpan) ?? null;
  const series = entry?.data ?? null;
  const stats = useMemo(() => (series ? seriesStats(series) : null), [series]);
  const option = useMemo(() => (series ? buildHalfHourlyOption(series) : null), [series]);

  return (
    <div className="page">
      <div className="breadcrumb">
        <a href={href.meters}>Sites &amp; meters</a>
        <span aria-hidden="true">›</span>
        <span className="mono">{mpan}</span>
      </div>

      <header className="page-header meter-header">
        <div>
          <h1 className="mono">{mpan}</h1>
          <div className="meter-sub">
            {meter && <FuelBadge fuel={meter.fuel} />}
            {meter && <span>{meter.kind === 'mprn' ? 'MPRN' : meter.kind === 'mpan' ? 'MPAN' : 'Meter id'}</span>}
            {meter && <span>Site: {meter.site ?? 'Unassigned'}</span>}
            {stats && stats.from !== null && (
              <span>
                {formatUkDateTime(stats.from * 1000, { zone: true })} – {formatUkDateTime((stats.to ?? stats.from) * 1000, { zone: true })}
              </span>
            )}
          </div>
        </div>
        {series && series.ts.length > 0 && (
          <button type="button" className="btn" onClick={() => download(`${mpan}-half-hourly.csv`, seriesCsv(series))}>
            Download CSV
          </button>
        )}
      </header>

      {entry?.load === 'error' ? (
        <section className="card">
          <ErrorState
            title={entry.notFound ? 'Meter not found' : 'Could not load this meter'}
            message={entry.error ?? 'Unknown error'}
            onRetry={() => void fetchSeries(mpan)}
            action={
              <button type="button" className="btn btn-quiet" onClick={() => navigate(entry.notFound ? href.imports : href.meters)}>
                {entry.notFound ? 'Go to Imports' : 'Back to Sites & meters'}
              </button>
            }
          />
        </section>
      ) : !series || !stats || !option ? (
        <section className="card">
          <Skeleton rows={2} label="Loading readings" />
          <div className="chart-skeleton" aria-hidden="true" />
        </section>
      ) : (
        <>
          <dl className="kpis">
            <div className="kpi">
              <dt>Total consumption</dt>
              <dd>
                {formatKwh(stats.totalKwh, 2)} <span className="unit">kWh</span>
              </dd>
            </div>
            <div className="kpi">
              <dt>Half-hours</dt>
              <dd data-testid="point-count">{formatInt(stats.count)} half-hours</dd>
            </div>
            <div className="kpi">
              <dt>Missing</dt>
              <dd className={stats.missing > 0 ? 'warn' : ''}>{formatInt(stats.missing)}</dd>
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

          <section className="card chart-card">
            <div className="card-header">
              <h2>Half-hourly consumption</h2>
              <span className="muted small">UK local time · drag the slider or scroll on the chart to zoom{entry?.load === 'loading' ? ' · refreshing…' : ''}</span>
            </div>
            {series.ts.length === 0 ? (
              <EmptyState title="No readings for this meter yet">Import a file with half-hourly data for {mpan} to see it here.</EmptyState>
            ) : null}
            <Suspense fallback={<div className="chart-skeleton" aria-hidden="true" />}>
              <EChart
                option={option}
                className={`chart ${series.ts.length === 0 ? 'chart-empty' : ''}`}
                data-testid="meter-chart"
                data-points={series.ts.length}
                role="img"
                aria-label={`Half-hourly consumption of meter ${mpan}: ${stats.count} half-hours, ${formatKwh(stats.totalKwh, 2)} kWh in total`}
              />
            </Suspense>
          </section>
        </>
      )}
    </div>
  );
}
