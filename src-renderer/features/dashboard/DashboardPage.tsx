import { useMemo, useState } from 'react';
import type {
  DashboardSummary,
  FuelCost,
  FuelEmissions,
  FuelTotals,
  MeterBehind,
  Mover,
  PeriodKind,
} from '../../../src-shared/contract/types';
import { isoDay, nextPeriodStart, parsePeriod } from '../../../src-shared/domain/periods';
import { tileDates } from './tile-dates';
import { ChartCard } from '../../charts/ChartCard';
import { formatCo2 } from '../carbon/carbon-charts';
import { AsAtField } from '../../components/AsAtField';
import '../../styles/latest.css';
import { buildTrendOption, trendCsv, trendData } from './trend';
import { ROLE_RANK } from '../../../src-shared/contract/types';
import { portfolioTotals, topSavings } from '../costs/savings';
import { formatPounds } from '../../lib/money';
import { useAppStore } from '../../stores/app';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, percentOf } from '../../components/table-export';
import { FUEL_NAME, FuelBadge } from '../../components/FuelBadge';
import { Page } from '../../components/Page';
import { EmptyState, Skeleton } from '../../components/States';
import { OutcomeBadge } from '../../components/StatusBadge';
import { ShareBar, Trend } from '../../components/Trend';
import {
  formatAgo,
  formatEnergy,
  formatEnergyUnit,
  formatChangePercent,
  CO2,
  formatDayRange,
  formatInt,
  formatShare,
  formatMs,
  formatPeriodLabel,
  formatSignedEnergy,
  formatUkDateTime,
  plural,
} from '../../lib/format';
import { useDocumentTitle, useNow } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href, navigate } from '../../lib/route';
import { useDataStore } from '../../stores/data';
import { RunStatusBadge, TRIGGER_TEXT } from '../activity/runs';
import { CarbonWidget } from '../carbon/CarbonWidget';
import { Energy } from '../../components/Energy';
import { QueryProblem } from '../../components/ProblemState';
import { WhereToLookCard } from '../analysis/WhereToLook';

/** Tile titles: the anchor day, and the week, month and year containing it (to date unless it is their last day). */
const TILE_TITLE: Record<PeriodKind, [whole: string, toDate: string]> = {
  day: ['Latest day', 'Latest day'],
  week: ['Week', 'Week to date'],
  month: ['Month', 'Month to date'],
  year: ['Year', 'Year to date'],
};
const AGAINST: Record<PeriodKind, string> = {
  day: 'vs the day before',
  week: 'vs last week',
  month: 'vs last month',
  year: 'vs last year',
};
const AGAINST_TO_DATE: Record<PeriodKind, string> = {
  day: 'vs the day before',
  week: 'vs the same days last week',
  month: 'vs the same days last month',
  year: 'vs the same days last year',
};
const NO_EARLIER: Record<PeriodKind, string> = {
  day: 'No readings the day before',
  week: 'No readings the week before',
  month: 'No readings the month before',
  year: 'No readings the year before',
};
const TILE_ORDER: PeriodKind[] = ['day', 'week', 'month', 'year'];

