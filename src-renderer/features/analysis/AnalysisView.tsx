/**
 * The meter page's Analysis view: for a range of UK local days (default the 8 weeks up to the
 * meter's last complete day) its baseload, hours split, average day, data quality, exceptions and
 * weather baseline, each card loading, failing and empty on its own. The range and the baseline
 * period live in the page's URL query, so links out (to the half-hourly chart) come back to them.
 */
import type { MeterSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DateRangeForm } from '../../components/DateRangeForm';
import { EmptyState } from '../../components/States';
import { formatDayRangeUntil, plural } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { useDataStore } from '../../stores/data';
import type { MeterQuery } from '../meters/meter-view';
import { defaultBaseline, defaultRange, rangeDays, type DayRange } from './analysis-range';
import { BaseloadCard, HoursSplitCard, ProfileCard } from './UseCards';
import { QualityCard } from './QualityCard';
import { ExceptionsCard } from './ExceptionsCard';
import { WeatherCard } from './WeatherCard';
import { AnalysisProblem } from './AnalysisCard';
import '../../styles/meter-analysis.css';

export function AnalysisView({
  meter,
  query,
  onChange,
}: {
  meter: MeterSummary;
  query: MeterQuery;
  /** Sets the view's state in the page's query. */
  onChange: (state: { range: DayRange | null; baseline: DayRange | null }) => void;
}) {
  const fallback = defaultRange(meter);
  const chosen = query.from && query.to && query.from < query.to ? { from: query.from, to: query.to } : null;
  const range = chosen ?? fallback;
  if (!range)
    return (
      <section className="card" data-testid="analysis-view">
        <EmptyState title="No readings for this meter yet">
          Import a file with its half-hourly data to see its baseload, hours of use and data quality here.
        </EmptyState>
      </section>
    );
  const baseline =
    query.baselineFrom && query.baselineTo && query.baselineFrom < query.baselineTo
      ? { from: query.baselineFrom, to: query.baselineTo }
      : null;
  return (
    <AnalysisBody
      meter={meter}
      range={range}
      isDefault={chosen === null || (chosen.from === fallback?.from && chosen.to === fallback.to)}
      baseline={baseline ?? defaultBaseline(meter.firstReading, range)}
      baselineChosen={baseline !== null}
      onRange={(r) => onChange({ range: r, baseline })}
      onBaseline={(b) => onChange({ range: chosen, baseline: b })}
    />
  );
}

function AnalysisBody({
  meter,
  range,
  isDefault,
  baseline,
  baselineChosen,
  onRange,
  onBaseline,
}: {
  meter: MeterSummary;
  range: DayRange;
  isDefault: boolean;
  baseline: DayRange;
  baselineChosen: boolean;
  onRange: (r: DayRange | null) => void;
  onBaseline: (b: DayRange | null) => void;
}) {
  const version = useDataStore((s) => s.version);
  const key = `${meter.mpan}:${range.from}:${range.to}:${version}`;
  const args = { meter: meter.mpan, from: range.from, to: range.to };
  const analysis = useQuery(`analysis:${key}`, () => getClient().call('analytics.meter', args));
  const days = rangeDays(range);

  return (
    <div className="analysis" data-testid="analysis-view" data-from={range.from} data-to={range.to}>
      <section className="card analysis-range" aria-labelledby="analysis-range-title">
        <div className="card-header">
          <div className="chart-title">
            <h2 id="analysis-range-title" data-testid="analysis-range-text">
              {formatDayRangeUntil(range.from, range.to)}
            </h2>
            <span className="muted small">
              {isDefault
                ? `The ${plural(days, 'day')} up to the meter’s latest complete day (at least 40 half-hours with data)`
                : `${plural(days, 'day')} of your choosing`}
            </span>
          </div>
          {!isDefault && (
            <button type="button" className="btn btn-small" onClick={() => onRange(null)}>
              Back to the latest 8 weeks
            </button>
          )}
        </div>
        <DateRangeForm
          key={`${range.from}:${range.to}`}
          idPrefix="analysis"
          initial={range}
          label="Analyse (UK days, both included):"
          submitLabel="Analyse"
          onApply={onRange}
        />
      </section>

      {analysis.data ? (
        <>
          <BaseloadCard a={analysis.data} />
          <HoursSplitCard a={analysis.data} mpan={meter.mpan} />
          <ProfileCard a={analysis.data} mpan={meter.mpan} />
        </>
      ) : (
        <AnalysisProblem
          title="Baseload and hours of use"
          q={analysis}
          testId="baseload-card"
          siteId={meter.siteId}
          rows={5}
        />
      )}
      <QualityCard meter={meter} range={range} version={version} />
      <ExceptionsCard meter={meter} range={range} version={version} />
      <WeatherCard
        meter={meter}
        range={range}
        baseline={baseline}
        baselineChosen={baselineChosen}
        onBaseline={onBaseline}
        version={version}
      />
    </div>
  );
}
