/** The analysis cards built on `analytics.meter`: baseload (with its trend), the hours split, and the average day. */
import { useMemo } from 'react';
import type { MeterAnalysis } from '../../../src-shared/contract/types';
import { ChartCard } from '../../charts/ChartCard';
import { Energy } from '../../components/Energy';
import { EmptyState } from '../../components/States';
import { Trend } from '../../components/Trend';
import { fileSlug } from '../../lib/download';
import {
  formatDayRangeUntil,
  formatEnergyUnit,
  formatInt,
  formatShare,
  formatUkDateTime,
  plural,
} from '../../lib/format';
import { formatPounds } from '../../lib/money';
import { href } from '../../lib/route';
import { SiteLink } from './AnalysisCard';
import { splitByWeek } from './analysis-range';
import { buildSplitOption, splitCsv, splitRows } from './hours-split';
import { buildProfileOption, openRunsText, profileCsv, profileEmpty } from './profile';
import { baseloadMethodText, changePercent, datesInWords, formatKw, formatWPerM2, hoursInWords } from './words';

export function BaseloadCard({ a }: { a: MeterAnalysis }) {
  const t = a.baseloadTrend;
  const area = a.site?.floorAreaM2 ?? null;
  return (
    <section className="card analysis-card" aria-labelledby="baseload-title" data-testid="baseload-card">
      <div className="card-header">
        <div className="chart-title">
          <h2 id="baseload-title">Baseload and peak</h2>
          <span className="muted small" data-testid="baseload-method" data-method={a.baseloadMethod}>
            Baseload is {baseloadMethodText(a.baseloadMethod)}
          </span>
        </div>
      </div>
      <dl className={`kpis analysis-kpis ${a.baseloadKwPerM2 !== null ? 'kpis-5' : ''}`}>
        <div className="kpi">
          <dt>Baseload</dt>
          <dd data-testid="baseload-kw" data-value={a.baseloadKw ?? ''}>
            {formatKw(a.baseloadKw)}
          </dd>
          <div className="kpi-sub">
            {a.baseloadKw === null
              ? 'no day in the range has 40 half-hours with data'
              : `mean of ${plural(a.baseloadDays, 'day')}`}
          </div>
        </div>
        <div className="kpi">
          <dt>Baseload share of use</dt>
          <dd data-testid="baseload-share" data-value={a.baseloadShare ?? ''}>
            {formatShare(a.baseloadShare)}
          </dd>
          <div className="kpi-sub">always-on use ÷ all use, on those days</div>
        </div>
        <div className="kpi">
          <dt>Peak demand</dt>
          <dd data-testid="peak-kw" data-value={a.peakKw ?? ''}>
            {formatKw(a.peakKw)}
          </dd>
          <div className="kpi-sub">
            {a.peakAt && <div data-testid="peak-at">{formatUkDateTime(a.peakAt, { zone: true })}</div>}
            <div>
              {a.capacityKva !== null && a.peakShareOfCapacity !== null
                ? `${formatShare(a.peakShareOfCapacity)} of the ${formatInt(a.capacityKva)} kVA agreed capacity`
                : 'no agreed capacity set for this meter'}
            </div>
          </div>
        </div>
        <div className="kpi">
          <dt>Load factor</dt>
          <dd data-testid="load-factor" data-value={a.loadFactor ?? ''}>
            {formatShare(a.loadFactor)}
          </dd>
          <div className="kpi-sub">
            {a.meanKw !== null ? `mean ${formatKw(a.meanKw)} ÷ peak demand` : 'mean demand ÷ peak demand'}
          </div>
        </div>
        {a.baseloadKwPerM2 !== null && (
          <div className="kpi">
            <dt>Baseload per floor area</dt>
            <dd data-testid="baseload-per-m2" data-value={a.baseloadKwPerM2}>
              {formatWPerM2(a.baseloadKwPerM2)}
            </dd>
            <div className="kpi-sub">
              {formatKw(a.baseloadKw)} over {area !== null ? `${formatInt(area)} m²` : 'the site’s floor area'}
            </div>
          </div>
        )}
      </dl>
      <div className="baseload-trend" data-testid="baseload-trend">
        <span className="strong">
          Last 7 days ({formatDayRangeUntil(t.lastWeekFrom, a.to)}): {formatKw(t.lastWeekKw)}
        </span>
        <TrendAgainst now={t.lastWeekKw} before={t.yearAgoKw} against="the same 7 days a year earlier" />
        <TrendAgainst now={t.lastWeekKw} before={t.previous4WeeksKw} against="the 4 weeks before" />
      </div>
    </section>
  );
}

function TrendAgainst({ now, before, against }: { now: number | null; before: number | null; against: string }) {
  if (now === null || before === null)
    return (
      <span className="muted small">
        {now === null ? 'No complete day in the last 7 days' : `No baseload for ${against}`} to compare with
      </span>
    );
  return (
    <Trend changePercent={changePercent(now, before)} comparable against={`vs ${against} (${formatKw(before)})`} />
  );
}

