/**
 * Switching analysis for one meter: every other tariff priced on the same half-hours and ranked by
 * saving, a load-shifting what-if, and how the best saving has moved over past analyses.
 */
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import type { MeterSummary, SwitchAnalysis, SwitchSummary } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import { costNotes, tariffSequence } from './cost-bands';
import { buildSavingHistoryOption, savingHistory, savingHistoryCsv } from './saving-history';
import { TableScroll } from '../../components/TableScroll';
import { ExportBar } from '../../components/ExportCsv';
import { exportName, poundsOf } from '../../components/table-export';
import { ALTERNATIVE_CSV, ranked, SUMMARY_PERIOD_CSV, SUMMARY_RUN_CSV } from './switch-csv';
import { DataTable, type Column } from '../../components/DataTable';
import { ProblemState } from '../../components/ProblemState';
import { EmptyState, Spinner } from '../../components/States';
import { fileSlug } from '../../lib/download';
import { formatAgo, formatEnergyUnit, formatKwh, formatUkDateTime, plural } from '../../lib/format';
import { formatPounds, formatSaving, formatSavingPercent, formatSavingSize, savingTone } from '../../lib/money';
import { useQuery } from '../../lib/query';
import { CostBreakdown, CostWarnings } from './CostBreakdown';
import { rangeDays, rangeText, type CostRange } from './CostRange';
import '../../styles/costs.css';

type Scope = 'days' | 'range';

/** A saving in £ and %, green when cheaper, red when dearer. */
export function SavingCell({ pence, percent }: { pence: number; percent?: number | null }) {
  const tone = savingTone(pence);
  return (
    <span className={`saving-${tone}`} data-testid="saving" data-pence={pence}>
      {formatSaving(pence, { capital: true })}
      {percent !== undefined && tone !== 'even' && (
        <span className="saving-percent"> ({formatSavingSize(percent)})</span>
      )}
    </span>
  );
}

/** "what-if 20 %" beside an analysis that moved use between bands; nothing for a plain one. */
export function WhatIfTag({ percent }: { percent: number | null }) {
  return percent !== null && <span className="tag tag-dry cost-tag">what-if {percent} %</span>;
}

/** An analysis' best alternative and its saving, as two columns of a list of analyses. */
export function bestColumns(tariffName: (id: string) => string, none: string): Column<SwitchSummary>[] {
  return [
    {
      header: 'Best alternative',
      cell: (h) => (h.bestTariff ? tariffName(h.bestTariff) : <span className="muted">{none}</span>),
      csv: (h) => (h.bestTariff ? tariffName(h.bestTariff) : null),
    },
    {
      header: 'Saving',
      num: true,
      cell: (h) => (h.bestTariff ? <SavingCell pence={h.bestSavingPence} percent={h.bestSavingPercent} /> : '—'),
      csv: [
        { header: 'Saving (£)', value: (h) => (h.bestTariff ? poundsOf(h.bestSavingPence) : null) },
        { header: 'Saving (%)', value: (h) => (h.bestTariff ? h.bestSavingPercent : null) },
      ],
    },
  ];
}

