/**
 * The weather baseline (`analytics.cusum`, whose model is fitted over the baseline period): the
 * regression scatter with its statistics and flags in words, and the CUSUM over the reporting period
 * with the energy, £ and CO₂ avoided. The baseline period can be moved; the reporting period is the
 * rest of the range after it.
 */
import { useMemo, useState } from 'react';
import type { BaselineResult, BaselineStats, CusumResult, MeterSummary } from '../../../src-shared/contract/types';
import { MAX_ABS_NMBE, MAX_CVRMSE, MIN_R2, MIN_SUFFICIENT_DAYS } from '../../../src-shared/domain/baseline';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import { DateRangeForm, dayBefore } from '../../components/DateRangeForm';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { fileSlug } from '../../lib/download';
import { CO2, formatDay, formatDayRangeUntil, formatKwh, formatSignedEnergyUnit, plural } from '../../lib/format';
import { formatPounds } from '../../lib/money';
import { sentence } from '../../lib/problems';
import { useQuery } from '../../lib/query';
import { SiteLink, inWords } from './AnalysisCard';
import { baselineProblem, rangeDays, reportingPeriod, type DayRange } from './analysis-range';
import { buildCusumOption, buildScatterOption, cusumCsv, scatterCsv } from './baseline-charts';
import { formatKw } from './words';

/** A figure's minus as a typographic minus sign. */
const signed = (text: string): string => text.replace('-', '\u2212');
const percent = (share: number, digits = 1): string => `${signed(formatKwh(share * 100, digits))} %`;

export function WeatherCard({
  meter,
  range,
  baseline,
  baselineChosen,
  onBaseline,
  version,
}: {
  meter: MeterSummary;
  range: DayRange;
  baseline: DayRange;
  baselineChosen: boolean;
  onBaseline: (b: DayRange | null) => void;
  version: number;
}) {
  const reporting = reportingPeriod(baseline, range);
  const lastDay = formatDay(dayBefore(range.to));
  const problem = baselineProblem(baseline, range, lastDay);
  const [split, setSplit] = useState(false);
  const q = useQuery(
    problem
      ? null
      : `cusum:${meter.mpan}:${baseline.from}:${baseline.to}:${reporting.from}:${reporting.to}:${split}:${version}`,
    () =>
      getClient().call('analytics.cusum', {
        meter: meter.mpan,
        from: reporting.from,
        to: reporting.to,
        baselineFrom: baseline.from,
        baselineTo: baseline.to,
        ...(split ? { splitOpenClosed: true } : {}),
      }),
  );

  return (
    <section
      className="card analysis-card"
      aria-labelledby="weather-title"
      data-testid="weather-card"
      data-state={problem ? 'problem' : q.load}
    >
      <div className="card-header">
        <div className="chart-title">
          <h2 id="weather-title">Weather baseline</h2>
          <span className="muted small">
            Daily use against heating degree days (how far each day’s mean temperature was below a base temperature)
            over a baseline period, then the running total of actual − expected use after it
          </span>
        </div>
        {meter.siteId !== null && <SiteLink siteId={meter.siteId}>Site’s location and weather</SiteLink>}
      </div>
      <div className="card-pad baseline-period">
        <p data-testid="baseline-period" data-from={baseline.from} data-to={baseline.to}>
          <span className="strong">Baseline period:</span> {formatDayRangeUntil(baseline.from, baseline.to)} (
          {plural(rangeDays(baseline), 'day')}
          {baselineChosen
            ? ', of your choosing'
            : ', by default the first 12 months of data, or the range’s first half'}
          ). <span className="strong">Reporting period:</span>{' '}
          {rangeDays(reporting) > 0 ? formatDayRangeUntil(reporting.from, reporting.to) : 'none'} (the rest, up to{' '}
          {lastDay}).
        </p>
        <div className="baseline-form">
          <DateRangeForm
            key={`${baseline.from}:${baseline.to}`}
            idPrefix="baseline"
            initial={baseline}
            label="Move the baseline period (UK days, both included):"
            submitLabel="Use as baseline"
            check={(b) => baselineProblem(b, range, lastDay)}
            onApply={onBaseline}
          />
          {baselineChosen && (
            <button type="button" className="btn btn-small" onClick={() => onBaseline(null)}>
              Back to the default baseline
            </button>
          )}
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={split}
            onChange={(e) => setSplit(e.currentTarget.checked)}
            data-testid="baseline-split"
          />
          A model each for open days and for weekends and holidays (each needs at least 10 days)
        </label>
      </div>
      {problem ? (
        <div className="callout callout-warn analysis-callout" role="alert" data-testid="baseline-problem">
          {problem} Choose another baseline period above.
        </div>
      ) : q.load === 'error' ? (
        <QueryProblem
          title="No weather baseline for this meter"
          q={inWords(q)}
          action={meter.siteId !== null ? <SiteLink siteId={meter.siteId}>Open the site’s page</SiteLink> : undefined}
        />
      ) : !q.data ? (
        <div className="card-pad">
          <Skeleton rows={3} label="Fitting the weather baseline" />
          <div className="chart-skeleton" aria-hidden="true" />
        </div>
      ) : (
        <WeatherBody c={q.data} mpan={meter.mpan} />
      )}
    </section>
  );
}

