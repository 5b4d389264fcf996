/**
 * A meter's CO2: the last 30 days of data and the last complete calendar year, by half-hourly grid intensity and by the
 * annual factor.
 */
import { useState } from 'react';
import type { Emissions, MeterSummary } from '../../../src-shared/contract/types';
import { isoDay, parsePeriod } from '../../../src-shared/domain/periods';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { formatCo2 } from './carbon-charts';
import { emissionsUnavailable } from './emissions';
import { href } from '../../lib/route';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, percentOf } from '../../components/table-export';
import { DateRangeForm } from '../../components/DateRangeForm';
import { EmptyState, Skeleton } from '../../components/States';
import {
  CO2,
  formatDayRange,
  formatDayRangeUntil,
  formatEnergyUnit,
  formatInt,
  formatShare,
  plural,
} from '../../lib/format';
import { latestPeriodUpTo, readingDays } from '../../lib/periods';
import { useQuery } from '../../lib/query';
import { useAppStore } from '../../stores/app';
import { useDataStore } from '../../stores/data';
import { QueryProblem } from '../../components/ProblemState';

/** Below this share of half-hours with an intensity, the half-hourly figure is flagged as partial. */
const LOW_COVERAGE = 0.95;

export interface EmissionsPeriod {
  id: 'last-30-days' | 'year' | 'custom';
  title: string;
  sub: string;
  from: string;
  to: string;
}

/**
 * The two periods the panel shows: the 30 UK local days up to the meter's last reading, and the
 * last complete calendar year in the data (or the data's latest year when none is complete).
 */
export function emissionsPeriods(
  meter: Pick<MeterSummary, 'firstReading' | 'lastReading'> & { lastCompleteDay?: string | null },
): EmissionsPeriod[] {
  const read = readingDays(meter.firstReading, meter.lastReading);
  if (!read) return [];
  // anchored on the latest complete day (a stray later reading does not move the periods)
  const complete = meter.lastCompleteDay ? parsePeriod('day', meter.lastCompleteDay) : null;
  const days = complete !== null && complete >= read.from ? { from: read.from, to: complete + 1 } : read;
  const from30 = isoDay(Math.max(days.from, days.to - 30));
  const to = isoDay(days.to);
  const lastDay = isoDay(days.to - 1);
  const out: EmissionsPeriod[] = [
    {
      id: 'last-30-days',
      title: 'Last 30 days',
      sub: formatDayRange(from30, lastDay),
      from: from30,
      to,
    },
  ];
  const yearComplete = latestPeriodUpTo('year', lastDay)!;
  const firstYear = Number(isoDay(days.from).slice(0, 4));
  const year = Number(yearComplete) >= firstYear ? Number(yearComplete) : Number(lastDay.slice(0, 4));
  const isComplete = Number(yearComplete) === year && isoDay(days.from) <= `${year}-01-01`;
  out.push({
    id: 'year',
    title: `Calendar year ${year}`,
    sub: isComplete ? 'Last complete calendar year' : 'Only part of this year has readings',
    from: `${year}-01-01`,
    to: `${year + 1}-01-01`,
  });
  return out;
}

type EmissionsMethod = 'halfhourly' | 'annual';
type Cell = { period: EmissionsPeriod; method: EmissionsMethod; e: Emissions };