export function SwitchPanel({
  meter,
  range,
  rev,
  tariffName,
}: {
  meter: MeterSummary;
  range: CostRange;
  rev: string;
  tariffName: (id: string) => string;
}) {
  const [scope, setScope] = useState<Scope>('days');
  const [percent, setPercent] = useState(20);
  const [analysis, setAnalysis] = useState<SwitchAnalysis | null>(null);
  const [source, setSource] = useState<'run' | 'saved'>('run');
  const [running, setRunning] = useState<'analyse' | 'what-if' | 'open' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [histRev, setHistRev] = useState(0);
  const resultRef = useRef<HTMLDivElement | null>(null);
  const history = useQuery(`switch-history:${meter.mpan}:${histRev}`, () =>
    getClient().call('switching.history', { meter: meter.mpan, limit: 200 }),
  );
  const autoOpened = useRef(false);
  const revRef = useRef(rev);
  revRef.current = rev;
  const [analysisRev, setAnalysisRev] = useState(rev);

  const run = async (whatIf: boolean) => {
    setRunning(whatIf ? 'what-if' : 'analyse');
    setError(null);
    try {
      const a = await getClient().call('switching.analyse', {
        meter: meter.mpan,
        ...(scope === 'range' ? { from: range.from, to: range.to } : { days: 90 }),
        ...(whatIf ? { whatIfPercent: percent } : {}),
      });
      setAnalysis(a);
      setAnalysisRev(revRef.current);
      setSource('run');
      setHistRev((n) => n + 1);
    } catch (e) {
      setError(e instanceof AppError ? e : new AppError('INTERNAL', errorMessage(e)));
    } finally {
      setRunning(null);
    }
  };

  const open = async (id: number, scroll = true) => {
    setRunning('open');
    setError(null);
    try {
      const a = await getClient().call('switching.get', { id });
      setAnalysis(a);
      setSource('saved');
      if (scroll) resultRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    } catch (e) {
      setError(e instanceof AppError ? e : new AppError('INTERNAL', errorMessage(e)));
    } finally {
      setRunning(null);
    }
  };

  // Opening the page shows the latest saved analysis (not a what-if), if there is one.
  const latestReal = history.data ? savingHistory(history.data).at(-1) : undefined;
  useEffect(() => {
    if (autoOpened.current || !latestReal || analysis) return;
    autoOpened.current = true;
    void open(latestReal.id, false);
  }, [latestReal?.id]);

  // A tariff change on the meter after a run makes its result stale: say so rather than hide it.
  const stale = analysis !== null && source === 'run' && analysisRev !== rev;

  return (
    <section className="card cost-card" aria-labelledby="switch-title" data-testid="switch-panel">
      <div className="card-header">
        <h3 id="switch-title">Switching analysis</h3>
        <span className="muted small">
          Every other {meter.fuel} tariff on sale, priced on this meter’s own half-hours
        </span>
      </div>
      <div className="switch-controls">
        <fieldset className="switch-scope">
          <legend className="sr-only">Period to analyse</legend>
          <label className="radio-row">
            <input type="radio" name="switch-scope" checked={scope === 'days'} onChange={() => setScope('days')} /> Last
            90 days of data
          </label>
          <label className="radio-row">
            <input type="radio" name="switch-scope" checked={scope === 'range'} onChange={() => setScope('range')} />{' '}
            The cost period above ({rangeText(range.from, range.to)}, {plural(rangeDays(range.from, range.to), 'day')})
          </label>
        </fieldset>
        <button
          type="button"
          className="btn btn-primary"
          disabled={running !== null}
          onClick={() => void run(false)}
          data-testid="switch-run"
        >
          {running === 'analyse' ? 'Analysing…' : 'Run switching analysis'}
        </button>
      </div>
      <div className="switch-whatif" data-testid="whatif">
        <label htmlFor="whatif-percent" className="switch-whatif-label">
          What if: move
        </label>
        <input
          id="whatif-range"
          type="range"
          min={0}
          max={100}
          step={5}
          value={percent}
          onChange={(e) => setPercent(Number(e.currentTarget.value))}
          aria-label="Share of use to move (slider)"
        />
        <input
          id="whatif-percent"
          type="number"
          min={0}
          max={100}
          step={1}
          className="input input-narrow whatif-number"
          value={percent}
          onChange={(e) => {
            const v = Number(e.currentTarget.value);
            if (Number.isFinite(v)) setPercent(Math.max(0, Math.min(100, v)));
          }}
          aria-label="Share of use to move, percent"
        />
        <span>% of use from the most expensive band to the cheapest</span>
        <button
          type="button"
          className="btn"
          disabled={running !== null || percent <= 0}
          onClick={() => void run(true)}
          data-testid="whatif-run"
        >
          {running === 'what-if' ? 'Working out…' : 'Show the what-if'}
        </button>
      </div>
      <div ref={resultRef} className="switch-result-anchor">
        {error && (
          <div className="card-pad">
            <ProblemState
              title="The analysis could not run"
              code={error.code}
              message={error.message}
              details={error.details}
            />
          </div>
        )}
        {running !== null && !analysis && (
          <div className="card-pad">
            <Spinner
              label={
                running === 'open' ? 'Opening the saved analysis…' : 'Pricing every tariff on this meter’s half-hours…'
              }
            />
          </div>
        )}
        {!analysis && running === null && !error && history.data && savingHistory(history.data).length === 0 && (
          <EmptyState title="Not analysed yet">
            Run the analysis to see what every other tariff would have cost on this meter’s half-hours, best first.
          </EmptyState>
        )}
        {analysis && (
          <AnalysisView a={analysis} source={source} stale={stale} busy={running !== null} tariffName={tariffName} />
        )}
      </div>
      <SwitchHistory
        meter={meter}
        history={history.data}
        load={history.load}
        error={history.error}
        onOpen={(id) => void open(id)}
        openId={analysis?.id ?? null}
        tariffName={tariffName}
      />
    </section>
  );
}

