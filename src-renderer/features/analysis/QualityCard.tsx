/**
 * Data quality over the range (`analytics.quality`): the half-hour counts, completeness per day as a
 * calendar, and the gaps, zero runs, negative readings and outliers, each a link to the half-hourly
 * chart at that time.
 */
import { useMemo, useState, type ReactNode } from 'react';
import type { MeterSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import { ShareBar } from '../../components/Trend';
import { fileSlug } from '../../lib/download';
import { formatInt, formatKwh, formatUkDateTime, plural } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { navigate } from '../../lib/route';
import { halfHourlyAtHref, halfHourlyDayHref } from '../meters/meter-view';
import { AnalysisProblem } from './AnalysisCard';
import type { DayRange } from './analysis-range';
import { buildCalendarOption, calendarGrid } from './quality-calendar';
import { halfHourText, outliersPossible, runText } from './words';

/** Items a list shows before "Show all". */
const SHOWN = 8;

export function QualityCard({ meter, range, version }: { meter: MeterSummary; range: DayRange; version: number }) {
  const q = useQuery(`aquality:${meter.mpan}:${range.from}:${range.to}:${version}`, () =>
    getClient().call('analytics.quality', { meter: meter.mpan, from: range.from, to: range.to }),
  );
  const grid = useMemo(() => (q.data ? calendarGrid(q.data.days) : null), [q.data]);
  const option = useMemo(() => (grid ? buildCalendarOption(grid) : null), [grid]);
  if (!q.data || !grid || !option)
    return <AnalysisProblem title="Data quality" q={q} testId="quality-card" siteId={meter.siteId} chart />;
  const r = q.data;
  const mpan = meter.mpan;
  const halfHourHref = (start: string) =>
    halfHourlyAtHref(mpan, start, new Date(Date.parse(start) + 1800_000).toISOString());
  return (
    <section className="card analysis-card" aria-labelledby="quality-title" data-testid="quality-card">
      <div className="card-header">
        <div className="chart-title">
          <h2 id="quality-title">Data quality</h2>
          <span className="muted small">
            Half-hours on the UK clock (46 on the spring clock change, 50 in autumn); missing = expected − present
          </span>
        </div>
      </div>
      {r.stale && (
        <div className="callout callout-warn analysis-callout" role="status" data-testid="stale-warning">
          {r.lastReading
            ? `No reading in the 14 days before the range’s end: the latest is for ${formatUkDateTime(r.lastReading, { zone: true })}. `
            : 'No reading before the range’s end. '}
          Check the meter’s data feed, or import its latest file.
        </div>
      )}
      <dl className="kpis analysis-kpis kpis-5">
        <Count label="Expected" value={r.expectedHalfHours} testId="q-expected" sub="half-hours in the range" />
        <Count label="Present" value={r.presentHalfHours} testId="q-present" sub="with a value" />
        <Count
          label="Missing"
          value={r.missingHalfHours}
          testId="q-missing"
          sub={plural(r.gaps.length, 'gap')}
          warn={r.missingHalfHours > 0}
        />
        <Count label="Estimated" value={r.estimatedHalfHours} testId="q-estimated" sub="marked estimated by the file" />
        <div className="kpi">
          <dt>Completeness</dt>
          <dd>
            <ShareBar share={r.completeness} label="Completeness" testId="q-completeness" />
          </dd>
          <div className="kpi-sub">present ÷ expected</div>
        </div>
      </dl>
      <div className="analysis-calendar">
        <ChartCard
          framed={false}
          title="Completeness per day"
          note="Each square is a UK local day, Monday at the top; click one to see its half-hours"
          testId="quality-calendar"
          points={grid.cells.length}
          option={option}
          fileBase={`data-quality-${fileSlug(mpan)}-${r.from}`}
          csv={() => ({
            header: ['day', 'expected', 'present', 'estimated'],
            rows: r.days.map((d) => [d.date, d.expected, d.present, d.estimated]),
          })}
          ariaLabel={`Completeness per day of meter ${mpan}: ${plural(grid.cells.length, 'day')}`}
          onItemClick={(i) => {
            const c = grid.cells[i];
            if (c) navigate(halfHourlyDayHref(mpan, c.date));
          }}
        />
      </div>
      <div className="quality-lists">
        <IssueList
          title="Gaps"
          what="runs of missing half-hours"
          testId="q-gaps"
          items={r.gaps.map((g) => ({ key: g.from, href: halfHourlyAtHref(mpan, g.from, g.to), text: runText(g) }))}
        />
        <IssueList
          title="Zero runs"
          what={`${r.zeroRunMin} or more half-hours in a row at 0 kWh`}
          testId="q-zero-runs"
          items={r.zeroRuns.map((z) => ({ key: z.from, href: halfHourlyAtHref(mpan, z.from, z.to), text: runText(z) }))}
        />
        <IssueList
          title="Negative readings"
          what="half-hours below 0 kWh"
          testId="q-negatives"
          items={r.negatives.map((n) => ({
            key: n.start,
            href: halfHourHref(n.start),
            text: `${halfHourText(n.start)}: ${formatKwh(n.kwh, 3)} kWh`,
          }))}
        />
        <IssueList
          title="Outliers"
          what="more than 3 standard deviations from the same weekday and half-hour"
          testId="q-outliers"
          none={
            outliersPossible(r.days.length)
              ? 'None in this range.'
              : 'None can stand out in under 11 weeks: a half-hour needs at least 11 values of its weekday and time to be 3 standard deviations away. Choose a longer period to look for outliers.'
          }
          items={r.outliers.map((o) => ({
            key: o.start,
            href: halfHourHref(o.start),
            text: `${halfHourText(o.start)}: ${formatKwh(o.kwh, 3)} kWh (${o.zscore > 0 ? 'high' : 'low'}, z = ${formatKwh(o.zscore, 1)})`,
          }))}
        />
      </div>
    </section>
  );
}

function Count({
  label,
  value,
  sub,
  testId,
  warn = false,
}: {
  label: string;
  value: number;
  sub: ReactNode;
  testId: string;
  warn?: boolean;
}) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd className={warn ? 'warn' : ''} data-testid={testId} data-value={value}>
        {formatInt(value)}
      </dd>
      <div className="kpi-sub">{sub}</div>
    </div>
  );
}

function IssueList({
  title,
  what,
  items,
  testId,
  none = 'None in this range.',
}: {
  title: string;
  what: string;
  items: { key: string; href: string; text: string }[];
  testId: string;
  /** What to say when there are none. */
  none?: string;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, SHOWN);
  return (
    <div className="issue-list" data-testid={testId} data-count={items.length}>
      <h3>
        {title} <span className="count">{formatInt(items.length)}</span>
      </h3>
      <p className="muted small">{what}</p>
      {items.length === 0 ? (
        <p className="muted small issue-none">{none}</p>
      ) : (
        <ul>
          {shown.map((i) => (
            <li key={i.key}>
              <a href={i.href} data-testid="issue-link">
                {i.text}
              </a>
            </li>
          ))}
        </ul>
      )}
      {items.length > SHOWN && (
        <button type="button" className="btn btn-link btn-small" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${formatInt(items.length)}`}
        </button>
      )}
    </div>
  );
}