export function DashboardPage() {
  useDocumentTitle('Dashboard');
  const version = useDataStore((s) => s.version);
  const [asAt, setAsAt] = useState('');
  const q = useQuery(`dashboard:${version}:${asAt}`, () => getClient().call('dashboard.summary', asAt ? { asAt } : {}));
  const d = q.data;

  return (
    <Page
      title="Dashboard"
      subtitle={
        d ? (
          <span data-testid="dashboard-dates">
            {d.latestDay
              ? `Latest data: ${formatPeriodLabel(d.latestDay)} (the median of the meters’ latest complete days)`
              : `No complete day of data ${asAt ? `up to ${formatPeriodLabel(d.asAt)}` : 'yet'}`}{' '}
            · {plural(d.meters, 'meter')} · UK local time
          </span>
        ) : (
          'Your portfolio at a glance.'
        )
      }
      testId="dashboard"
      actions={
        <>
          <AsAtField id="dashboard-as-at" value={asAt} onChange={setAsAt} />
          <button type="button" className="btn btn-quiet" onClick={q.reload} disabled={q.load === 'loading'}>
            {q.load === 'loading' && d ? 'Refreshing…' : 'Refresh'}
          </button>
        </>
      }
    >
      {q.load === 'error' && !d ? (
        <section className="card">
          <QueryProblem title="Could not load the dashboard" q={q} />
        </section>
      ) : !d ? (
        <div className="tiles" aria-busy="true">
          {TILE_ORDER.map((k) => (
            <div key={k} className="tile">
              <Skeleton rows={3} label="Loading the dashboard" />
            </div>
          ))}
        </div>
      ) : d.meters === 0 ? (
        <>
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
              Import a half-hourly file to see the latest day, week, month and year for each fuel, with trends, costs,
              emissions and the meters that changed most.
            </EmptyState>
          </section>
          <CarbonWidget />
        </>
      ) : (
        <Dashboard d={d} asAt={asAt} />
      )}
    </Page>
  );
}

function Dashboard({ d, asAt }: { d: DashboardSummary; asAt: string }) {
  const [behindOpen, setBehindOpen] = useState(false);
  return (
    <>
      {d.fuels.map((f) => (
        <FuelTiles key={f.fuel} totals={f} asAt={d.asAt} />
      ))}
      <MonthCard d={d} asAt={asAt} />
      <WhereToLookCard asAt={asAt} />
      <TrendCard d={d} />
      <CarbonWidget />
      <div className="dash-grid">
        <MoversCard title="Biggest movers: meters" movers={d.movers.meters} kind="meter" week={d.movers.week} />
        <MoversCard title="Biggest movers: sites" movers={d.movers.sites} kind="site" week={d.movers.week} />
      </div>
      <SavingsCard />
      <div className="dash-grid dash-grid-3">
        <CompletenessCard d={d} open={behindOpen} onToggle={() => setBehindOpen((o) => !o)} />
        <LastImportCard d={d} />
        <LastRollupCard d={d} />
      </div>
      {behindOpen && d.behind.length > 0 && <BehindCard d={d} />}
    </>
  );
}

/** Completeness over the 30 days up to the anchor; opens the list of meters missing half-hours. */
function CompletenessCard({ d, open, onToggle }: { d: DashboardSummary; open: boolean; onToggle: () => void }) {
  const w = d.completenessWindow;
  return (
    <section className="card card-pad" aria-labelledby="completeness-title" data-testid="dashboard-completeness">
      <h2 id="completeness-title">Data completeness</h2>
      <p className="muted small">
        {w
          ? `Half-hours present over the 30 days ${formatDayRange(w.from, d.latestDay!)}, across all meters.`
          : 'No complete day of data to measure completeness against.'}
      </p>
      <ShareBar
        share={d.completeness30d}
        label="Data completeness, 30 days to the latest data"
        testId="completeness-30d"
      />
      {d.behind.length > 0 ? (
        <button
          type="button"
          className="btn btn-small behind-toggle"
          aria-expanded={open}
          onClick={onToggle}
          data-testid="show-behind"
          aria-controls="behind-card"
        >
          {open ? 'Hide' : 'Show'} the {plural(d.behind.length, 'meter')} missing half-hours
        </button>
      ) : (
        w && <p className="small ok-text">Every meter has every half-hour of these 30 days.</p>
      )}
    </section>
  );
}

