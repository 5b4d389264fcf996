/** Savings: the best switching saving per meter across the portfolio, and running the analysis for every meter. */
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { Result } from '../../../src-shared/contract/api';
import type { SwitchSummary } from '../../../src-shared/contract/types';
import { ROLE_RANK } from '../../../src-shared/contract/types';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import {
  buildSavingsOption,
  namesFromSummaries,
  periodDays,
  portfolioTotals,
  savingsCsv,
  tariffIdsText,
  topSavings,
  TOP_SAVINGS,
} from './savings';
import { Page } from '../../components/Page';
import { ProgressBar } from '../../components/ProgressBar';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState, Skeleton } from '../../components/States';
import { formatAgo, formatInt, formatUkDateTime, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { formatPounds } from '../../lib/money';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import { rangeText } from './CostRange';
import { FailureGroups } from './FailureGroups';
import { bestColumns, WhatIfTag } from './SwitchPanel';
import { SUMMARY_METER_CSV, SUMMARY_PERIOD_CSV, SUMMARY_RUN_CSV } from './switch-csv';
import { exportName, poundsOf } from '../../components/table-export';
import '../../styles/costs.css';
import { QueryProblem } from '../../components/ProblemState';

interface RunState {
  running: boolean;
  done: number;
  total: number;
  meter: string | null;
  result: Result<'switching.runAll'> | null;
  error: string | null;
}

const IDLE: RunState = { running: false, done: 0, total: 0, meter: null, result: null, error: null };

export function SavingsPage() {
  useDocumentTitle('Savings');
  const role = useAppStore((s) => s.info?.role);
  const canRun = role === undefined || ROLE_RANK[role] >= ROLE_RANK.manager;
  if (!canRun) {
    return (
      <Page title="Savings" testId="savings-page">
        <section className="card">
          <EmptyState title="Cost and switching analyses are for managers">
            You are signed in as a viewer. Ask a manager or an admin to run the tariff comparisons, or to give you the
            manager role.
          </EmptyState>
        </section>
      </Page>
    );
  }
  return <Savings canRun={canRun} />;
}

function Savings({ canRun }: { canRun: boolean }) {
  const version = useDataStore((s) => s.version);
  const [rev, setRev] = useState(0);
  const portfolio = useQuery(`savings:${version}:${rev}`, () => getClient().call('switching.portfolio', {}));
  const recent = useQuery(`savings-recent:${version}:${rev}`, () =>
    getClient().call('switching.history', { limit: 15 }),
  );
  const names = useMemo(
    () => namesFromSummaries([...(portfolio.data ?? []), ...(recent.data ?? [])]),
    [portfolio.data, recent.data],
  );
  const tariffName = useCallback((id: string) => names.get(id) ?? id, [names]);
  const [run, setRun] = useState<RunState>(IDLE);
  const localRun = useRef(false);

  // Progress of a portfolio run, started here or anywhere else (another window, the CLI's server).
  useEffect(
    () =>
      getClient().onEvent('switching.progress', (p) => {
        // a run started here ends when its reply arrives (with its result); one started elsewhere, on its last event
        setRun((r) => ({
          ...r,
          running: localRun.current || !p.finished,
          done: p.done,
          total: p.total,
          meter: p.meter,
        }));
        if (p.finished) setRev((n) => n + 1);
      }),
    [],
  );

  const runAll = async () => {
    localRun.current = true;
    setRun({ ...IDLE, running: true });
    try {
      const result = await getClient().call('switching.runAll', {});
      setRun((r) => ({ ...r, running: false, done: result.meters, total: result.meters, result }));
      useAppStore.getState().toast({
        kind: result.failed.length ? 'info' : 'success',
        title: 'Portfolio analysed',
        message: `${plural(result.analysed, 'meter')} of ${formatInt(result.meters)} analysed in ${result.seconds.toFixed(1)} s.`,
      });
    } catch (e) {
      setRun((r) => ({ ...r, running: false, error: errorMessage(e) }));
    } finally {
      localRun.current = false;
      setRev((n) => n + 1);
    }
  };

  const rows = portfolio.data;
  return (
    <Page
      title="Savings"
      subtitle="The best tariff for each meter from its latest switching analysis, priced on its own half-hours. Figures in £ with VAT."
      testId="savings-page"
      actions={
        <>
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => setRev((n) => n + 1)}
            disabled={portfolio.load === 'loading'}
          >
            Refresh
          </button>
          {canRun && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void runAll()}
              disabled={run.running}
              data-testid="run-all"
            >
              {run.running ? 'Analysing…' : 'Analyse all meters'}
            </button>
          )}
        </>
      }
    >
      <RunProgress run={run} onDismiss={() => setRun(IDLE)} />

      {portfolio.load === 'error' && !rows ? (
        <section className="card">
          <QueryProblem title="Could not load the savings" q={portfolio} />
        </section>
      ) : !rows ? (
        <section className="card card-pad">
          <Skeleton rows={4} label="Loading the savings" />
        </section>
      ) : rows.length === 0 ? (
        <section className="card">
          <EmptyState
            title="No switching analyses yet"
            icon="£"
            action={
              canRun ? (
                <button type="button" className="btn btn-primary" onClick={() => void runAll()} disabled={run.running}>
                  Analyse all meters
                </button>
              ) : undefined
            }
          >
            <ol className="savings-steps">
              <li>
                <a href={href.imports}>Import half-hourly data</a> for your meters.
              </li>
              <li>
                Add the tariffs you are on and the ones you could move to on the <a href={href.tariffs}>Tariffs page</a>
                .
              </li>
              <li>
                On each meter’s page (<a href={href.meters}>Sites &amp; meters</a>), assign its tariff or set its
                supplier.
              </li>
              <li>Then analyse all meters here, or one at a time from its page.</li>
            </ol>
          </EmptyState>
        </section>
      ) : (
        <Portfolio rows={rows} tariffName={tariffName} />
      )}

      <RecentAnalyses rows={recent.data} load={recent.load} error={recent.error} tariffName={tariffName} />
    </Page>
  );
}

