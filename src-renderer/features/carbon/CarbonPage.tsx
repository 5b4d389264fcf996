/**
 * Grid carbon history: the stored intensity over 7 / 30 / 90 days, its shape by UK time of day, and the best window
 * ahead.
 */
import { useMemo, useState } from 'react';
import type { CarbonHistory } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import {
  bestWindowText,
  buildHistoryOption,
  buildTimeOfDayOption,
  gText,
  historyCsv,
  timeOfDayCsv,
} from './carbon-charts';
import { Page } from '../../components/Page';
import { Segmented } from '../../components/Segmented';
import { EmptyState, Skeleton } from '../../components/States';
import { formatUkDayMonth, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href, navigate } from '../../lib/route';
import { QueryProblem } from '../../components/ProblemState';

const DAY_OPTIONS = [7, 30, 90] as const;
const WINDOW_OPTIONS = [2, 3, 4] as const;

export function CarbonPage() {
  useDocumentTitle('Carbon');
  const [days, setDays] = useState<(typeof DAY_OPTIONS)[number]>(30);
  const [hours, setHours] = useState<(typeof WINDOW_OPTIONS)[number]>(3);
  const q = useQuery(`carbon-history:${days}:${hours}`, () =>
    getClient().call('carbon.history', { days, windowHours: hours }),
  );
  const h = q.data;

  return (
    <Page
      title="Carbon"
      subtitle="Great Britain’s grid carbon intensity (gCO₂ per kWh) as stored by the app · UK local time"
      testId="carbon-page"
      actions={
        <Segmented
          options={DAY_OPTIONS.map((d) => ({ value: d, label: <>{d} days</> }))}
          value={days}
          onChange={setDays}
          label="History length"
          testId="carbon-days"
        />
      }
    >
      <BestWindow h={h} hours={hours} setHours={setHours} loading={!h && q.load !== 'error'} />

      {q.load === 'error' && !h ? (
        <section className="card">
          <QueryProblem title="Could not load the carbon history" q={q} />
        </section>
      ) : !h ? (
        <section className="card chart-card" aria-label="Carbon intensity history">
          <Skeleton rows={1} label="Loading the carbon history" />
          <div className="chart-skeleton" aria-hidden="true" />
        </section>
      ) : (
        <HistoryCharts h={h} days={days} refreshing={q.load === 'loading'} />
      )}
    </Page>
  );
}

function BestWindow({
  h,
  hours,
  setHours,
  loading,
}: {
  h: CarbonHistory | null;
  hours: number;
  setHours: (h: (typeof WINDOW_OPTIONS)[number]) => void;
  loading: boolean;
}) {
  const w = h?.bestWindow ?? null;
  return (
    <section className="card card-pad best-window" aria-labelledby="best-window-title" data-testid="best-window">
      <div className="best-window-head">
        <h2 id="best-window-title">Cleanest time ahead</h2>
        <label className="best-window-select small">
          <span className="muted">Window</span>
          <select
            className="input input-narrow"
            value={hours}
            onChange={(e) => setHours(Number(e.currentTarget.value) as (typeof WINDOW_OPTIONS)[number])}
            data-testid="best-window-hours"
          >
            {WINDOW_OPTIONS.map((o) => (
              <option key={o} value={o}>
                {o} hours
              </option>
            ))}
          </select>
        </label>
      </div>
      {loading ? (
        <Skeleton rows={1} label="Finding the best window" />
      ) : w ? (
        <p className="best-window-text" data-testid="best-window-text">
          <span className="strong">{bestWindowText(w, hours)}</span>
          <span className="muted small">
            {' '}
            · starts {formatUkDayMonth(Date.parse(w.from))}, from the stored forecast for the next 48 hours
          </span>
        </p>
      ) : (
        <p className="muted" data-testid="best-window-text">
          No forecast is stored for the next 48 hours, so there is no best window yet. Use Refresh on the{' '}
          <a href={href.dashboard}>dashboard’s grid carbon card</a> when online.
        </p>
      )}
    </section>
  );
}

function HistoryCharts({ h, days, refreshing }: { h: CarbonHistory; days: number; refreshing: boolean }) {
  const historyOption = useMemo(() => buildHistoryOption(h), [h]);
  const todOption = useMemo(() => buildTimeOfDayOption(h.byTimeOfDay), [h]);
  const values = h.points.filter((p) => p.intensity !== null).length;
  if (h.points.length === 0)
    return (
      <section className="card">
        <EmptyState
          title={`No grid carbon stored for the last ${days} days`}
          icon="⌁"
          action={
            <button type="button" className="btn btn-primary" onClick={() => navigate(href.dashboard)}>
              Go to the dashboard to refresh
            </button>
          }
        >
          The app stores intensity each time it fetches from the Carbon Intensity API: the dashboard’s Refresh fetches
          the last 24 hours and the next 48. Older history is fetched for a meter from its emissions panel.
        </EmptyState>
      </section>
    );
  const first = Date.parse(h.points[0]!.at);
  const last = Date.parse(h.points[h.points.length - 1]!.at);
  return (
    <>
      <ChartCard
        title="Carbon intensity"
        note={`${plural(values, 'half-hour')} from ${formatUkDayMonth(first)} to ${formatUkDayMonth(last)} · dashed line: average ${gText(h.average)}${refreshing ? ' · refreshing…' : ''}`}
        testId="carbon-history-chart"
        points={values}
        option={historyOption}
        fileBase={`carbon-intensity-${days}-days`}
        csv={() => historyCsv(h)}
        ariaLabel={`Grid carbon intensity over the last ${days} days, average ${gText(h.average)}`}
      />
      <ChartCard
        title="Average by time of day"
        note="UK local time · the greenest half-hour is highlighted"
        testId="carbon-time-of-day-chart"
        points={h.byTimeOfDay.length}
        option={todOption}
        fileBase={`carbon-by-time-of-day-${days}-days`}
        csv={() => timeOfDayCsv(h.byTimeOfDay)}
        ariaLabel={`Average grid carbon intensity by UK time of day over the last ${days} days`}
        empty={
          h.byTimeOfDay.length === 0 ? (
            <EmptyState title="No values to average">The stored half-hours have no intensity yet.</EmptyState>
          ) : undefined
        }
      />
    </>
  );
}