/** The meters missing half-hours in the completeness window, longest behind first, each leading to its page. */
function BehindCard({ d }: { d: DashboardSummary }) {
  const columns: Column<MeterBehind>[] = [
    {
      header: 'Meter',
      rowHeader: true,
      cell: (m) => (
        <>
          <a href={href.meter(m.meter)} className={m.name === m.meter ? 'mono' : ''}>
            {m.name}
          </a>{' '}
          <FuelBadge fuel={m.fuel} />
        </>
      ),
      csv: [
        { header: 'MPAN / MPRN', value: (m) => m.meter },
        { header: 'Name', value: (m) => m.name },
        { header: 'Fuel', value: (m) => m.fuel },
      ],
    },
    {
      header: 'Latest complete day',
      cell: (m) => (m.lastCompleteDay ? formatPeriodLabel(m.lastCompleteDay, { short: true }) : 'None'),
      csv: (m) => m.lastCompleteDay,
      csvHeader: 'Latest complete day (UK)',
    },
    {
      header: 'Half-hours missing',
      num: true,
      cell: (m) => `${formatInt(m.missingHalfHours)} of ${formatInt(m.expectedHalfHours)}`,
      csv: [
        { header: 'Half-hours missing', value: (m) => m.missingHalfHours },
        { header: 'Half-hours expected', value: (m) => m.expectedHalfHours },
      ],
    },
    {
      header: 'Complete',
      num: true,
      cell: (m) => formatShare(1 - m.missingHalfHours / m.expectedHalfHours),
      csv: (m) => percentOf(1 - m.missingHalfHours / m.expectedHalfHours),
      csvHeader: 'Complete (%)',
    },
  ];
  const w = d.completenessWindow!;
  return (
    <section className="card" id="behind-card" aria-labelledby="behind-title" data-testid="behind-card">
      <div className="card-header">
        <h2 id="behind-title">Meters missing half-hours</h2>
        <span className="muted small">{formatDayRange(w.from, d.latestDay!)} · longest behind first</span>
      </div>
      <DataTable
        columns={columns}
        rows={d.behind}
        rowKey={(m) => m.meter}
        rowProps={(m) => ({ 'data-testid': 'behind-row', 'data-meter': m.meter })}
        className="table-compact"
        exportName={exportName('meters-missing-half-hours', d.latestDay ?? undefined)}
      />
    </section>
  );
}

/** The month of the month tiles in £ and CO2, by fuel (its own call: it prices every meter's month). */
function MonthCard({ d, asAt }: { d: DashboardSummary; asAt: string }) {
  const version = useDataStore((s) => s.version);
  const m = d.month;
  const q = useQuery(m ? `dashboard-month:${version}:${asAt}` : null, () =>
    getClient().call('dashboard.month', asAt ? { asAt } : {}),
  );
  if (!m) return null;
  const last = isoDay(parsePeriod('day', m.to)! - 1);
  const whole = nextPeriodStart('month', parsePeriod('day', m.from)!) === parsePeriod('day', m.to);
  const v = q.data;
  return (
    <section className="card card-pad" aria-labelledby="month-title" data-testid="dashboard-month">
      <div className="card-header-inline">
        <h2 id="month-title">
          {whole ? formatPeriodLabel(m.label) : formatDayRange(m.from, last)}: {v?.costs === null ? '' : 'cost and '}
          emissions
        </h2>
        <span className="muted small">
          {v?.costs === null
            ? 'Location-based: half-hourly grid intensity where stored, else the annual UK factor'
            : 'Costs on the tariffs assigned, with standing charges and VAT'}
        </span>
      </div>
      {q.load === 'error' && !v ? (
        <QueryProblem title="Could not work out the month" q={q} />
      ) : !v ? (
        <Skeleton rows={2} label="Pricing the month" />
      ) : (
        <div className="month-grid">
          {v.emissions.map((e) => (
            <MonthFuel key={e.fuel} e={e} c={v.costs?.find((x) => x.fuel === e.fuel) ?? null} />
          ))}
        </div>
      )}
    </section>
  );
}

