/** What a meter cost over a range of UK days, as a bill would show it, with a chart of the parts. */
import { useMemo, useState } from 'react';
import type { CostResult, MeterSummary, Tariff } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { ChartCard } from '../../charts/ChartCard';
import { buildCostBandsOption, costBandsCsv, costParts, tariffSequence } from './cost-bands';
import { DateRangeForm } from '../../components/DateRangeForm';
import { QueryProblem } from '../../components/ProblemState';
import { Skeleton } from '../../components/States';
import { fileSlug } from '../../lib/download';
import { formatInt, plural } from '../../lib/format';
import { formatPounds, formatRate } from '../../lib/money';
import { useQuery } from '../../lib/query';
import { CostBreakdown } from './CostBreakdown';
import { CHOSEN, rangeDays, rangeText, type CostRange } from './CostRange';
import { sortTariffs, tariffOptionText } from './CostTariffCard';
import { Energy } from '../../components/Energy';
import '../../styles/costs.css';

export function CostPeriodCard({
  meter,
  tariffs,
  range,
  onRange,
  rev,
  tariffName,
}: {
  meter: MeterSummary;
  tariffs: Tariff[];
  range: CostRange;
  onRange: (r: CostRange) => void;
  rev: string;
  tariffName: (id: string) => string;
}) {
  const [onTariff, setOnTariff] = useState('');
  const q = useQuery(`cost:${meter.mpan}:${range.from}:${range.to}:${onTariff}:${rev}`, () =>
    getClient().call('cost.meter', {
      meter: meter.mpan,
      from: range.from,
      to: range.to,
      ...(onTariff ? { tariff: onTariff } : {}),
    }),
  );
  const c = q.data;
  return (
    <section className="card cost-card" aria-labelledby="cost-period-title" data-testid="cost-period-card">
      <div className="card-header">
        <h3 id="cost-period-title">Cost</h3>
        <span className="muted small">
          {rangeText(range.from, range.to)} · {range.why}
        </span>
      </div>
      <div className="cost-controls">
        <DateRangeForm idPrefix="cost" onApply={(r) => onRange({ ...r, why: CHOSEN })} />
        <label className="cost-on-tariff">
          <span className="muted small">Price on</span>
          <select
            className="input input-small"
            value={onTariff}
            onChange={(e) => setOnTariff(e.currentTarget.value)}
            data-testid="cost-tariff-select"
            aria-label="Price on tariff"
          >
            <option value="">the tariffs in force (as billed)</option>
            {sortTariffs(tariffs).map((t) => (
              <option key={t.id} value={t.id}>
                {tariffOptionText(t)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {q.load === 'error' ? (
        <div className="card-pad">
          <QueryProblem title="This period cannot be priced" q={q} />
        </div>
      ) : !c ? (
        <div className="card-pad">
          <Skeleton rows={4} label="Pricing the period" />
        </div>
      ) : (
        <CostResultView cost={c} tariffName={tariffName} refreshing={q.load === 'loading'} />
      )}
    </section>
  );
}

function CostResultView({
  cost,
  tariffName,
  refreshing,
}: {
  cost: CostResult;
  tariffName: (id: string) => string;
  refreshing: boolean;
}) {
  const option = useMemo(() => buildCostBandsOption(cost), [cost]);
  const days = rangeDays(cost.from, cost.to);
  const allIn = cost.kwh > 0 ? cost.totalPence / cost.kwh : null;
  const parts = costParts(cost);
  return (
    <div
      className={`cost-result ${refreshing ? 'is-refreshing' : ''}`}
      data-testid="cost-result"
      data-total-pence={cost.totalPence}
      data-tariff={cost.tariff}
    >
      <dl className="cost-kpis">
        <div className="kpi">
          <dt>Total, including VAT</dt>
          <dd data-testid="cost-total">{formatPounds(cost.totalPence)}</dd>
          <div className="kpi-sub">
            {rangeText(cost.from, cost.to)} · {plural(days, 'day')}
          </div>
        </div>
        <div className="kpi">
          <dt>Consumption priced</dt>
          <dd>
            <Energy kwh={cost.kwh} />
          </dd>
          <div className={`kpi-sub ${cost.missingHalfHours > 0 ? 'warn' : ''}`}>
            {formatInt(cost.expectedHalfHours - cost.missingHalfHours)} of {formatInt(cost.expectedHalfHours)}{' '}
            half-hours with data
          </div>
        </div>
        <div className="kpi">
          <dt>Average, all-in</dt>
          <dd>{allIn === null ? '—' : `${formatRate(Math.round(allIn * 100) / 100)}/kWh`}</dd>
          <div className="kpi-sub">total ÷ kWh, standing charge and VAT included</div>
        </div>
        <div className="kpi">
          <dt>Tariff</dt>
          <dd className="cost-kpi-text">
            {cost.periods.length > 0 ? tariffName(cost.periods[cost.periods.length - 1]!.tariff) : cost.tariffName}
          </dd>
          <div className="kpi-sub">
            {new Set(cost.periods.map((p) => p.tariff)).size > 1
              ? `billed ${tariffSequence(cost.periods, tariffName)}`
              : cost.periods[0]?.basis === 'supplier-default'
                ? 'the supplier’s default tariff (none assigned)'
                : cost.periods[0]?.basis === 'chosen'
                  ? 'as if the meter had been on it'
                  : 'as assigned'}
          </div>
        </div>
      </dl>
      <CostBreakdown
        cost={cost}
        tariffName={tariffName}
        aside={
          <ChartCard
            framed={false}
            title="Cost by band"
            note="£, including standing charge, CCL and VAT"
            testId="cost-bands-chart"
            points={parts.length}
            option={option}
            fileBase={`cost-${fileSlug(cost.meter)}-${cost.from}-${cost.to}`}
            csv={() => costBandsCsv(cost)}
            ariaLabel={`Cost by band for meter ${cost.meter}, ${rangeText(cost.from, cost.to)}: ${formatPounds(cost.totalPence)} in total`}
          />
        }
      />
    </div>
  );
}
