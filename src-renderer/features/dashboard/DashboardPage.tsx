import type { DashboardSummary, FuelTotals, Mover, PeriodKind } from '../../../src-shared/contract/types';
import { ROLE_RANK } from '../../../src-shared/contract/types';
import { portfolioTotals, topSavings } from '../costs/savings';
import { formatPounds } from '../../lib/money';
import { useAppStore } from '../../stores/app';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { FUEL_NAME, FuelBadge } from '../../components/FuelBadge';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Skeleton } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { ShareBar, Trend } from '../../components/Trend';
import {
  formatAgo,
  formatEnergy,
  formatEnergyUnit,
  formatChangePercent,
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

const TILE_TITLE: Record<PeriodKind, string> = {
  day: 'Yesterday',
  week: 'This week',
  month: 'This month',
  year: 'This year',
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
const TILE_ORDER: PeriodKind[] = ['day', 'week', 'month', 'year'];

export function DashboardPage() {
  useDocumentTitle('Dashboard');
  const version = useDataStore((s) => s.version);
  const q = useQuery(`dashboard:${version}`, () => getClient().call('dashboard.summary', {}));
  const d = q.data;

  return (
    <Page
      title="Dashboard"
      subtitle={
        d
          ? `Your portfolio on ${formatPeriodLabel(d.today)} · ${plural(d.meters, 'meter')} · UK local time`
          : 'Your portfolio at a glance.'
      }
      testId="dashboard"
      actions={
        <button type="button" className="btn btn-quiet" onClick={q.reload} disabled={q.load === 'loading'}>
          {q.load === 'loading' && d ? 'Refreshing…' : 'Refresh'}
        </button>
      }
    >
      {q.load === 'error' && !d ? (
        <section className="card">
          <ErrorState title="Could not load the dashboard" message={q.error ?? 'Unknown error'} onRetry={q.reload} />
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
              Import a half-hourly file to see yesterday, this week, this month and this year for each fuel, with trends
              and the meters that changed most.
            </EmptyState>
          </section>
          <CarbonWidget />
        </>
      ) : (
        <Dashboard d={d} />
      )}
    </Page>
  );
}

function Dashboard({ d }: { d: DashboardSummary }) {
  return (
    <>
      {d.fuels.map((f) => (
        <FuelTiles key={f.fuel} totals={f} />
      ))}
      <CarbonWidget />
      <div className="dash-grid">
        <MoversCard title="Biggest movers: meters" movers={d.movers.meters} kind="meter" />
        <MoversCard title="Biggest movers: sites" movers={d.movers.sites} kind="site" />
      </div>
      <SavingsCard />
      <div className="dash-grid dash-grid-3">
        <section className="card card-pad" aria-labelledby="completeness-title">
          <h2 id="completeness-title">Data completeness</h2>
          <p className="muted small">Half-hours present over the last 30 days, across all meters.</p>
          <ShareBar share={d.completeness30d} label="Data completeness, last 30 days" testId="completeness-30d" />
          {d.completeness30d !== null && d.completeness30d < 0.9 && (
            <p className="small warn">
              Some recent half-hours are missing: trends for incomplete periods are not drawn. Import the latest files
              to fill the gaps.
            </p>
          )}
        </section>
        <LastImportCard d={d} />
        <LastRollupCard d={d} />
      </div>
    </>
  );
}

function FuelTiles({ totals }: { totals: FuelTotals }) {
  const byKind = new Map(totals.periods.map((p) => [p.kind, p]));
  return (
    <section aria-label={`${FUEL_NAME[totals.fuel]} totals`} className="fuel-section">
      <div className="fuel-section-head">
        <FuelBadge fuel={totals.fuel} />
        <span className="muted small">{plural(totals.meters, 'meter')} · kWh</span>
      </div>
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
                <h3>{TILE_TITLE[kind]}</h3>
                <span className="muted small">
                  {formatPeriodLabel(p.label, { short: kind !== 'year' })}
                  {p.toDate && kind !== 'day' ? ` to ${formatPeriodLabel(p.toDate, { short: true })}` : ''}
                </span>
              </header>
              <div className="tile-value">
                <Energy kwh={p.kwh} numberClass="tile-number" />
              </div>
              <Trend
                changePercent={p.changePercent}
                comparable={p.comparable}
                completeness={Math.min(p.completeness, p.previousCompleteness)}
                against={(p.toDate ? AGAINST_TO_DATE : AGAINST)[kind]}
              />
              <div className="tile-foot muted small">
                {p.toDate && kind !== 'day' ? 'Same days before' : 'Before'}: {formatEnergyUnit(p.previousKwh)}
              </div>
            </article>
          );
        })}
      </div>
    </section>
  );
}

function MoversCard({ title, movers, kind }: { title: string; movers: Mover[]; kind: 'meter' | 'site' }) {
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
    },
    { header: 'Last week', num: true, cell: (m) => formatEnergy(m.kwh) },
    { header: 'Change kWh', num: true, className: change, cell: (m) => formatSignedEnergy(m.changeKwh) },
    { header: 'Change', num: true, className: change, cell: (m) => formatChangePercent(m.changePercent) },
  ];
  return (
    <section className="card" aria-label={title} data-testid={`movers-${kind}s`}>
      <div className="card-header">
        <h2>{title}</h2>
        <span className="muted small">Last complete week vs the week before</span>
      </div>
      <DataTable
        columns={columns}
        rows={movers.slice(0, 6)}
        rowKey={(m) => `${m.fuel}-${m.id}`}
        className="table-compact"
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
            <StatusBadge status={j.status} dryRun={j.dryRun} />
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