function WeatherBody({ c, mpan }: { c: CusumResult; mpan: string }) {
  const m = c.model;
  const scatter = useMemo(() => buildScatterOption(m), [m]);
  const cusum = useMemo(() => buildCusumOption(c), [c]);
  return (
    <>
      <div className="baseline-grid">
        <ChartCard
          framed={false}
          title="Daily use against degree days"
          note={`Baseline days; line: the fitted model${m.coolingSlope !== null ? ' (its heating part)' : ''}`}
          testId="baseline-scatter"
          points={m.points.length}
          option={scatter}
          fileBase={`baseline-${fileSlug(mpan)}-${m.from}`}
          csv={() => scatterCsv(m)}
          ariaLabel={`Daily kWh of meter ${mpan} against heating degree days, ${plural(m.points.length, 'day')}, with the fitted line`}
          empty={
            m.points.length === 0 ? (
              <EmptyState title="No baseline days with weather">Import or fetch the site’s weather.</EmptyState>
            ) : undefined
          }
        />
        <ModelStats m={m} />
      </div>
      <dl className="kpis analysis-kpis">
        <div className="kpi">
          <dt>Energy avoided</dt>
          <dd data-testid="avoided-kwh" data-value={c.avoidedKwh}>
            {formatSignedEnergyUnit(c.avoidedKwh)}
          </dd>
          <div className="kpi-sub">
            expected − actual over {plural(c.days.length, 'day')}
            {c.avoidedKwh < 0 ? ': more used than the weather explains' : ''}
          </div>
        </div>
        <div className="kpi">
          <dt>Cost avoided</dt>
          <dd data-testid="avoided-cost">{c.avoidedPence !== null ? formatPounds(c.avoidedPence) : '—'}</dd>
          <div className="kpi-sub">
            {c.avoidedPence !== null
              ? 'at the meter’s average variable rate over the reporting period'
              : 'no tariff for the reporting period'}
          </div>
        </div>
        <div className="kpi">
          <dt>{CO2} avoided</dt>
          <dd data-testid="avoided-co2">
            {c.avoidedKgCo2 !== null ? (
              <>
                {signed(formatKwh(c.avoidedKgCo2, Math.abs(c.avoidedKgCo2) >= 100 ? 0 : 1))}{' '}
                <span className="unit">kg</span>
              </>
            ) : (
              '—'
            )}
          </dd>
          <div className="kpi-sub">
            {c.avoidedKgCo2 !== null
              ? 'at the UK Government’s annual factor (kgCO₂e)'
              : 'no emission factor for the period’s year'}
          </div>
        </div>
        <div className="kpi">
          <dt>Days left out</dt>
          <dd data-testid="cusum-skipped">{plural(c.skippedDays, 'day')}</dd>
          <div className="kpi-sub">reporting days with a half-hour missing, or without weather</div>
        </div>
      </dl>
      <ChartCard
        framed={false}
        title="Cumulative difference from the baseline (CUSUM)"
        note="Running total of actual − expected kWh per day: falling means less energy than the weather predicts (a saving), rising means more"
        testId="cusum-chart"
        points={c.days.length}
        option={cusum}
        fileBase={`cusum-${fileSlug(mpan)}-${c.from}`}
        csv={() => cusumCsv(c)}
        ariaLabel={`CUSUM of meter ${mpan} over ${plural(c.days.length, 'day')}: ${formatSignedEnergyUnit(-c.avoidedKwh)} against the baseline`}
        empty={
          c.days.length === 0 ? (
            <EmptyState title="No reporting days to compare">
              Every day after the baseline period has a half-hour missing or no weather.
            </EmptyState>
          ) : undefined
        }
      />
    </>
  );
}

