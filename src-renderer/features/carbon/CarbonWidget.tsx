/** The dashboard's grid carbon card: intensity now, its band, trend, age, refresh, and the next 48 hours. */
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import type { CarbonNow } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { AppError } from '../../../src-shared/contract/errors';
import { getClient } from '../../api/instance';
import { buildForecastOption, indexColour, indexSlug } from './carbon-charts';
import { EmptyState, Skeleton } from '../../components/States';
import { CO2, formatInt, formatUkTime, plural } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { QueryProblem } from '../../components/ProblemState';

const EChart = lazy(() => import('../../charts/EChart').then((m) => ({ default: m.EChart })));

/** Older than this, the value is shown as stale (the app could not fetch a fresh one). */
export const STALE_SECONDS = 3600;

/** `Updated just now`, `Updated 12 min ago`, `Updated 3 h ago`, `Updated 2 days ago`. */
export function ageText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return 'Updated just now';
  if (s < 3600) return `Updated ${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `Updated ${Math.floor(s / 3600)} h ago`;
  const d = Math.floor(s / 86400);
  return `Updated ${plural(d, 'day')} ago`;
}

/** `3 hours`, `1 hour`, `2 days` for the offline note. */
function hoursText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  if (h < 48) return plural(h, 'hour');
  const d = Math.floor(h / 24);
  return plural(d, 'day');
}

const TREND: Record<'rising' | 'falling' | 'steady', { arrow: string; text: string }> = {
  rising: { arrow: '↑', text: 'Rising' },
  falling: { arrow: '↓', text: 'Falling' },
  steady: { arrow: '→', text: 'Steady' },
};

export function CarbonWidget() {
  const q = useQuery('carbon-current', () => getClient().call('carbon.current', {}));
  const [loadedAt, setLoadedAt] = useState<{ data: CarbonNow | null; at: number } | null>(null);
  const [refresh, setRefresh] = useState<{ busy: boolean; note: string | null; offline: boolean }>({
    busy: false,
    note: null,
    offline: false,
  });
  const now = useNow(true, 30_000);

  // Remember when this reply arrived so the age keeps counting between reloads.
  if (q.data !== undefined && q.load === 'ready' && loadedAt?.data !== q.data)
    setLoadedAt({ data: q.data, at: Date.now() });

  const doRefresh = async () => {
    setRefresh({ busy: true, note: null, offline: false });
    try {
      await getClient().call('carbon.refresh', {});
      setRefresh({ busy: false, note: null, offline: false });
    } catch (e) {
      const offline = e instanceof AppError && e.code === 'UNAVAILABLE';
      setRefresh({ busy: false, note: errorMessage(e), offline });
    }
    q.reload();
  };

  const refreshButton = (primary: boolean) => (
    <button
      type="button"
      className={`btn ${primary ? 'btn-primary' : 'btn-small'}`}
      onClick={() => void doRefresh()}
      disabled={refresh.busy}
      data-testid="carbon-refresh"
    >
      {refresh.busy ? 'Refreshing…' : primary ? 'Fetch grid carbon now' : 'Refresh'}
    </button>
  );

  const note = refresh.note && (
    <p
      className={`callout ${refresh.offline ? 'callout-info' : 'callout-warn'} small carbon-note`}
      role="status"
      data-testid="carbon-refresh-note"
    >
      {refresh.note}
    </p>
  );

  const d = q.data;
  return (
    <section
      className="card card-pad carbon-widget"
      aria-labelledby="carbon-widget-title"
      data-testid="carbon-widget"
      data-state={
        q.load === 'error' && d === null
          ? 'error'
          : d === null && q.load !== 'ready'
            ? 'loading'
            : d === null
              ? 'empty'
              : 'ready'
      }
    >
      <div className="card-header card-header-flush">
        <h2 id="carbon-widget-title">Grid carbon now</h2>
        <div className="card-header-actions">
          {d && refreshButton(false)}
          <a href={href.carbon} className="small">
            History and best times →
          </a>
        </div>
      </div>
      {q.load === 'error' && d === null ? (
        <QueryProblem title="Could not load grid carbon" q={q} />
      ) : d === null && q.load !== 'ready' ? (
        <Skeleton rows={3} label="Loading grid carbon" />
      ) : d === null ? (
        <>
          <EmptyState title="Grid carbon has not been fetched yet" icon="⌁" action={refreshButton(true)}>
            The app reads Great Britain’s grid carbon intensity from the Carbon Intensity API (National Grid ESO). Fetch
            it now to see how clean the electricity is, where it is heading, and the cleanest hours to run flexible
            loads.
          </EmptyState>
          {note}
        </>
      ) : (
        <CarbonNowView d={d} age={d.ageSeconds + Math.max(0, (now - (loadedAt?.at ?? now)) / 1000)} note={note} />
      )}
    </section>
  );
}

function CarbonNowView({ d, age, note }: { d: CarbonNow; age: number; note: ReactNode }) {
  const option = useMemo(() => buildForecastOption(d.next48h), [d.next48h]);
  const forecasts = d.next48h.filter((p) => p.forecast !== null).length;
  const stale = age > STALE_SECONDS;
  const trend = d.trend ? TREND[d.trend] : null;
  const colour = indexColour(d.index);
  return (
    <div className="carbon-now">
      <div className="carbon-now-main">
        <div className="carbon-value" data-testid="carbon-intensity" data-intensity={d.intensity ?? ''}>
          <span className="tile-number">{d.intensity === null ? '—' : formatInt(d.intensity)}</span>{' '}
          <span className="unit">g{CO2}/kWh</span>
        </div>
        <div className="carbon-meta">
          {d.index && (
            <span
              className={`carbon-band carbon-band-${indexSlug(d.index)}`}
              style={{ background: colour }}
              data-testid="carbon-index"
            >
              {d.index}
            </span>
          )}
          <span className={`badge ${d.kind === 'actual' ? 'badge-done' : 'badge-queued'}`} data-testid="carbon-kind">
            {d.kind === 'actual' ? 'Actual' : 'Forecast'}
          </span>
          {trend && (
            <span
              className={`carbon-trend carbon-trend-${d.trend}`}
              data-testid="carbon-trend"
              data-trend={d.trend ?? ''}
              title={`${trend.text} over the next hours`}
            >
              <span aria-hidden="true">{trend.arrow}</span> {trend.text}
            </span>
          )}
        </div>
        <p className="muted small" data-testid="carbon-age">
          {ageText(age)} · for the half-hour from {formatUkTime(Date.parse(d.at))} UK time
        </p>
        {stale && (
          <p className="small warn" data-testid="carbon-stale">
            Offline — showing the value from {hoursText(age)} ago. Refresh when you are back online.
          </p>
        )}
        {note}
      </div>
      <div className="carbon-forecast">
        <div className="muted small">Next 48 hours (forecast, UK local time)</div>
        {forecasts === 0 ? (
          <p className="muted small carbon-forecast-empty">
            No forecast stored for the next 48 hours. Refresh to fetch one.
          </p>
        ) : (
          <Suspense fallback={<div className="chart-skeleton chart-mini" aria-hidden="true" />}>
            <EChart
              option={option}
              className="chart chart-mini"
              data-testid="carbon-forecast-chart"
              data-points={forecasts}
              role="img"
              aria-label={`Forecast grid carbon intensity for the next 48 hours: ${forecasts} half-hours`}
            />
          </Suspense>
        )}
      </div>
    </div>
  );
}