export function HoursSplitCard({ a, mpan }: { a: MeterAnalysis; mpan: string }) {
  const byWeek = splitByWeek(a);
  const rows = useMemo(() => splitRows(a.days, byWeek), [a.days, byWeek]);
  const option = useMemo(() => buildSplitOption(rows, byWeek), [rows, byWeek]);
  const otherKwh = a.outOfHoursKwh + a.weekendKwh + a.holidayKwh;
  return (
    <section className="card analysis-card" aria-labelledby="hours-title" data-testid="hours-card">
      <div className="card-header">
        <div className="chart-title">
          <h2 id="hours-title">Use in and out of opening hours</h2>
          <span className="muted small" data-testid="opening-hours" data-default={a.openingHoursDefault}>
            Opening hours: {hoursInWords(a.openingHours)}
            {a.openingHoursDefault
              ? a.site
                ? ' — the default: this site has no hours of its own'
                : ' — the default: this meter has no site (assign one above to use its hours)'
              : ` — ${a.site?.name ?? 'the site'}’s hours`}
            ; bank holidays and the site’s closures count as holidays.
          </span>
        </div>
        {a.site && (
          <SiteLink siteId={a.site.id}>{a.openingHoursDefault ? 'Set opening hours' : 'Change opening hours'}</SiteLink>
        )}
      </div>
      <dl className="kpis analysis-kpis">
        <div className="kpi">
          <dt>Out-of-hours share</dt>
          <dd data-testid="ooh-share" data-value={a.outOfHoursShare ?? ''}>
            {formatShare(a.outOfHoursShare)}
          </dd>
          <div className="kpi-sub">all use outside opening hours (weekends and holidays too)</div>
        </div>
        <div className="kpi">
          <dt>Cost of that use</dt>
          <dd data-testid="ooh-cost" data-value={a.outOfHoursPence ?? ''}>
            {a.outOfHoursPence !== null ? formatPounds(a.outOfHoursPence) : '—'}
          </dd>
          <div className="kpi-sub">
            {a.outOfHoursPence !== null ? (
              'at the meter’s tariff: unit, DUoS and CCL charges with VAT'
            ) : (
              <>
                <span data-testid="ooh-cost-note">{datesInWords(a.costNote ?? 'No £ figure.')}</span>{' '}
                <a href={href.meterTariff(mpan)}>Assign a tariff</a>
              </>
            )}
          </div>
        </div>
        <div className="kpi">
          <dt>In hours</dt>
          <dd>
            <Energy kwh={a.inHoursKwh} />
          </dd>
          <div className="kpi-sub">of {formatEnergyUnit(a.kwh)} in all</div>
        </div>
        <div className="kpi">
          <dt>Outside hours</dt>
          <dd>
            <Energy kwh={otherKwh} />
          </dd>
          <div className="kpi-sub">
            {formatEnergyUnit(a.outOfHoursKwh)} on open days, {formatEnergyUnit(a.weekendKwh)} at weekends,{' '}
            {formatEnergyUnit(a.holidayKwh)} on holidays
          </div>
        </div>
      </dl>
      <ChartCard
        framed={false}
        title={byWeek ? 'kWh per week by time of use' : 'kWh per day by time of use'}
        note={
          byWeek
            ? 'Weeks from Monday (UK local); the first and last may hold fewer days'
            : 'UK local days, in hours at the bottom'
        }
        testId="hours-split-chart"
        points={rows.length}
        option={option}
        fileBase={`hours-split-${fileSlug(mpan)}-${a.from}`}
        csv={() => splitCsv(rows, byWeek)}
        ariaLabel={`kWh of meter ${mpan} in hours, out of hours, at weekends and on holidays, per ${byWeek ? 'week' : 'day'}`}
        empty={
          a.kwh === 0 && a.presentHalfHours === 0 ? (
            <EmptyState title="No readings in this range">Choose a range in which the meter has data.</EmptyState>
          ) : undefined
        }
      />
    </section>
  );
}

export function ProfileCard({ a, mpan }: { a: MeterAnalysis; mpan: string }) {
  const option = useMemo(() => buildProfileOption(a.profile), [a.profile]);
  const open = openRunsText(a.profile.openSlots);
  return (
    <ChartCard
      title="Average day"
      note={`Mean kWh per half-hour (UK local time) on open days and on weekends and holidays${open ? `; shaded: opening hours (${open})` : '; no opening hours on any day'}`}
      testId="profile-chart"
      points={a.profile.open.length}
      option={option}
      fileBase={`average-day-${fileSlug(mpan)}-${a.from}`}
      csv={() => profileCsv(a.profile)}
      ariaLabel={`Average day of meter ${mpan}: mean kWh per half-hour on open days and on weekends and holidays`}
      empty={
        profileEmpty(a.profile) ? (
          <EmptyState title="No readings in this range">Choose a range in which the meter has data.</EmptyState>
        ) : undefined
      }
    />
  );
}