function MonthFuel({ e, c }: { e: FuelEmissions; c: FuelCost | null }) {
  return (
    <div className="month-fuel" data-testid="month-fuel" data-fuel={e.fuel}>
      <FuelBadge fuel={e.fuel} />
      <dl className="kpis kpis-compact">
        {c && (
          <div className="kpi">
            <dt>Cost</dt>
            <dd data-testid="month-cost" data-pence={c.priced > 0 ? c.totalPence : ''}>
              {c.priced > 0 ? formatPounds(c.totalPence) : 'Not priced'}
            </dd>
            <div className="kpi-sub">
              {c.priced > 0
                ? `${plural(c.priced, 'meter')} · ${formatEnergyUnit(c.kwh)}`
                : 'No meter with readings this month has a tariff'}
            </div>
          </div>
        )}
        <div className="kpi">
          <dt>Emissions</dt>
          <dd data-testid="month-co2" data-kg={e.kgco2 ?? ''}>
            {e.kgco2 !== null ? (
              <>
                {formatCo2(e.kgco2)} <span className="unit">{CO2}</span>
              </>
            ) : (
              'Not available'
            )}
          </dd>
          <div className="kpi-sub">{emissionsBasis(e)}</div>
        </div>
      </dl>
      {c && c.unpriced.length > 0 && (
        <p className="small warn" data-testid="month-unpriced">
          {plural(c.unpriced.length, 'meter')} {c.unpriced.length === 1 ? 'has' : 'have'} no tariff for this month and{' '}
          {c.unpriced.length === 1 ? 'is' : 'are'} not included:{' '}
          {c.unpriced.slice(0, 5).map((u, i) => (
            <span key={u.meter}>
              {i > 0 ? ', ' : ''}
              <a href={href.meter(u.meter)}>{u.name}</a>
            </span>
          ))}
          {c.unpriced.length > 5 ? ` and ${c.unpriced.length - 5} more` : ''}. Assign a tariff on each meter’s page.
        </p>
      )}
    </div>
  );
}