function AnalysisView({
  a,
  source,
  stale,
  busy,
  tariffName,
}: {
  a: SwitchAnalysis;
  source: 'run' | 'saved';
  stale: boolean;
  busy: boolean;
  tariffName: (id: string) => string;
}) {
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const toggle = (k: string) => setOpen((o) => ({ ...o, [k]: !o[k] }));
  const cur = a.current;
  const best = a.alternatives[0];
  const requested = a.inputs.whatIfPercent;
  const lastTariff = cur.periods[cur.periods.length - 1]?.tariff;
  const currentName = lastTariff ? tariffName(lastTariff) : cur.tariffName;
  const changed = new Set(cur.periods.map((p) => p.tariff)).size > 1;
  const shownNotes = costNotes(cur).items;
  return (
    <div
      className={`switch-result ${busy ? 'is-refreshing' : ''}`}
      data-testid="switch-result"
      data-analysis-id={a.id}
      data-whatif={a.whatIf ? a.whatIf.percent : ''}
    >
      <div className="switch-meta muted small">
        {source === 'saved' ? 'Saved analysis' : 'Analysis'} of {rangeText(a.from, a.to)} (
        {plural(rangeDays(a.from, a.to), 'day')}) · run {formatUkDateTime(a.ranAt)} by {a.ranBy}
        {stale && <span className="warn"> · the meter’s tariffs have changed since: run it again</span>}
      </div>
      <p className="callout callout-info switch-warning" data-testid="switch-warning">
        {a.warning}
      </p>
      {a.whatIf && (
        <div className="callout callout-warn switch-whatif-result" data-testid="whatif-result">
          <strong>What-if: {a.whatIf.percent} % of use moved</strong> from <b>{a.whatIf.fromBand}</b> to{' '}
          <b>{a.whatIf.toBand}</b> ({formatKwh(a.whatIf.movedKwh, 1)} kWh moved, bands of{' '}
          {tariffName(a.whatIf.referenceTariff)}). Every figure below, the current tariff’s included, assumes this
          shift.
        </div>
      )}
      {requested !== null && requested > 0 && !a.whatIf && (
        <div className="callout callout-warn">
          The what-if could not move any use: no tariff with two or more unit rates (time of use) was found.
        </div>
      )}

      <div
        className="switch-current"
        data-testid="switch-current"
        data-basis={cur.basis}
        data-total-pence={cur.totalPence}
      >
        <div>
          <div className="field-label">Current tariff</div>
          <div className="switch-current-name">{currentName}</div>
          <div className={cur.basis === 'supplier-default' ? 'warn small' : 'muted small'} data-testid="switch-basis">
            {cur.basis === 'supplier-default'
              ? 'No tariff is assigned to this meter, so it was priced on its supplier’s default tariff. Assign the tariff on the bill for a true comparison.'
              : 'As assigned to this meter'}
          </div>
          {changed && (
            <div className="muted small">Cost as billed over the period: {tariffSequence(cur.periods, tariffName)}</div>
          )}
        </div>
        <div className="num">
          <div className="field-label">Cost over the period</div>
          <div className="switch-current-total">{formatPounds(cur.totalPence)}</div>
          <div className="muted small">{formatEnergyUnit(cur.kwh)}, VAT included</div>
        </div>
        <div className="num">
          <div className="field-label">Best alternative</div>
          {best ? (
            <>
              <div className="switch-current-name">{best.name}</div>
              <SavingCell pence={best.savingPence} percent={best.savingPercent} />
            </>
          ) : (
            <div className="muted">none to compare</div>
          )}
        </div>
        <button
          type="button"
          className="btn btn-small btn-quiet switch-current-toggle"
          aria-expanded={!!open.current}
          onClick={() => toggle('current')}
        >
          {open.current ? 'Hide breakdown' : 'Breakdown'}
        </button>
      </div>
      <CostWarnings cost={cur} testId="switch-cost-warnings" />
      {open.current && (
        <div className="switch-expanded">
          <CostBreakdown cost={cur} tariffName={tariffName} testId="current-breakdown" showWarnings={false} />
        </div>
      )}

      {a.alternatives.length === 0 ? (
        <EmptyState title="No other tariff to compare">
          Add tariffs for this fuel on the Tariffs page, then run the analysis again.
        </EmptyState>
      ) : (
        <>
          <ExportBar name={exportName('switching', a.meter)} columns={ALTERNATIVE_CSV} rows={ranked(a.alternatives)} />
          <TableScroll>
            <table className="table table-compact alternatives-table" data-testid="alternatives">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Rank
                  </th>
                  <th scope="col">Tariff</th>
                  <th scope="col">Supplier</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num">
                    Saving
                  </th>
                  <th scope="col" className="num">
                    %
                  </th>
                  <th scope="col">
                    <span className="sr-only">Breakdown</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {a.alternatives.map((alt, i) => {
                  const tone = savingTone(alt.savingPence);
                  return (
                    <Fragment key={alt.tariff}>
                      <tr
                        className={`alt-row alt-${tone}`}
                        data-testid="alternative-row"
                        data-tariff={alt.tariff}
                        data-saving-pence={alt.savingPence}
                      >
                        <td className="num">{i + 1}</td>
                        <td>
                          <span className="strong">{alt.name}</span>{' '}
                          <span className="muted small mono">{alt.tariff}</span>
                        </td>
                        <td>{alt.supplier}</td>
                        <td className="num">{formatPounds(alt.totalPence)}</td>
                        <td className="num">
                          <SavingCell pence={alt.savingPence} />
                        </td>
                        <td className={`num saving-${tone}`}>{formatSavingPercent(alt.savingPercent)}</td>
                        <td className="num">
                          <button
                            type="button"
                            className="btn btn-small btn-quiet"
                            aria-expanded={!!open[alt.tariff]}
                            onClick={() => toggle(alt.tariff)}
                            aria-label={`${open[alt.tariff] ? 'Hide' : 'Show'} the breakdown of ${alt.name}`}
                          >
                            {open[alt.tariff] ? 'Hide' : 'Breakdown'}{' '}
                            <span className={`chevron ${open[alt.tariff] ? 'open' : ''}`} aria-hidden="true">
                              ▸
                            </span>
                          </button>
                        </td>
                      </tr>
                      {open[alt.tariff] && (
                        <tr className="alt-expanded">
                          <td colSpan={7}>
                            <CostBreakdown
                              cost={alt.cost}
                              tariffName={tariffName}
                              testId="alternative-breakdown"
                              alreadySaid={shownNotes}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
      {a.skipped.length > 0 && (
        <details className="switch-skipped" data-testid="skipped">
          <summary>
            {a.skipped.length} {a.skipped.length === 1 ? 'tariff was' : 'tariffs were'} not compared
          </summary>
          <ul>
            {a.skipped.map((s) => (
              <li key={s.tariff}>
                <span className="strong">{tariffName(s.tariff)}</span>{' '}
                <span className="muted small mono">{s.tariff}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function SwitchHistory({
  meter,
  history,
  load,
  error,
  onOpen,
  openId,
  tariffName,
}: {
  meter: MeterSummary;
  history: SwitchSummary[] | null;
  load: string;
  error: string | null;
  onOpen: (id: number) => void;
  openId: number | null;
  tariffName: (id: string) => string;
}) {
  const real = useMemo(() => (history ? savingHistory(history) : []), [history]);
  const option = useMemo(() => buildSavingHistoryOption(history ?? [], tariffName), [history, tariffName]);
  if (load === 'error' && !history)
    return <div className="card-pad muted small">Could not load past analyses: {error}</div>;
  if (!history || history.length === 0) return null;
  const columns: Column<SwitchSummary>[] = [
    {
      header: 'Run',
      cell: (h) => (
        <>
          <button
            type="button"
            className="btn btn-link"
            onClick={() => onOpen(h.id)}
            title={formatUkDateTime(h.ranAt, { zone: true })}
            aria-label={`Open the analysis run ${formatUkDateTime(h.ranAt)}${h.whatIfPercent !== null ? `, what-if ${h.whatIfPercent} %` : ''}`}
          >
            {formatAgo(h.ranAt)}
          </button>
          <WhatIfTag percent={h.whatIfPercent} />
        </>
      ),
      csv: SUMMARY_RUN_CSV,
    },
    {
      header: 'Period',
      className: 'small nowrap',
      cell: (h) => rangeText(h.from, h.to),
      csv: SUMMARY_PERIOD_CSV,
    },
    ...bestColumns(tariffName, 'none'),
  ];
  return (
    <div className="switch-history" data-testid="switch-history">
      <ChartCard
        framed={false}
        title="Best saving over time"
        note={`${plural(real.length, 'analysis', 'analyses')} (what-ifs left out) · £ over each analysis’ period`}
        testId="saving-history-chart"
        points={real.length}
        option={option}
        fileBase={`saving-history-${fileSlug(meter.mpan)}`}
        csv={() => savingHistoryCsv(history)}
        ariaLabel={`Best switching saving of meter ${meter.mpan} over ${real.length} analyses`}
      />
      <div className="switch-history-list">
        <h4>
          Past analyses <span className="muted small">· click one to show it above</span>
        </h4>
        <DataTable
          columns={columns}
          rows={history.slice(0, 8)}
          rowKey={(h) => h.id}
          rowProps={(h) => ({
            className: openId === h.id ? 'row-selected' : '',
            'data-testid': 'switch-history-row',
            'data-id': h.id,
            'aria-current': openId === h.id ? 'true' : undefined,
          })}
          className="table-compact"
          testId="switch-history-list"
          exportName={exportName('switching-history', meter.mpan)}
        />
        {history.length > 8 && <p className="muted small">Showing the 8 most recent of {history.length}.</p>}
      </div>
    </div>
  );
}