export function EmissionsPanel({ meter }: { meter: MeterSummary }) {
  const version = useDataStore((s) => s.version);
  const role = useAppStore((s) => s.info?.role);
  const [fetchState, setFetchState] = useState<{ busy: boolean; note: string | null; error: boolean }>({
    busy: false,
    note: null,
    error: false,
  });
  // a period of the user's choosing, beside the two standard ones
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const standard = emissionsPeriods(meter);
  const periods: EmissionsPeriod[] =
    custom && standard.length
      ? [
          ...standard,
          {
            id: 'custom',
            title: 'Chosen period',
            sub: formatDayRangeUntil(custom.from, custom.to),
            from: custom.from,
            to: custom.to,
          },
        ]
      : standard;
  const methods: EmissionsMethod[] = meter.fuel === 'electricity' ? ['halfhourly', 'annual'] : ['annual'];
  const q = useQuery(
    periods.length
      ? `emissions:${meter.mpan}:${meter.fuel}:${meter.lastReading}:${version}:${custom?.from ?? ''}:${custom?.to ?? ''}`
      : null,
    async () => {
      const c = getClient();
      const cells = await Promise.all(
        periods.flatMap((period) =>
          methods.map(async (method): Promise<Cell> => ({
            period,
            method,
            e: await c.call('emissions.meter', { meter: meter.mpan, from: period.from, to: period.to, method }),
          })),
        ),
      );
      return cells;
    },
  );

  const cell = (period: EmissionsPeriod, method: EmissionsMethod) =>
    q.data?.find((c) => c.period.id === period.id && c.method === method)?.e ?? null;
  const lowCoverage =
    meter.fuel === 'electricity' &&
    (q.data ?? []).some(
      (c) => c.method === 'halfhourly' && c.e.kwh > 0 && c.e.coverage > 0 && c.e.coverage < LOW_COVERAGE,
    );
  const noIntensity = (q.data ?? []).some((c) => c.method === 'halfhourly' && c.e.kwh > 0 && c.e.coverage === 0);
  const canFetch = role === undefined || role === 'manager' || role === 'admin';

  const columns: Column<EmissionsMethod>[] = [
    {
      header: 'Method',
      rowHeader: true,
      cell: (m) => (
        <>
          <div className="strong">{m === 'halfhourly' ? 'Half-hourly grid intensity' : 'Annual factor'}</div>
          <div className="muted small">
            {m === 'halfhourly'
              ? 'Each half-hour’s kWh × that half-hour’s national intensity'
              : 'kWh × the UK Government conversion factor for the year'}
          </div>
        </>
      ),
      csv: (m) => (m === 'halfhourly' ? 'Half-hourly grid intensity' : 'Annual factor'),
      csvHeader: 'Method',
    },
    ...periods.map((p): Column<EmissionsMethod> => ({
      header: (
        <>
          <div>{p.title}</div>
          <div className="muted small emissions-sub">{p.sub}</div>
        </>
      ),
      num: true,
      cellProps: (m) => {
        const e = cell(p, m);
        return {
          'data-testid': 'emissions-cell',
          'data-method': m,
          'data-period': p.id,
          'data-kgco2': e?.kgco2 ?? '',
          'data-coverage': e?.coverage ?? '',
        };
      },
      cell: (m) => {
        const e = cell(p, m);
        return e ? <EmissionsValue e={e} /> : '—';
      },
      // each period as kg CO2 (empty when not available), the kWh it covers, and the share with an intensity
      csv: [
        {
          header: `${p.title} ${p.from} to ${p.to} (exclusive): kg CO2e`,
          value: (m) => {
            const e = cell(p, m);
            return e && !emissionsUnavailable(e) ? e.kgco2 : null;
          },
        },
        { header: `${p.title}: kWh`, value: (m) => cell(p, m)?.kwh },
        { header: `${p.title}: coverage (%)`, value: (m) => percentOf(cell(p, m)?.coverage) },
      ],
    })),
  ];

  const fetchHistory = async () => {
    setFetchState({ busy: true, note: null, error: false });
    try {
      const r = await getClient().call('carbon.fetch', { meter: meter.mpan });
      setFetchState({
        busy: false,
        note:
          r.national > 0
            ? `Fetched ${plural(r.national, 'half-hour')} of grid intensity.`
            : 'Nothing was missing: every half-hour already had an intensity.',
        error: false,
      });
      q.reload();
    } catch (e) {
      setFetchState({ busy: false, note: errorMessage(e), error: true });
    }
  };

  return (
    <section className="card" aria-labelledby="emissions-title" data-testid="emissions-panel" data-fuel={meter.fuel}>
      <div className="card-header">
        <h2 id="emissions-title">Emissions</h2>
        <span className="muted small">
          {meter.fuel === 'electricity'
            ? 'By half-hourly grid carbon intensity, and by the UK Government annual factor'
            : 'By the UK Government annual factor for gas'}
        </span>
      </div>
      {periods.length === 0 ? (
        <EmptyState title="No readings for this meter yet">
          Import a file with its half-hourly data to see its emissions here.
        </EmptyState>
      ) : q.load === 'error' && !q.data ? (
        <QueryProblem title="Could not work out the emissions" q={q} />
      ) : !q.data ? (
        <Skeleton rows={3} label="Working out the emissions" />
      ) : (
        <>
          <DateRangeForm idPrefix="emissions" onApply={setCustom} />
          <DataTable
            columns={columns}
            rows={methods}
            rowKey={(m) => m}
            className="emissions-table"
            exportName={exportName('emissions', meter.mpan)}
          />
          {(lowCoverage || noIntensity) && (
            <div className="callout callout-warn small emissions-hint" data-testid="emissions-coverage-hint">
              <span>
                {noIntensity && !lowCoverage
                  ? 'No grid carbon intensity is stored for some of these dates, so the half-hourly figure is not available. Fetch the history, or use the annual factor meanwhile.'
                  : 'Half-hourly coverage is low because grid carbon history has not been fetched for these dates: the half-hourly figure only counts the half-hours that have one, so it reads low. Fetch the history, or use the annual factor meanwhile.'}
              </span>
              {canFetch && (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={fetchState.busy}
                  onClick={() => void fetchHistory()}
                  data-testid="emissions-fetch-history"
                >
                  {fetchState.busy ? 'Fetching…' : 'Fetch carbon history'}
                </button>
              )}
            </div>
          )}
          {fetchState.note && (
            <p
              className={`small emissions-fetch-note ${fetchState.error ? 'warn' : 'ok-text'}`}
              role="status"
              data-testid="emissions-fetch-note"
            >
              {fetchState.note}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function EmissionsValue({ e }: { e: Emissions }) {
  const why = emissionsUnavailable(e);
  if (why)
    return (
      <div className="emissions-value" data-testid="emissions-unavailable">
        <div className="strong muted">Not available</div>
        <div className="muted small emissions-why">{why}</div>
        {why.endsWith('in Carbon.') && (
          <a className="small" href={href.carbon}>
            Go to Carbon →
          </a>
        )}
        {e.kwh > 0 && <div className="muted small">{formatEnergyUnit(e.kwh)}</div>}
      </div>
    );
  return (
    <div className="emissions-value">
      <div className="strong" title={`${formatInt(e.kgco2)} kg ${CO2}`}>
        {formatCo2(e.kgco2)} <span className="unit">{CO2}</span>
      </div>
      <div className="muted small">
        {Math.abs(e.kgco2) >= 1000 ? `${formatInt(e.kgco2)} kg · ` : ''}
        {formatEnergyUnit(e.kwh)}
      </div>
      {e.method === 'halfhourly' && (
        <div
          className={`small ${e.kwh > 0 && e.coverage < LOW_COVERAGE ? 'warn' : 'muted'}`}
          data-testid="emissions-coverage"
        >
          {formatShare(e.coverage)} of half-hours with an intensity
        </div>
      )}
    </div>
  );
}