/** How a fuel's CO2 was worked out, in words. */
function emissionsBasis(e: FuelEmissions): string {
  if (e.kgco2 === null)
    return e.fuel === 'electricity'
      ? 'No grid carbon intensity or annual factor for these dates: fetch intensity or add a factor in Carbon'
      : 'No annual factor for these dates: add one in Carbon';
  const parts = [
    e.halfHourlyMeters > 0 ? `half-hourly grid intensity for ${plural(e.halfHourlyMeters, 'meter')}` : '',
    e.annualMeters > 0 ? `annual UK factor for ${plural(e.annualMeters, 'meter')}` : '',
    e.unavailable > 0 ? `${plural(e.unavailable, 'meter')} not available` : '',
  ].filter(Boolean);
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function TrendCard({ d }: { d: DashboardSummary }) {
  const data = useMemo(() => trendData(d.trend), [d.trend]);
  const option = useMemo(() => buildTrendOption(data), [data]);
  if (!d.latestDay || d.trend.length === 0) return null;
  return (
    <ChartCard
      title="Consumption, 13 months"
      note={`Energy per month by fuel, to ${formatPeriodLabel(d.latestDay)} · gas and electricity side by side, never added · months without readings are gaps`}
      testId="dashboard-trend"
      points={data.table.periods.length}
      option={option}
      fileBase="portfolio-13-months"
      csv={() => trendCsv(data)}
      ariaLabel={`Monthly energy by fuel for the 13 months to ${formatPeriodLabel(d.latestDay)}`}
    />
  );
}

function FuelTiles({ totals, asAt }: { totals: FuelTotals; asAt: string }) {
  const byKind = new Map(totals.periods.map((p) => [p.kind, p]));
  return (
    <section
      aria-label={`${FUEL_NAME[totals.fuel]} totals`}
      className="fuel-section"
      data-testid="fuel-section"
      data-fuel={totals.fuel}
      data-latest-day={totals.latestDay ?? ''}
    >
      <div className="fuel-section-head">
        <FuelBadge fuel={totals.fuel} />
        <span className="muted small">
          {plural(totals.meters, 'meter')}
          {totals.latestDay ? ` · latest data ${formatPeriodLabel(totals.latestDay)}` : ''}
        </span>
      </div>
      {!totals.latestDay && (
        <p className="muted" data-testid="fuel-no-data">
          No {FUEL_NAME[totals.fuel].toLowerCase()} meter has a complete day of data (at least 40 half-hours) up to{' '}
          {formatPeriodLabel(asAt)}.
        </p>
      )}
      <div className="tiles">
        {TILE_ORDER.map((kind) => {
          const p = byKind.get(kind);
          if (!p) return null;
          return (
            <article
              key={kind}
              className="tile"
              data-testid="dashboard-tile"
              data-fuel={totals.fuel}
              data-kind={kind}
              data-comparable={p.comparable ? 'true' : 'false'}
              data-kwh={p.kwh}
            >
              <header className="tile-head">
                <h3>{TILE_TITLE[kind][p.toDate ? 1 : 0]}</h3>
                <span className="muted small" data-testid="tile-dates">
                  {tileDates(kind, p.label, p.toDate)}
                </span>
              </header>
              <div className="tile-value">
                <Energy kwh={p.kwh} numberClass="tile-number" />
              </div>
              {p.previousCompleteness === 0 ? (
                <span className="trend trend-none" data-trend="none">
                  {NO_EARLIER[kind]}: nothing to compare with
                </span>
              ) : (
                <Trend
                  changePercent={p.changePercent}
                  comparable={p.comparable}
                  completeness={p.completeness}
                  previousCompleteness={p.previousCompleteness}
                  against={(p.toDate ? AGAINST_TO_DATE : AGAINST)[kind]}
                />
              )}
              <div className="tile-foot muted small">
                {p.toDate && kind !== 'day' ? 'Same days before' : 'Before'}:{' '}
                {p.previousCompleteness === 0 ? 'no readings' : formatEnergyUnit(p.previousKwh)}
              </div>
            </article>
          );
        })}
      </div>
    </section>
  );
}

function MoversCard({
  title,
  movers,
  kind,
  week,
}: {
  title: string;
  movers: Mover[];
  kind: 'meter' | 'site';
  week: string | null;
}) {
  const change = (m: Mover) => (m.changeKwh > 0 ? 'change-up' : m.changeKwh < 0 ? 'change-down' : undefined);
  const columns: Column<Mover>[] = [
    {
      header: kind === 'site' ? 'Site' : 'Meter',
      className: 'mover-name',
      cell: (m) => (
        <>
          <a
            href={kind === 'site' ? href.site(Number(m.id)) : href.meter(m.id)}
            className={kind === 'meter' && m.name === m.id ? 'mono' : ''}
          >
            {m.name}
          </a>{' '}
          <FuelBadge fuel={m.fuel} />
        </>
      ),
      csv: [
        { header: kind === 'site' ? 'Site id' : 'MPAN / MPRN', value: (m) => m.id },
        { header: 'Name', value: (m) => m.name },
        { header: 'Fuel', value: (m) => m.fuel },
      ],
    },
    {
      header: 'Last week',
      num: true,
      cell: (m) => formatEnergy(m.kwh),
      csv: (m) => m.kwh,
      csvHeader: 'Last week (kWh)',
    },
    {
      header: 'Change kWh',
      num: true,
      className: change,
      cell: (m) => formatSignedEnergy(m.changeKwh),
      csv: (m) => m.changeKwh,
    },
    {
      header: 'Change',
      num: true,
      className: change,
      cell: (m) => formatChangePercent(m.changePercent),
      csv: (m) => (m.changePercent === null ? null : Math.round(m.changePercent * 10) / 10),
      csvHeader: 'Change (%)',
    },
  ];
  return (
    <section className="card" aria-label={title} data-testid={`movers-${kind}s`}>
      <div className="card-header">
        <h2>{title}</h2>
        <span className="muted small">
          {week ? `${formatPeriodLabel(week)} vs the week before` : 'Last complete week vs the week before'}
        </span>
      </div>
      <DataTable
        columns={columns}
        rows={movers.slice(0, 6)}
        rowKey={(m) => `${m.fuel}-${m.id}`}
        className="table-compact"
        exportName={exportName(`movers-${kind}s`, week ?? undefined)}
        empty={
          <EmptyState title={kind === 'site' ? 'No site movers' : 'No meter movers'}>
            {kind === 'site'
              ? 'Assign meters to sites to compare sites week on week.'
              : 'Needs two complete weeks of readings.'}
          </EmptyState>
        }
      />
    </section>
  );
}

/** Tariff savings from the latest switching analyses (managers: the analyses are theirs to see). */
function SavingsCard() {
  const role = useAppStore((s) => s.info?.role);
  if (role !== undefined && ROLE_RANK[role] < ROLE_RANK.manager) return null;
  return <SavingsSummary />;
}

function SavingsSummary() {
  const version = useDataStore((s) => s.version);
  const q = useQuery(`dashboard-savings:${version}`, () => getClient().call('switching.portfolio', {}));
  const rows = q.data ?? [];
  const totals = portfolioTotals(rows);
  const best = topSavings(rows, 1)[0];
  return (
    <section className="card card-pad" aria-labelledby="dash-savings-title" data-testid="dashboard-savings">
      <h2 id="dash-savings-title">Tariff savings</h2>
      {q.load === 'error' && !q.data ? (
        <p className="small error-message">{q.error}</p>
      ) : !q.data ? (
        <Skeleton rows={1} label="Loading tariff savings" />
      ) : rows.length === 0 ? (
        <p className="muted">
          No switching analysis yet. Assign each meter its tariff and run the analysis to see what another tariff would
          save.
        </p>
      ) : totals.withSaving === 0 ? (
        <p className="muted">
          None of the {plural(totals.meters, 'analysed meter')} has a cheaper tariff on its latest analysis.
        </p>
      ) : (
        <p>
          <span className="strong ok-text">{formatPounds(totals.savingPence)}</span> could be saved across{' '}
          {plural(totals.withSaving, 'meter')} (each over its analysed period)
          {best && (
            <span className="muted">
              {' '}
              · largest: {best.meterLabel ?? best.meter} on {best.bestTariffName ?? best.bestTariff},{' '}
              {formatPounds(best.bestSavingPence)}
            </span>
          )}
        </p>
      )}
      <a href={href.savings} className="small">
        Go to Savings →
      </a>
    </section>
  );
}

function LastImportCard({ d }: { d: DashboardSummary }) {
  const now = useNow(true, 30_000);
  const j = d.lastImport;
  return (
    <section className="card card-pad" aria-labelledby="last-import-title" data-testid="last-import">
      <h2 id="last-import-title">Last import</h2>
      {j ? (
        <>
          <div className="last-line">
            <span className="strong ellipsis" title={j.file}>
              {j.file}
            </span>
            <OutcomeBadge outcome={j.outcome} />
          </div>
          <p className="muted small">
            {formatAgo(j.finishedAt ?? j.createdAt, now)} · {formatUkDateTime(j.finishedAt ?? j.createdAt)} ·{' '}
            {plural(j.readingsImported, 'reading')}
          </p>
        </>
      ) : (
        <p className="muted">Nothing imported yet.</p>
      )}
      <a href={href.imports} className="small">
        Go to Imports →
      </a>
    </section>
  );
}

function LastRollupCard({ d }: { d: DashboardSummary }) {
  const now = useNow(true, 30_000);
  const r = d.lastAggregation;
  return (
    <section className="card card-pad" aria-labelledby="last-rollup-title" data-testid="last-rollup">
      <h2 id="last-rollup-title">Last roll-up</h2>
      {r ? (
        <>
          <div className="last-line">
            <span className="strong">{formatAgo(r.finishedAt ?? r.startedAt, now)}</span>
            <RunStatusBadge status={r.status} />
          </div>
          <p className="muted small">
            {formatUkDateTime(r.startedAt)} · took {formatMs(r.durationMs)} · {TRIGGER_TEXT[r.trigger]}
          </p>
          {r.error && <p className="small error-message">{r.error}</p>}
        </>
      ) : (
        <p className="muted">No roll-up has run yet.</p>
      )}
      <a href={href.activity} className="small">
        See all activity →
      </a>
    </section>
  );
}