/** `Tb` in words: its value and where it came from, or that there is none. */
function baseText(stats: BaselineStats, fixedBase: boolean): string {
  if (stats.baseTemperature === null) return 'none: no base temperature gave days with degree days';
  return `${formatKwh(stats.baseTemperature, 1)} °C ${fixedBase ? '(the imported degree days’ base)' : '(the best of 10–20 °C)'}`;
}

/** One model's formula and terms. */
function ModelTerms({ name, stats, fixedBase }: { name: string | null; stats: BaselineStats; fixedBase: boolean }) {
  return (
    <>
      <p className="model-formula">
        {name && <span className="muted">{name}: </span>}
        kWh per day = <span data-testid="stat-a">{formatKwh(stats.intercept, 1)}</span>
        {stats.baseTemperature !== null && (
          <>
            {' '}
            + <span data-testid="stat-b">{formatKwh(stats.slope, 2)}</span> × HDD
          </>
        )}
      </p>
      <dl className="model-table">
        <dt>a, use on a mild day</dt>
        <dd>
          {formatKwh(stats.intercept, 1)} kWh ({formatKw(stats.intercept / 24)} on average)
        </dd>
        <dt>b, per degree day</dt>
        <dd>{stats.baseTemperature !== null ? `${formatKwh(stats.slope, 2)} kWh` : '—'}</dd>
        <dt>Tb, base temperature</dt>
        <dd data-testid="stat-tb">{baseText(stats, fixedBase)}</dd>
      </dl>
    </>
  );
}

function ModelStats({ m }: { m: BaselineResult }) {
  return (
    <div className="model-stats" data-testid="baseline-stats">
      {m.split ? (
        <>
          <ModelTerms name="Open days" stats={m.split.open} fixedBase={m.fixedBase} />
          <ModelTerms name="Closed days" stats={m.split.closed} fixedBase={m.fixedBase} />
        </>
      ) : (
        <ModelTerms name={null} stats={m} fixedBase={m.fixedBase} />
      )}
      <dl className="model-table">
        {m.coolingSlope !== null && m.coolingBaseTemperature !== null && (
          <>
            <dt>Cooling</dt>
            <dd>
              {formatKwh(m.coolingSlope, 2)} kWh per degree day above {formatKwh(m.coolingBaseTemperature, 1)} °C
            </dd>
          </>
        )}
        <dt>Days fitted</dt>
        <dd data-testid="stat-days">{formatKwh(m.days, 0)}</dd>
        <dt>R²</dt>
        <dd data-testid="stat-r2">{m.r2.toFixed(3)}</dd>
        <dt>CV(RMSE)</dt>
        <dd data-testid="stat-cvrmse">{percent(m.cvrmse)}</dd>
        <dt>NMBE</dt>
        <dd data-testid="stat-nmbe">{percent(m.nmbe, 2)}</dd>
      </dl>
      {m.flags.length > 0 ? (
        <ul className="model-flags callout callout-warn" data-testid="baseline-flags">
          {m.flags.map((f) => (
            <li key={f.code} data-code={f.code}>
              {sentence(f.message)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="ok-text small" data-testid="baseline-flags-none">
          The fit meets ASHRAE Guideline 14’s guidance for daily models: CV(RMSE) at most {MAX_CVRMSE * 100} %, NMBE
          within ±{MAX_ABS_NMBE * 100} %, R² at least {MIN_R2}, and at least {MIN_SUFFICIENT_DAYS} days.
        </p>
      )}
      {m.notes.length > 0 && (
        <ul className="model-notes muted small">
          {m.notes.map((n) => (
            <li key={n}>{sentence(n)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