function RunProgress({ run, onDismiss }: { run: RunState; onDismiss: () => void }) {
  if (!run.running && !run.result && !run.error) return null;
  const pct = run.total > 0 ? (run.done / run.total) * 100 : 0;
  return (
    <section
      className="card card-pad savings-run"
      aria-live="polite"
      data-testid="run-progress"
      data-state={run.running ? 'running' : run.error ? 'failed' : 'done'}
    >
      <div className="savings-run-head">
        <span className="strong">
          {run.running ? 'Analysing every meter…' : run.error ? 'The portfolio analysis failed' : 'Portfolio analysed'}
        </span>
        <span className="muted small" data-testid="run-progress-text">
          {run.running
            ? run.total > 0
              ? `${formatInt(run.done)} of ${plural(run.total, 'meter')}${run.meter ? ` · last: ${run.meter}` : ''}`
              : 'starting…'
            : run.result
              ? `${plural(run.result.analysed, 'meter')} of ${formatInt(run.result.meters)} analysed in ${run.result.seconds.toFixed(1)} s`
              : run.error
                ? ''
                : `${formatInt(run.done)} of ${plural(run.total, 'meter')} done`}
        </span>
        {!run.running && (
          <button type="button" className="btn btn-small btn-quiet" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      <ProgressBar
        value={run.running ? pct : run.error ? pct : 100}
        label="Portfolio analysis progress"
        tone={
          run.running ? 'active' : run.error ? 'failed' : run.result && run.result.failed.length > 0 ? 'warn' : 'done'
        }
      />
      {run.error && <p className="field-error">{run.error}</p>}
      {run.result && <FailureGroups failed={run.result.failed} />}
    </section>
  );
}

function Portfolio({ rows, tariffName }: { rows: SwitchSummary[]; tariffName: (id: string) => string }) {
  const t = portfolioTotals(rows);
  const option = useMemo(() => buildSavingsOption(rows, tariffName), [rows, tariffName]);
  const top = topSavings(rows);
  const sorted = useMemo(
    () => [...rows].sort((a, b) => b.bestSavingPence - a.bestSavingPence || a.meter.localeCompare(b.meter)),
    [rows],
  );
  const columns: Column<SwitchSummary>[] = [
    {
      header: 'Meter',
      cell: (r) => (
        <>
          <a href={href.meter(r.meter)} className="mono">
            {r.meter}
          </a>
          {r.meterLabel && <div className="small">{r.meterLabel}</div>}
        </>
      ),
      csv: SUMMARY_METER_CSV,
    },
    {
      header: 'Current tariff',
      cell: (r) => tariffIdsText(r.currentTariff, tariffName),
      csv: (r) => tariffIdsText(r.currentTariff, tariffName),
    },
    {
      header: 'Current cost',
      num: true,
      cell: (r) => (
        <>
          {formatPounds(r.currentPence)}
          <div className="muted small">
            {rangeText(r.from, r.to)} ({plural(periodDays(r), 'day')})
          </div>
        </>
      ),
      csv: [{ header: 'Current cost (£)', value: (r) => poundsOf(r.currentPence) }, ...SUMMARY_PERIOD_CSV],
    },
    ...bestColumns(tariffName, 'none to compare'),
    {
      header: 'Analysed',
      className: 'small',
      cell: (r) => (
        <>
          <span title={formatUkDateTime(r.ranAt, { zone: true })}>{formatAgo(r.ranAt)}</span>
          <div className="muted">by {r.ranBy}</div>
        </>
      ),
      csv: SUMMARY_RUN_CSV,
    },
  ];
  return (
    <>
      <dl className="kpis savings-kpis" data-testid="savings-summary">
        <div className="kpi kpi-saving">
          <dt>Potential saving</dt>
          <dd data-testid="potential-saving" data-pence={t.savingPence}>
            {formatPounds(t.savingPence)}
          </dd>
          <div className="kpi-sub">over each meter’s analysed period</div>
        </div>
        <div className="kpi">
          <dt>Meters that could save</dt>
          <dd>
            {formatInt(t.withSaving)} <span className="unit">of {formatInt(t.meters)}</span>
          </dd>
          <div className="kpi-sub">
            {t.meters - t.withSaving > 0
              ? `${plural(t.meters - t.withSaving, 'meter')} already on the cheapest tariff compared`
              : 'every analysed meter has a cheaper tariff'}
          </div>
        </div>
        <div className="kpi">
          <dt>A year at that rate</dt>
          <dd>{t.yearlyPence === null ? '—' : `≈ ${formatPounds(t.yearlyPence)}`}</dd>
          <div className="kpi-sub">each saving scaled to 365 days: a rough guide, usage is seasonal</div>
        </div>
        <div className="kpi">
          <dt>Those meters cost now</dt>
          <dd>{t.withSaving > 0 ? formatPounds(t.currentPence) : '—'}</dd>
          <div className="kpi-sub">
            {t.withSaving === 0
              ? 'no meter has a cheaper tariff'
              : t.currentPence > 0
                ? `saving ${Math.round((t.savingPence / t.currentPence) * 1000) / 10} % of it`
                : 'over the same periods'}
          </div>
        </div>
      </dl>

      <div className="savings-chart" style={{ ['--bars' as string]: Math.max(top.length, 1) } as CSSProperties}>
        <ChartCard
          title={`Largest savings${top.length >= TOP_SAVINGS ? ` (top ${TOP_SAVINGS})` : ''}`}
          note="£ over each meter’s analysed period, moving to its best alternative"
          testId="savings-chart"
          points={top.length}
          option={option}
          fileBase="switching-savings"
          csv={() => savingsCsv(rows, tariffName)}
          ariaLabel={`Switching savings by meter: ${plural(top.length, 'meter')} could save ${formatPounds(t.savingPence)} in total`}
          empty={
            top.length === 0 ? (
              <EmptyState title="No meter would save by switching">
                Every meter is already on the cheapest of the tariffs compared.
              </EmptyState>
            ) : undefined
          }
        />
      </div>

      <section className="card" aria-labelledby="savings-table-title">
        <div className="card-header">
          <h2 id="savings-table-title">By meter</h2>
          <span className="muted small">Latest analysis of each meter (what-ifs left out), largest saving first</span>
        </div>
        <DataTable
          columns={columns}
          rows={sorted}
          rowKey={(r) => r.meter}
          rowProps={(r) => ({
            'data-testid': 'savings-row',
            'data-mpan': r.meter,
            'data-saving-pence': r.bestSavingPence,
          })}
          className="savings-table"
          testId="savings-table"
          exportName={exportName('switching-portfolio')}
        />
      </section>
    </>
  );
}

function RecentAnalyses({
  rows,
  load,
  error,
  tariffName,
}: {
  rows: SwitchSummary[] | null;
  load: string;
  error: string | null;
  tariffName: (id: string) => string;
}) {
  if (load === 'error' && !rows) return <p className="muted small">Could not load recent analyses: {error}</p>;
  if (!rows || rows.length === 0) return null;
  const columns: Column<SwitchSummary>[] = [
    {
      header: 'Run',
      className: 'small',
      cell: (h) => (
        <>
          <span title={formatUkDateTime(h.ranAt, { zone: true })}>{formatAgo(h.ranAt)}</span>{' '}
          <span className="muted">by {h.ranBy}</span>
          <WhatIfTag percent={h.whatIfPercent} />
        </>
      ),
      csv: SUMMARY_RUN_CSV,
    },
    {
      header: 'Meter',
      cell: (h) => (
        <>
          <a href={href.meter(h.meter)} className="mono">
            {h.meter}
          </a>
          {h.meterLabel && <span className="muted small"> {h.meterLabel}</span>}
        </>
      ),
      csv: SUMMARY_METER_CSV,
    },
    { header: 'Period', className: 'small', cell: (h) => rangeText(h.from, h.to), csv: SUMMARY_PERIOD_CSV },
    ...bestColumns(tariffName, 'none'),
  ];
  return (
    <section className="card" aria-labelledby="recent-title" data-testid="recent-analyses">
      <div className="card-header">
        <h2 id="recent-title">Recent analyses</h2>
        <span className="muted small">Every meter, newest first, what-ifs included</span>
      </div>
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(h) => h.id}
        rowProps={() => ({ 'data-testid': 'recent-row' })}
        className="table-compact"
        exportName={exportName('switching-recent')}
      />
    </section>
  );
}
